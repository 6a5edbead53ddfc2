import { computePercentilePolicy } from './computePercentilePolicy';
import { ctWindowPolicy, type IntensityPolicy } from './IntensityPolicy';
import type { ModalityImage } from './ModalityImage';

/**
 * Chooses MedSAM's intensity policy for a frame. Colour frames get 'rgb'
 * and CT (Modality (0008,0060) 'CT') the soft-tissue window W400/L40 HU.
 * Every other modality gets the 0.5th/99.5th percentiles of positive
 * values: `volumePercentiles` when the caller has them for the whole
 * series, otherwise this frame's.
 */
export function defaultIntensityPolicy(
  modality: string,
  image: ModalityImage,
  options: { volumePercentiles?: { lowValue: number; highValue: number } } = {},
): IntensityPolicy {
  if (image.samplesPerPixel === 3) return { kind: 'rgb' };
  if (modality.trim().toUpperCase() === 'CT') return ctWindowPolicy('soft-tissue');

  const { volumePercentiles } = options;
  if (volumePercentiles) return { kind: 'percentile', ...volumePercentiles, source: 'volume' };
  return computePercentilePolicy(image.values, 'slice');
}
