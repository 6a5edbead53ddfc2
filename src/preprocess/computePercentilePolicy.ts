import type { IntensityPolicy } from './IntensityPolicy';
import type { PixelValues } from './ModalityImage';
import { VolumeStatistics } from './VolumeStatistics';

export { HIGH_PERCENTILE, LOW_PERCENTILE } from './VolumeStatistics';

/**
 * Computes the 0.5th and 99.5th percentiles of the values greater than 0,
 * as MedSAM's pre-processing does for MR and other non-CT images (numpy's
 * default 'linear' method). Pass every slice of a volume for `source:
 * 'volume'` or one frame for `source: 'slice'`; the source is recorded in
 * the policy. Throws `pixels/constant` when no value is above 0. To add
 * frames as they arrive, use `VolumeStatistics`.
 */
export function computePercentilePolicy(
  frames: PixelValues | readonly PixelValues[],
  source: 'volume' | 'slice',
): Extract<IntensityPolicy, { kind: 'percentile' }> {
  const statistics = new VolumeStatistics();
  const list: readonly PixelValues[] = ArrayBuffer.isView(frames) ? [frames as PixelValues] : (frames as readonly PixelValues[]);
  for (const values of list) statistics.addFrame(values);
  return statistics.percentilePolicy(source);
}
