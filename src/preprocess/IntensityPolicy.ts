import { MedsamError } from '../MedsamError';

/** Named CT windows, as MedSAM's CT pre-processing uses them (width and level in HU). */
export type CtWindowPreset = 'soft-tissue' | 'lung' | 'brain';

/** Window center (level) and width in HU for each preset. */
export const CT_WINDOW_PRESETS: Readonly<
  Record<CtWindowPreset, { windowCenterHU: number; windowWidthHU: number }>
> = {
  'soft-tissue': { windowCenterHU: 40, windowWidthHU: 400 },
  lung: { windowCenterHU: -160, windowWidthHU: 1500 },
  brain: { windowCenterHU: 40, windowWidthHU: 80 },
};

/**
 * Rule that maps modality values to the 8-bit image MedSAM was trained on.
 *
 * - `ct-window`: clip HU to [center - width/2, center + width/2], then min-max
 *   of the clipped values to [0, 255]. The min-max runs over `volumeRange`,
 *   the HU range of the whole series, when it is given, as pre_CT_MR.py
 *   does, and over this slice otherwise.
 * - `percentile`: clip to [lowValue, highValue] (the 0.5th and 99.5th
 *   percentiles of the positive values, from the whole volume or from this
 *   slice), min-max to [0, 255], and pixels that are exactly 0 stay 0.
 * - `rgb`: values already in [0, 255] are kept (truncated to integers),
 *   others are min-maxed over all three channels to [0, 255].
 */
export type IntensityPolicy =
  | {
      kind: 'ct-window';
      windowCenterHU: number;
      windowWidthHU: number;
      preset?: CtWindowPreset | 'custom';
      /** Min and max HU of every slice of the series; absent when only this slice's are known. */
      volumeRange?: { min: number; max: number };
    }
  | { kind: 'percentile'; lowValue: number; highValue: number; source: 'volume' | 'slice' }
  | { kind: 'rgb' };

/** The `ct-window` member of `IntensityPolicy`. */
export type CtWindowPolicy = Extract<IntensityPolicy, { kind: 'ct-window' }>;

/** Returns the `ct-window` policy for a preset. */
export function ctWindowPolicy(preset: CtWindowPreset): CtWindowPolicy {
  const window = CT_WINDOW_PRESETS[preset];
  return { kind: 'ct-window', ...window, preset };
}

/** Returns a custom `ct-window` policy after checking that the width is positive. */
export function customCtWindowPolicy(windowCenterHU: number, windowWidthHU: number): CtWindowPolicy {
  const policy: CtWindowPolicy = { kind: 'ct-window', windowCenterHU, windowWidthHU, preset: 'custom' };
  assertValidIntensityPolicy(policy);
  return policy;
}

/** Throws `MedsamError` `config/invalid` when a policy's numbers cannot be applied. */
export function assertValidIntensityPolicy(policy: IntensityPolicy): void {
  switch (policy.kind) {
    case 'ct-window': {
      const { windowCenterHU, windowWidthHU } = policy;
      if (!Number.isFinite(windowCenterHU) || !Number.isFinite(windowWidthHU) || windowWidthHU <= 0) {
        throw new MedsamError(
          'config/invalid',
          `CT window W${windowWidthHU}/L${windowCenterHU} HU is invalid: the width must be a positive ` +
            'number and the center a finite number.',
        );
      }
      const { volumeRange } = policy;
      if (volumeRange && !(Number.isFinite(volumeRange.min) && Number.isFinite(volumeRange.max) && volumeRange.min <= volumeRange.max)) {
        throw new MedsamError(
          'config/invalid',
          `Volume range [${volumeRange.min}, ${volumeRange.max}] HU is invalid: both ends must be finite and min <= max.`,
        );
      }
      return;
    }
    case 'percentile': {
      const { lowValue, highValue } = policy;
      if (!Number.isFinite(lowValue) || !Number.isFinite(highValue) || highValue < lowValue) {
        throw new MedsamError(
          'config/invalid',
          `Percentile range [${lowValue}, ${highValue}] is invalid: both ends must be finite and low <= high.`,
        );
      }
      return;
    }
    case 'rgb':
      return;
    default: {
      const unknown: never = policy;
      throw new MedsamError('config/invalid', `Intensity policy ${JSON.stringify(unknown)} is unknown.`);
    }
  }
}
