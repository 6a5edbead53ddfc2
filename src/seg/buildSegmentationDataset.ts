import { SEG_CODES, toCodeSequence } from './CodedConcept';
import type { NaturalDataset } from './dcmjsData';
import { packBinaryFrames } from './packBinaryFrames';
import type { WriteSegmentationOptions } from './SegmentationInput';
import type { PositionedSourceImage } from './sortSourceImagesAlongNormal';
import type { ValidatedSegment, ValidatedSegmentation } from './validateSegmentationInput';

/** Segmentation Storage (BINARY and FRACTIONAL). */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** One frame of the SEG: a segment's mask on one source image. */
export interface SegmentationFrame {
  segment: ValidatedSegment;
  source: PositionedSourceImage;
  /** 1-based rank of the source image along the slice normal. */
  positionIndex: number;
  mask: Uint8Array;
}

/** UIDs, time and resolved options of one SEG instance. */
export interface SegmentationIdentity {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  dimensionOrganizationUid: string;
  /** DA and TM strings. */
  date: string;
  time: string;
  options: Required<Omit<WriteSegmentationOptions, 'seriesInstanceUid' | 'sopInstanceUid' | 'contentDateTime'>>;
}

// Attribute tags that the Dimension Index Sequence points at (PS3.6).
const TAG = {
  referencedSegmentNumber: 0x0062000b,
  segmentIdentificationSequence: 0x0062000a,
  imagePositionPatient: 0x00200032,
  planePositionSequence: 0x00209113,
} as const;

/**
 * Builds the naturalized dataset of a BINARY Segmentation IOD instance
 * (PS3.3 A.51) from validated input and the frames to write, in the order
 * they are given.
 */
export function buildSegmentationDataset(
  input: ValidatedSegmentation,
  frames: SegmentationFrame[],
  identity: SegmentationIdentity,
): NaturalDataset {
  const first = input.sources[0]!.image;
  const { options } = identity;

  const dataset: NaturalDataset = {
    SOPClassUID: SEGMENTATION_STORAGE,
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
    // Frame of Reference
    FrameOfReferenceUID: first.frameOfReferenceUid,
    PositionReferenceIndicator: '',
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
    SegmentationType: 'BINARY',
    SegmentSequence: input.segments.map((segment) => buildSegmentItem(segment, input)),
    // Image Pixel: 1 bit per pixel, packed across frames.
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: first.rows,
    Columns: first.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    // Multi-frame Functional Groups and Multi-frame Dimension
    NumberOfFrames: frames.length,
    SharedFunctionalGroupsSequence: [buildSharedFunctionalGroups(input)],
    PerFrameFunctionalGroupsSequence: frames.map(buildPerFrameFunctionalGroups),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: identity.dimensionOrganizationUid }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: identity.dimensionOrganizationUid,
        DimensionIndexPointer: TAG.referencedSegmentNumber,
        FunctionalGroupPointer: TAG.segmentIdentificationSequence,
        DimensionDescriptionLabel: 'ReferencedSegmentNumber',
      },
      {
        DimensionOrganizationUID: identity.dimensionOrganizationUid,
        DimensionIndexPointer: TAG.imagePositionPatient,
        FunctionalGroupPointer: TAG.planePositionSequence,
        DimensionDescriptionLabel: 'ImagePositionPatient',
      },
    ],
    // Common Instance Reference: every source image, grouped by series.
    ReferencedSeriesSequence: buildReferencedSeries(input.sources),
    PixelData: [
      packBinaryFrames(
        frames.map((frame) => frame.mask),
        first.rows * first.columns,
      ).buffer,
    ],
    _vrMap: { PixelData: 'OB' },
  };

  if (first.study.studyDescription) {
    dataset.StudyDescription = first.study.studyDescription;
  }
  if (needsUtf8(dataset)) {
    dataset.SpecificCharacterSet = 'ISO_IR 192';
  }
  return dataset;
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

function buildSharedFunctionalGroups(input: ValidatedSegmentation): NaturalDataset {
  const first = input.sources[0]!.image;
  const pixelMeasures: NaturalDataset = { PixelSpacing: first.pixelSpacingMm };
  const thickness = first.sliceThicknessMm;
  if (thickness !== undefined && input.sources.every((source) => source.image.sliceThicknessMm === thickness)) {
    pixelMeasures.SliceThickness = thickness;
  }
  return {
    PlaneOrientationSequence: [{ ImageOrientationPatient: first.imageOrientationPatient }],
    PixelMeasuresSequence: [pixelMeasures],
  };
}

function buildPerFrameFunctionalGroups(frame: SegmentationFrame): NaturalDataset {
  const image = frame.source.image;
  return {
    DerivationImageSequence: [
      {
        DerivationCodeSequence: toCodeSequence(SEG_CODES.segmentation),
        SourceImageSequence: [
          {
            ReferencedSOPClassUID: image.sopClassUid,
            ReferencedSOPInstanceUID: image.sopInstanceUid,
            PurposeOfReferenceCodeSequence: toCodeSequence(SEG_CODES.sourceImageForImageProcessingOperation),
            SpatialLocationsPreserved: 'YES',
          },
        ],
      },
    ],
    FrameContentSequence: [{ DimensionIndexValues: [frame.segment.segmentNumber, frame.positionIndex] }],
    PlanePositionSequence: [{ ImagePositionPatient: image.imagePositionPatient }],
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: frame.segment.segmentNumber }],
  };
}

function buildReferencedSeries(sources: PositionedSourceImage[]): NaturalDataset[] {
  const bySeries = new Map<string, NaturalDataset[]>();
  for (const { image } of sources) {
    const instances = bySeries.get(image.seriesInstanceUid) ?? [];
    instances.push({ ReferencedSOPClassUID: image.sopClassUid, ReferencedSOPInstanceUID: image.sopInstanceUid });
    bySeries.set(image.seriesInstanceUid, instances);
  }
  return [...bySeries.entries()].map(([seriesInstanceUid, instances]) => ({
    SeriesInstanceUID: seriesInstanceUid,
    ReferencedInstanceSequence: instances,
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
