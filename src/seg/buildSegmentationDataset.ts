import { SEG_CODES, toCodeSequence } from './CodedConcept';
import { buildDimensionIndex, buildPerFrameFunctionalGroups, buildSharedFunctionalGroups } from './buildFunctionalGroups';
import type { SegmentationFrame } from './collectSegmentationFrames';
import type { NaturalDataset } from './dcmjsData';
import { mergeLossyImageCompression } from './mergeLossyImageCompression';
import { packBinaryFrames } from './packBinaryFrames';
import type { WriteSegmentationOptions } from './SegmentationInput';
import type { SourceInstance } from './SourceImage';
import type { ValidatedSegment, ValidatedSegmentation } from './validateSegmentationInput';

export type { SegmentationFrame } from './collectSegmentationFrames';

/** Segmentation Storage (BINARY and FRACTIONAL). */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
/** Label Map Segmentation Storage (LABELMAP), added to DICOM in 2024. */
export const LABEL_MAP_SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.7';

/** UIDs, time and resolved options of one SEG instance. */
export interface SegmentationIdentity {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  dimensionOrganizationUid: string;
  /** DA and TM strings. */
  date: string;
  time: string;
  options: Required<
    Omit<WriteSegmentationOptions, 'seriesInstanceUid' | 'sopInstanceUid' | 'contentDateTime' | 'segmentationType'>
  >;
}

/**
 * Builds the naturalized dataset of a Segmentation IOD instance (PS3.3
 * A.51), BINARY or LABELMAP, from validated input and the frames to write,
 * in the order they are given. Sources without patient geometry get no
 * Frame of Reference and no plane geometry (PS3.3 A.51.5.1).
 */
export function buildSegmentationDataset(
  input: ValidatedSegmentation,
  frames: SegmentationFrame[],
  identity: SegmentationIdentity,
): NaturalDataset {
  const first = input.instances[0]!;
  const { options } = identity;
  const isLabelMap = input.segmentationType === 'LABELMAP';

  const dataset: NaturalDataset = {
    SOPClassUID: isLabelMap ? LABEL_MAP_SEGMENTATION_STORAGE : SEGMENTATION_STORAGE,
    SOPInstanceUID: identity.sopInstanceUid,
    // Patient and General Study, copied from the source images.
    PatientName: personName(first.patient.patientName),
    PatientID: first.patient.patientId,
    PatientBirthDate: first.patient.patientBirthDate ?? '',
    PatientSex: first.patient.patientSex ?? '',
    StudyInstanceUID: first.studyInstanceUid,
    StudyDate: first.study.studyDate ?? '',
    StudyTime: first.study.studyTime ?? '',
    StudyID: first.study.studyId ?? '',
    AccessionNumber: first.study.accessionNumber ?? '',
    ReferringPhysicianName: personName(first.study.referringPhysicianName ?? ''),
    // Segmentation Series
    Modality: 'SEG',
    SeriesInstanceUID: identity.seriesInstanceUid,
    SeriesNumber: options.seriesNumber,
    SeriesDate: identity.date,
    SeriesTime: identity.time,
    SeriesDescription: options.seriesDescription,
    // General and Enhanced General Equipment
    Manufacturer: options.manufacturer,
    ManufacturerModelName: options.manufacturerModelName,
    DeviceSerialNumber: options.deviceSerialNumber,
    SoftwareVersions: options.softwareVersions,
    // General Image, Segmentation Image and Content Identification
    ImageType: ['DERIVED', 'PRIMARY'],
    InstanceNumber: options.instanceNumber,
    ContentDate: identity.date,
    ContentTime: identity.time,
    ContentLabel: options.contentLabel,
    ContentDescription: options.contentDescription,
    ContentCreatorName: personName(options.contentCreatorName),
    SegmentationType: input.segmentationType,
    SegmentSequence: listWrittenSegments(input).map((segment) => buildSegmentItem(segment, input)),
    // Image Pixel
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: first.rows,
    Columns: first.columns,
    PixelRepresentation: 0,
    ...mergeLossyImageCompression(input.instances),
    // Multi-frame Functional Groups and Multi-frame Dimension
    NumberOfFrames: frames.length,
    SharedFunctionalGroupsSequence: [buildSharedFunctionalGroups(input)],
    PerFrameFunctionalGroupsSequence: frames.map((frame) => buildPerFrameFunctionalGroups(frame, input)),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: identity.dimensionOrganizationUid }],
    DimensionIndexSequence: buildDimensionIndex(input, identity.dimensionOrganizationUid),
    // Common Instance Reference: every source instance, grouped by series.
    ReferencedSeriesSequence: buildReferencedSeries(input.instances),
    ...buildPixelData(input, frames),
  };

  if (input.hasPatientGeometry) {
    dataset.FrameOfReferenceUID = first.frameOfReferenceUid;
    dataset.PositionReferenceIndicator = '';
  } else {
    // Type 2C in General Image when there is no Image Orientation (Patient).
    dataset.PatientOrientation = first.patientOrientation ?? '';
  }
  if (isLabelMap) {
    dataset.SegmentsOverlap = 'NO';
  }
  if (first.study.studyDescription) {
    dataset.StudyDescription = first.study.studyDescription;
  }
  if (needsUtf8(dataset)) {
    dataset.SpecificCharacterSet = 'ISO_IR 192';
  }
  return dataset;
}

