export { createPhantomSeries } from './createPhantomSeries';
export {
  createGroundTruthReport,
  concatenateGroundTruthMasks,
  phantomFileName,
  GROUND_TRUTH_MASK_FILE_NAME,
} from './createGroundTruthReport';
export type { GroundTruthReport, GroundTruthReportSlice } from './createGroundTruthReport';
export { findMaskBoundingBox } from './findMaskBoundingBox';
export { CT_IMAGE_STORAGE } from './createCtImageDataset';
export { DEFAULT_PHANTOM_LESION, PHANTOM_HU } from './PhantomOptions';
export type { PhantomLesion, PhantomOptions, Vector3Mm } from './PhantomOptions';
export type { PhantomInstance, PhantomMaskSlice, PhantomSeries, PixelBoundingBox } from './PhantomSeries';
