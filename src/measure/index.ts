export { measureSegmentation } from './measureSegmentation';
export { findLongestInPlaneDiameter } from './findLongestInPlaneDiameter';
export { computeSlabThicknessesMm } from './computeSlabThicknessesMm';
export { inscribedEllipseVolumeMl } from './inscribedEllipseVolumeMl';
export type {
  InPlaneDiameter,
  MeasuredSlice,
  SegmentationMeasurement,
  SliceDiameter,
} from './SegmentationMeasurement';
