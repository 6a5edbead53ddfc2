import { MedsamError } from '../MedsamError';
import { LABEL_MAP_SEGMENTATION_STORAGE, SEGMENTATION_STORAGE } from './buildSegmentationDataset';
import type { CodedConcept } from './CodedConcept';
import type { NaturalDataset } from './dcmjsData';
import { unpackBinaryFrame } from './packBinaryFrames';
import { readPart10 } from './readPart10';

/** A segment as described in the SEG's Segment Sequence. */
export interface SegmentDescription {
  segmentNumber: number;
  label: string;
  algorithmType: string;
  algorithmName?: string;
  category?: CodedConcept;
  type?: CodedConcept;
}

/** One segment's mask on one SEG frame. */
export interface SegmentationFrameMask {
  /** 1-based frame number in the SEG; a label map frame yields one mask per segment on it. */
  frameNumber: number;
  segmentNumber: number;
  /** Source image the frame was derived from, when the SEG names one. */
  referencedSopInstanceUid?: string;
  /** Frame of a multi-frame source image, when the SEG names one. */
  referencedFrameNumber?: number;
  imagePositionPatient?: [number, number, number];
  /** rows x columns, row-major, 0 or 1. */
  mask: Uint8Array;
}

/** A decoded BINARY or LABELMAP SEG. */
export interface DecodedSegmentation {
  sopClassUid: string;
  segmentationType: 'BINARY' | 'LABELMAP';
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  frameOfReferenceUid?: string;
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  /** NumberOfFrames of the SEG. */
  frameCount: number;
  segments: SegmentDescription[];
  /** BINARY: one entry per frame. LABELMAP: one entry per frame and non-zero segment number on it. */
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
 * Decodes a BINARY or LABELMAP DICOM SEG Part 10 file into one mask per
 * segment and frame, with the referenced source image (and frame) and the
 * position of each frame. Looks up each functional group per frame first,
 * then in the shared groups. Throws MedsamError `seg/invalid-input` for
 * another SOP class, a FRACTIONAL SEG, a TILED_FULL SEG without per-frame
 * groups, or compressed Pixel Data.
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
  if (sopClassUid !== SEGMENTATION_STORAGE && sopClassUid !== LABEL_MAP_SEGMENTATION_STORAGE) {
    reject(
      `The file has SOPClassUID ${sopClassUid}, not Segmentation Storage ${SEGMENTATION_STORAGE} or Label Map Segmentation Storage ${LABEL_MAP_SEGMENTATION_STORAGE}.`,
    );
  }
  const segmentationType = String(dataset.SegmentationType ?? '');
  const bitsAllocated = Number(dataset.BitsAllocated);
  const isBinary = segmentationType === 'BINARY' && bitsAllocated === 1;
  const isLabelMap = segmentationType === 'LABELMAP' && (bitsAllocated === 8 || bitsAllocated === 16);
  if (!isBinary && !isLabelMap) {
    reject(
      `The SEG has SegmentationType ${segmentationType} with BitsAllocated ${String(dataset.BitsAllocated)}; only BINARY SEGs with BitsAllocated 1 and LABELMAP SEGs with BitsAllocated 8 or 16 are supported.`,
    );
  }
  const transferSyntaxUid = String(meta.TransferSyntaxUID ?? '');
  if (!NATIVE_TRANSFER_SYNTAXES.has(transferSyntaxUid)) {
    reject(`The SEG uses transfer syntax ${transferSyntaxUid}; only uncompressed Pixel Data is supported.`);
  }

  const rows = Number(dataset.Rows);
  const columns = Number(dataset.Columns);
  const frameCount = Number(dataset.NumberOfFrames ?? 1);
  const perFrame = Array.isArray(dataset.PerFrameFunctionalGroupsSequence)
    ? (dataset.PerFrameFunctionalGroupsSequence as NaturalDataset[])
    : [];
  if (perFrame.length !== frameCount) {
    const organization = String(dataset.DimensionOrganizationType ?? 'not set');
    reject(
      `The SEG has ${frameCount} frames but ${perFrame.length} Per-Frame Functional Groups items (DimensionOrganizationType ${organization}); frames without their own functional groups, as in TILED_FULL, are not supported.`,
    );
  }

