import { measureSegmentation } from '../../../src/measure';
import type { CornerstoneLibraries } from '../cornerstoneTypes';
import { readMaskFromLabelmap } from '../segmentation/writeMaskToLabelmap';
import type { RangeSeries } from './planRange';
import type { MeasurementState } from './RangeState';

/**
 * Measures one segment of a labelmap over every slice of its series:
 * volume, longest in-plane diameter and slice range (see
 * `measureSegmentation`).
 */
export function measureCurrentSegment(
  libraries: CornerstoneLibraries,
  series: RangeSeries,
  segmentationId: string,
  segmentIndex: number
): MeasurementState {
  const masks = series.imageIds.map(imageId => readMaskFromLabelmap(libraries, segmentationId, imageId, segmentIndex));
  const measurement = measureSegmentation(series.slices, masks);
  if (!measurement.sliceRange) {
    return { phase: 'empty' };
  }
  return {
    phase: 'ready',
    volumeMl: measurement.volumeMl,
    longestDiameterMm: measurement.longestDiameter?.lengthMm ?? null,
    diameterSliceIndex: measurement.longestDiameter?.slice.sliceIndex ?? null,
    firstSliceIndex: measurement.sliceRange.first.sliceIndex,
    lastSliceIndex: measurement.sliceRange.last.sliceIndex,
    sliceCount: measurement.sliceRange.sliceCount,
    extentMm: measurement.sliceRange.extentMm,
  };
}
