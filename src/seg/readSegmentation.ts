import { MedsamError } from '../MedsamError';
import type { CodedConcept } from './CodedConcept';
import type { NaturalDataset } from './dcmjsData';
import { unpackBinaryFrame } from './packBinaryFrames';
import { readPart10 } from './readPart10';
import { SEGMENTATION_STORAGE } from './buildSegmentationDataset';

/** A segment as described in the SEG's Segment Sequence. */
export interface SegmentDescription {
  segmentNumber: number;
  label: string;
  algorithmType: string;
  algorithmName?: string;
  category?: CodedConcept;
  type?: CodedConcept;
}

/** One decoded frame. */
export interface SegmentationFrameMask {
  /** 1-based frame number in the SEG. */
  frameNumber: number;
  segmentNumber: number;
  /** Source image the frame was derived from, when the SEG names one. */
  referencedSopInstanceUid?: string;
  imagePositionPatient?: [number, number, number];
  /** rows x columns, row-major, 0 or 1. */
  mask: Uint8Array;
}

/** A decoded BINARY SEG. */
export interface DecodedSegmentation {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  frameOfReferenceUid?: string;
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  segments: SegmentDescription[];
  frames: SegmentationFrameMask[];
}

// Transfer syntaxes with native (not encapsulated) Pixel Data that dcmjs reads.
const NATIVE_TRANSFER_SYNTAXES = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.2',
]);

function reject(message: string): never {
  throw new MedsamError('seg/invalid-input', message);
}

/**
 * Decodes a BINARY DICOM SEG Part 10 file into one mask per frame, with the
 * segment, the referenced source image and the position of each frame.
 * Looks up each functional group per frame first, then in the shared
 * groups. Throws MedsamError `seg/invalid-input` for another SOP class, a
 * FRACTIONAL or label map SEG, or compressed Pixel Data.
 */
export function readSegmentation(file: ArrayBuffer): DecodedSegmentation {
  let contents;
  try {
    contents = readPart10(file);
  } catch (error) {
    throw new MedsamError('seg/invalid-input', `The file is not a readable DICOM Part 10 file: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { meta, dataset } = contents;

  const sopClassUid = String(dataset.SOPClassUID ?? '');
  if (sopClassUid !== SEGMENTATION_STORAGE) {
    reject(`The file has SOPClassUID ${sopClassUid}, not Segmentation Storage ${SEGMENTATION_STORAGE}.`);
  }
  const segmentationType = String(dataset.SegmentationType ?? '');
  if (segmentationType !== 'BINARY' || dataset.BitsAllocated !== 1) {
    reject(
      `The SEG has SegmentationType ${segmentationType} with BitsAllocated ${String(dataset.BitsAllocated)}; only BINARY SEGs with BitsAllocated 1 are supported.`,
    );
  }
  const transferSyntaxUid = String(meta.TransferSyntaxUID ?? '');
  if (!NATIVE_TRANSFER_SYNTAXES.has(transferSyntaxUid)) {
    reject(`The SEG uses transfer syntax ${transferSyntaxUid}; only uncompressed Pixel Data is supported.`);
  }

  const rows = Number(dataset.Rows);
  const columns = Number(dataset.Columns);
  const frameCount = Number(dataset.NumberOfFrames ?? 1);
  const pixelData = readPixelData(dataset);
  const shared = firstItem(dataset.SharedFunctionalGroupsSequence) ?? {};
  const perFrame = Array.isArray(dataset.PerFrameFunctionalGroupsSequence)
    ? (dataset.PerFrameFunctionalGroupsSequence as NaturalDataset[])
    : [];

  const frames: SegmentationFrameMask[] = [];
  for (let index = 0; index < frameCount; index++) {
    const groups = perFrame[index] ?? {};
    const lookup = (sequence: string): NaturalDataset | undefined =>
      firstItem(groups[sequence]) ?? firstItem(shared[sequence]);

    const segmentNumber = Number(lookup('SegmentIdentificationSequence')?.ReferencedSegmentNumber);
    const source = firstItem(lookup('DerivationImageSequence')?.SourceImageSequence);
    const position = lookup('PlanePositionSequence')?.ImagePositionPatient;
    frames.push({
      frameNumber: index + 1,
      segmentNumber,
      referencedSopInstanceUid: typeof source?.ReferencedSOPInstanceUID === 'string' ? source.ReferencedSOPInstanceUID : undefined,
      imagePositionPatient: Array.isArray(position) && position.length === 3 ? (position.map(Number) as [number, number, number]) : undefined,
      mask: unpackBinaryFrame(pixelData, index, rows * columns),
    });
  }

  return {
    sopInstanceUid: String(dataset.SOPInstanceUID ?? ''),
    seriesInstanceUid: String(dataset.SeriesInstanceUID ?? ''),
    studyInstanceUid: String(dataset.StudyInstanceUID ?? ''),
    frameOfReferenceUid: typeof dataset.FrameOfReferenceUID === 'string' ? dataset.FrameOfReferenceUID : undefined,
    transferSyntaxUid,
    rows,
    columns,
    segments: readSegments(dataset),
    frames,
  };
}

function readPixelData(dataset: NaturalDataset): Uint8Array {
  const value = dataset.PixelData;
  const buffer = Array.isArray(value) ? value[0] : value;
  if (!(buffer instanceof ArrayBuffer)) {
    reject('The SEG has no Pixel Data.');
  }
  if (Array.isArray(value) && value.length > 1) {
    reject('The SEG has encapsulated Pixel Data in several fragments; only uncompressed Pixel Data is supported.');
  }
  return new Uint8Array(buffer);
}

function readSegments(dataset: NaturalDataset): SegmentDescription[] {
  const items = Array.isArray(dataset.SegmentSequence) ? (dataset.SegmentSequence as NaturalDataset[]) : [];
  return items.map((item) => ({
    segmentNumber: Number(item.SegmentNumber),
    label: String(item.SegmentLabel ?? ''),
    algorithmType: String(item.SegmentAlgorithmType ?? ''),
    algorithmName: typeof item.SegmentAlgorithmName === 'string' ? item.SegmentAlgorithmName : undefined,
    category: readCode(item.SegmentedPropertyCategoryCodeSequence),
    type: readCode(item.SegmentedPropertyTypeCodeSequence),
  }));
}

function readCode(sequence: unknown): CodedConcept | undefined {
  const item = firstItem(sequence);
  if (!item) {
    return undefined;
  }
  return {
    value: String(item.CodeValue ?? item.LongCodeValue ?? item.URNCodeValue ?? ''),
    scheme: String(item.CodingSchemeDesignator ?? ''),
    meaning: String(item.CodeMeaning ?? ''),
  };
}

function firstItem(sequence: unknown): NaturalDataset | undefined {
  return Array.isArray(sequence) && sequence[0] && typeof sequence[0] === 'object'
    ? (sequence[0] as NaturalDataset)
    : undefined;
}
