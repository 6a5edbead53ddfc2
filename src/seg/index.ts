export { writeSegmentation } from './writeSegmentation';
export { readSegmentation } from './readSegmentation';
export type { DecodedSegmentation, SegmentationFrameMask, SegmentDescription } from './readSegmentation';
export { validateSegmentationInput } from './validateSegmentationInput';
export { describeSourceImage } from './describeSourceImage';
export { SEG_CODES } from './CodedConcept';
export type { CodedConcept } from './CodedConcept';
export { SEGMENTATION_STORAGE } from './buildSegmentationDataset';
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
  WriteSegmentationOptions,
  WriteSegmentationRequest,
  WrittenSegmentation,
} from './SegmentationInput';
export type { PatientIdentity, SourceImage, SourceImageInput, StudyIdentity } from './SourceImage';
