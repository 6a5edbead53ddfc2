import { SEG_CODES, toCodeSequence } from './CodedConcept';
import type { SegmentationFrame } from './collectSegmentationFrames';
import type { NaturalDataset } from './dcmjsData';
import type { ValidatedSegmentation } from './validateSegmentationInput';

// Attribute tags that the Dimension Index Sequence points at (PS3.6).
const TAG = {
  referencedSegmentNumber: 0x0062000b,
  segmentIdentificationSequence: 0x0062000a,
  imagePositionPatient: 0x00200032,
  planePositionSequence: 0x00209113,
  inStackPositionNumber: 0x00209057,
  frameContentSequence: 0x00209111,
} as const;

/** StackID of the one stack that frames without patient geometry form. */
const STACK_ID = '1';

/**
 * Builds the Shared Functional Groups item. With patient geometry it
 * contains Plane Orientation and Pixel Measures, which all frames share.
 * Without it the item is empty, because PS3.3 A.51.5.1 then ties each SEG
 * pixel to a source pixel through the Derivation Image group alone.
 */
export function buildSharedFunctionalGroups(input: ValidatedSegmentation): NaturalDataset {
  if (!input.hasPatientGeometry) {
    return {};
  }
  const geometries = input.frames.map((frame) => frame.geometry!);
  const first = geometries[0]!;
  const pixelMeasures: NaturalDataset = { PixelSpacing: first.pixelSpacingMm };
  const thickness = first.sliceThicknessMm;
  if (thickness !== undefined && geometries.every((geometry) => geometry.sliceThicknessMm === thickness)) {
    pixelMeasures.SliceThickness = thickness;
  }
  return {
    PlaneOrientationSequence: [{ ImageOrientationPatient: first.imageOrientationPatient }],
    PixelMeasuresSequence: [pixelMeasures],
  };
}

/**
 * Builds one Per-Frame Functional Groups item: the source frame it was
 * derived from (with Referenced Frame Number for a multi-frame source),
 * its dimension index values, its position when there is patient geometry
 * and its segment in a BINARY SEG.
 */
export function buildPerFrameFunctionalGroups(frame: SegmentationFrame, input: ValidatedSegmentation): NaturalDataset {
  const { instance, frameNumber, geometry } = frame.source;
  const sourceImage: NaturalDataset = {
    ReferencedSOPClassUID: instance.sopClassUid,
    ReferencedSOPInstanceUID: instance.sopInstanceUid,
  };
  if (instance.numberOfFrames > 1) {
    sourceImage.ReferencedFrameNumber = frameNumber;
  }
  sourceImage.PurposeOfReferenceCodeSequence = toCodeSequence(SEG_CODES.sourceImageForImageProcessingOperation);
  sourceImage.SpatialLocationsPreserved = 'YES';

  const indexValues = frame.segment ? [frame.segment.segmentNumber, frame.positionIndex] : [frame.positionIndex];
  const frameContent: NaturalDataset = input.hasPatientGeometry
    ? { DimensionIndexValues: indexValues }
    : { StackID: STACK_ID, InStackPositionNumber: frame.positionIndex, DimensionIndexValues: indexValues };

  const groups: NaturalDataset = {
    DerivationImageSequence: [
      {
        DerivationCodeSequence: toCodeSequence(SEG_CODES.segmentation),
        SourceImageSequence: [sourceImage],
      },
    ],
    FrameContentSequence: [frameContent],
  };
  if (geometry) {
    groups.PlanePositionSequence = [{ ImagePositionPatient: geometry.imagePositionPatient }];
  }
  if (frame.segment) {
    groups.SegmentIdentificationSequence = [{ ReferencedSegmentNumber: frame.segment.segmentNumber }];
  }
  return groups;
}

/**
 * Builds the Dimension Index Sequence. A BINARY SEG is indexed by segment
 * and then by position; a LABELMAP SEG, whose frames hold every segment,
 * by position only. The position is ImagePositionPatient when there is
 * patient geometry and the In-Stack Position Number otherwise.
 */
export function buildDimensionIndex(input: ValidatedSegmentation, dimensionOrganizationUid: string): NaturalDataset[] {
  const dimensions: NaturalDataset[] = [];
  if (input.segmentationType === 'BINARY') {
    dimensions.push({
      DimensionOrganizationUID: dimensionOrganizationUid,
      DimensionIndexPointer: TAG.referencedSegmentNumber,
      FunctionalGroupPointer: TAG.segmentIdentificationSequence,
      DimensionDescriptionLabel: 'ReferencedSegmentNumber',
    });
  }
  if (input.hasPatientGeometry) {
    dimensions.push({
      DimensionOrganizationUID: dimensionOrganizationUid,
      DimensionIndexPointer: TAG.imagePositionPatient,
      FunctionalGroupPointer: TAG.planePositionSequence,
      DimensionDescriptionLabel: 'ImagePositionPatient',
    });
  } else {
    // NOTE: for a cine source (ultrasound loop) this "stack" is a sequence in
    // time, not in space. The Derivation Image group names the source frame.
    dimensions.push({
      DimensionOrganizationUID: dimensionOrganizationUid,
      DimensionIndexPointer: TAG.inStackPositionNumber,
      FunctionalGroupPointer: TAG.frameContentSequence,
      DimensionDescriptionLabel: 'InStackPositionNumber',
    });
  }
  return dimensions;
}