  const pixelData = readPixelData(dataset);
  const shared = firstItem(dataset.SharedFunctionalGroupsSequence) ?? {};
  const frames: SegmentationFrameMask[] = [];
  for (let index = 0; index < frameCount; index++) {
    const groups = perFrame[index]!;
    const lookup = (sequence: string): NaturalDataset | undefined =>
      firstItem(groups[sequence]) ?? firstItem(shared[sequence]);

    const source = firstItem(lookup('DerivationImageSequence')?.SourceImageSequence);
    const position = lookup('PlanePositionSequence')?.ImagePositionPatient;
    const referencedFrame = Number(readFirst(source?.ReferencedFrameNumber));
    const frameInfo = {
      frameNumber: index + 1,
      referencedSopInstanceUid: typeof source?.ReferencedSOPInstanceUID === 'string' ? source.ReferencedSOPInstanceUID : undefined,
      referencedFrameNumber: Number.isInteger(referencedFrame) && referencedFrame > 0 ? referencedFrame : undefined,
      imagePositionPatient:
        Array.isArray(position) && position.length === 3 ? (position.map(Number) as [number, number, number]) : undefined,
    };

    if (isBinary) {
      const segmentNumber = Number(lookup('SegmentIdentificationSequence')?.ReferencedSegmentNumber);
      frames.push({ ...frameInfo, segmentNumber, mask: unpackBinaryFrame(pixelData, index, rows * columns) });
    } else {
      for (const [segmentNumber, mask] of splitLabelMapFrame(pixelData, index, rows * columns, bitsAllocated)) {
        frames.push({ ...frameInfo, segmentNumber, mask });
      }
    }
  }

  return {
    sopClassUid,
    segmentationType: isBinary ? 'BINARY' : 'LABELMAP',
    sopInstanceUid: String(dataset.SOPInstanceUID ?? ''),
    seriesInstanceUid: String(dataset.SeriesInstanceUID ?? ''),
    studyInstanceUid: String(dataset.StudyInstanceUID ?? ''),
    frameOfReferenceUid: typeof dataset.FrameOfReferenceUID === 'string' ? dataset.FrameOfReferenceUID : undefined,
    transferSyntaxUid,
    rows,
    columns,
    frameCount,
    segments: readSegments(dataset),
    frames,
  };
}

/** Splits one label map frame into a 0/1 mask per non-zero segment number, in ascending order. */
function splitLabelMapFrame(
  pixelData: Uint8Array,
  frameIndex: number,
  pixelsPerFrame: number,
  bitsAllocated: number,
): Map<number, Uint8Array> {
  const bytesPerPixel = bitsAllocated / 8;
  const offset = frameIndex * pixelsPerFrame * bytesPerPixel;
  if (offset + pixelsPerFrame * bytesPerPixel > pixelData.length) {
    reject(`Pixel Data has ${pixelData.length} bytes, too few for label map frame ${frameIndex + 1}.`);
  }
  const view = new DataView(pixelData.buffer, pixelData.byteOffset, pixelData.byteLength);
  const masks = new Map<number, Uint8Array>();
  for (let pixel = 0; pixel < pixelsPerFrame; pixel++) {
    const value = bytesPerPixel === 1 ? pixelData[offset + pixel]! : view.getUint16(offset + pixel * 2, true);
    if (value === 0) {
      continue;
    }
    let mask = masks.get(value);
    if (!mask) {
      mask = new Uint8Array(pixelsPerFrame);
      masks.set(value, mask);
    }
    mask[pixel] = 1;
  }
  return new Map([...masks.entries()].sort(([a], [b]) => a - b));
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

function readFirst(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function firstItem(sequence: unknown): NaturalDataset | undefined {
  return Array.isArray(sequence) && sequence[0] && typeof sequence[0] === 'object'
    ? (sequence[0] as NaturalDataset)
    : undefined;
}
