export { writeSegmentation } from './writeSegmentation';
export { readSegmentation } from './readSegmentation';
export type { DecodedSegmentation, SegmentationFrameMask, SegmentDescription } from './readSegmentation';
export { validateSegmentationInput } from './validateSegmentationInput';
export { describeSourceImage } from './describeSourceImage';
export { SEG_CODES } from './CodedConcept';
export type { CodedConcept } from './CodedConcept';
export {
  SEGMENTED_PROPERTY_CATEGORIES,
  SEGMENTED_PROPERTY_TYPES,
  findSegmentedPropertyType,
  isTypeInCategory,
  searchSegmentedPropertyTypes,
} from './segmentedPropertyCodes';
export type { SegmentedPropertyCategoryKey, SegmentedPropertyType } from './segmentedPropertyCodes';
export { LABEL_MAP_SEGMENTATION_STORAGE, SEGMENTATION_STORAGE } from './buildSegmentationDataset';
export { packBinaryFrames, unpackBinaryFrame } from './packBinaryFrames';
export { createUidGenerator } from './createUidGenerator';
export type { UidGenerator } from './createUidGenerator';
export { readPart10 } from './readPart10';
export { writePart10 } from './writePart10';
export type {
  AlgorithmIdentification,
  ModelIdentity,
  SegmentAlgorithmType,
  SegmentInput,
  SourceFrameMask,
  WriteSegmentationOptions,
  WriteSegmentationRequest,
  WrittenSegmentation,
  WrittenSegmentationType,
} from './SegmentationInput';
export type {
  PatientIdentity,
  SourceFrameGeometry,
  SourceImage,
  SourceImageInput,
  SourceInstance,
  StudyIdentity,
} from './SourceImage';