/**
 * Lists the Segment Sequence items. A label map also describes pixel value
 * 0 as segment 0 "Background", because every value in its Pixel Data must
 * have a segment (PS3.3 C.8.20.2.3.3).
 */
function listWrittenSegments(input: ValidatedSegmentation): ValidatedSegment[] {
  if (input.segmentationType !== 'LABELMAP') {
    return input.segments;
  }
  const background: ValidatedSegment = {
    segmentNumber: 0,
    label: 'Background',
    category: SEG_CODES.spatialAndRelationalConcept,
    type: SEG_CODES.background,
    algorithmType: input.segments[0]!.algorithmType,
    masks: new Map(),
  };
  return [background, ...input.segments];
}

function buildPixelData(input: ValidatedSegmentation, frames: SegmentationFrame[]): NaturalDataset {
  const first = input.instances[0]!;
  const pixelCount = first.rows * first.columns;
  if (input.segmentationType === 'BINARY') {
    const packed = packBinaryFrames(
      frames.map((frame) => frame.pixels as Uint8Array),
      pixelCount,
    );
    return { BitsAllocated: 1, BitsStored: 1, HighBit: 0, PixelData: [packed.buffer], _vrMap: { PixelData: 'OB' } };
  }

  const bits = input.segments.length > 255 ? 16 : 8;
  const bytesPerPixel = bits / 8;
  const byteLength = frames.length * pixelCount * bytesPerPixel;
  const bytes = new Uint8Array(byteLength + (byteLength % 2));
  const view = new DataView(bytes.buffer);
  frames.forEach((frame, frameIndex) => {
    const offset = frameIndex * pixelCount;
    frame.pixels.forEach((value, pixel) => {
      if (bits === 8) {
        bytes[offset + pixel] = value;
      } else {
        view.setUint16((offset + pixel) * 2, value, true);
      }
    });
  });
  return {
    BitsAllocated: bits,
    BitsStored: bits,
    HighBit: bits - 1,
    PixelData: [bytes.buffer],
    _vrMap: { PixelData: bits === 8 ? 'OB' : 'OW' },
  };
}

function buildSegmentItem(segment: ValidatedSegment, input: ValidatedSegmentation): NaturalDataset {
  const item: NaturalDataset = {
    SegmentNumber: segment.segmentNumber,
    SegmentLabel: segment.label,
    SegmentAlgorithmType: segment.algorithmType,
    SegmentedPropertyCategoryCodeSequence: toCodeSequence(segment.category),
    SegmentedPropertyTypeCodeSequence: toCodeSequence(segment.type),
  };
  if (segment.description) {
    item.SegmentDescription = segment.description;
  }
  const algorithm = input.algorithm;
  if (segment.algorithmType !== 'MANUAL' && algorithm) {
    item.SegmentAlgorithmName = algorithm.name;
    const identification: NaturalDataset = {
      AlgorithmFamilyCodeSequence: toCodeSequence(algorithm.family),
      AlgorithmName: algorithm.name,
      AlgorithmVersion: algorithm.version,
    };
    if (algorithm.source) {
      identification.AlgorithmSource = algorithm.source;
    }
    if (algorithm.model) {
      const standIn = algorithm.model.standIn ? '; stand-in weights, not trained MedSAM' : '';
      identification.AlgorithmParameters = `model=${algorithm.model.name}; modelVersion=${algorithm.model.version}${standIn}`;
    }
    item.SegmentationAlgorithmIdentificationSequence = [identification];
  }
  if (segment.recommendedDisplayCieLab) {
    item.RecommendedDisplayCIELabValue = segment.recommendedDisplayCieLab;
  }
  if (segment.trackingId !== undefined && segment.trackingUid !== undefined) {
    item.TrackingID = segment.trackingId;
    item.TrackingUID = segment.trackingUid;
  }
  return item;
}

function buildReferencedSeries(instances: SourceInstance[]): NaturalDataset[] {
  const bySeries = new Map<string, NaturalDataset[]>();
  for (const instance of instances) {
    const references = bySeries.get(instance.seriesInstanceUid) ?? [];
    references.push({ ReferencedSOPClassUID: instance.sopClassUid, ReferencedSOPInstanceUID: instance.sopInstanceUid });
    bySeries.set(instance.seriesInstanceUid, references);
  }
  return [...bySeries.entries()].map(([seriesInstanceUid, references]) => ({
    SeriesInstanceUID: seriesInstanceUid,
    ReferencedInstanceSequence: references,
  }));
}

function personName(name: string): { Alphabetic: string }[] | string {
  return name ? [{ Alphabetic: name }] : '';
}

/** True when a text value outside the default repertoire (ASCII) needs a character set. */
function needsUtf8(value: unknown): boolean {
  if (typeof value === 'string') {
    return /[^\x00-\x7f]/.test(value);
  }
  if (Array.isArray(value)) {
    return value.some(needsUtf8);
  }
  if (value && typeof value === 'object' && !(value instanceof ArrayBuffer)) {
    return Object.values(value).some(needsUtf8);
  }
  return false;
}
