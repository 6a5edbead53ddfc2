import { MedsamError } from '../MedsamError';
import { assertValidIntensityPolicy, type IntensityPolicy } from './IntensityPolicy';
import { assertValidModalityImage, type ModalityImage, type PixelValues } from './ModalityImage';
import type { Uint8Image } from './Uint8Image';

/**
 * Maps modality values to 8 bits with MedSAM's intensity rules (see
 * `IntensityPolicy`). Every mapping is `trunc((clip(v) - low) / (high - low) * 255)`
 * in float64, the same operations and order as numpy, so the bytes equal
 * the Python reference's.
 *
 * Throws `pixels/invalid` for bad geometry or non-finite values,
 * `pixels/unsupported` when the policy does not fit the sample count, and
 * `pixels/constant` when the mapped range is empty: the model would
 * otherwise see a uniform black image.
 */
export function toUint8Image(image: ModalityImage, policy: IntensityPolicy): Uint8Image {
  assertValidModalityImage(image);
  assertValidIntensityPolicy(policy);
  assertPolicyFitsSamples(image, policy);

  const result = mapToUint8(image, policy);
  assertNotUniform(result);
  return result;
}

function mapToUint8(image: ModalityImage, policy: IntensityPolicy): Uint8Image {
  const { values } = image;
  const { min, max } = findRange(values);
  const data = new Uint8Array(values.length);

  switch (policy.kind) {
    case 'ct-window': {
      const lowerHU = policy.windowCenterHU - policy.windowWidthHU / 2;
      const upperHU = policy.windowCenterHU + policy.windowWidthHU / 2;
      // Min-max of the clipped values equals clipping the data's own range.
      // With a volume range it is the volume's, as in pre_CT_MR.py. The
      // slice's own range is included, so a stale volume range cannot make
      // a value map outside 0..255.
      const { volumeRange } = policy;
      const dataMin = volumeRange ? Math.min(volumeRange.min, min) : min;
      const dataMax = volumeRange ? Math.max(volumeRange.max, max) : max;
      const low = clamp(dataMin, lowerHU, upperHU);
      const high = clamp(dataMax, lowerHU, upperHU);
      if (high === low) {
        throw new MedsamError(
          'pixels/constant',
          `Every pixel is ${low} HU after the CT window W${policy.windowWidthHU}/L${policy.windowCenterHU} ` +
            `(data range ${dataMin}..${dataMax} HU of the ${volumeRange ? 'volume' : 'slice'}), so MedSAM would ` +
            'see a uniform image. Choose another slice or window.',
        );
      }
      mapLinear(values, lowerHU, upperHU, low, high, data);
      return { ...shapeOf(image), data, applied: { policy, mappedLowValue: low, mappedHighValue: high } };
    }

    case 'percentile': {
      const { lowValue, highValue } = policy;
      if (highValue === lowValue) {
        throw new MedsamError(
          'pixels/constant',
          `The 0.5th and 99.5th percentiles are both ${lowValue} (from the ${policy.source}), ` +
            'so MedSAM would see a uniform image. Choose another slice or window.',
        );
      }
      mapLinear(values, lowValue, highValue, lowValue, highValue, data);
      for (let i = 0; i < values.length; i++) {
        if (values[i] === 0) data[i] = 0;
      }
      return {
        ...shapeOf(image),
        data,
        applied: { policy, mappedLowValue: lowValue, mappedHighValue: highValue },
      };
    }

    case 'rgb': {
      if (max === min) {
        throw new MedsamError(
          'pixels/constant',
          `Every RGB sample is ${min}, so MedSAM would see a uniform image.`,
        );
      }
      if (min >= 0 && max <= 255) {
        for (let i = 0; i < values.length; i++) data[i] = Math.trunc(values[i] as number);
        return { ...shapeOf(image), data, applied: { policy, mappedLowValue: 0, mappedHighValue: 255 } };
      }
      mapLinear(values, min, max, min, max, data);
      return { ...shapeOf(image), data, applied: { policy, mappedLowValue: min, mappedHighValue: max } };
    }

    default: {
      const unknown: never = policy;
      throw new MedsamError('config/invalid', `Intensity policy ${JSON.stringify(unknown)} is unknown.`);
    }
  }
}

/**
 * Writes `trunc((clip(v, clipLow, clipHigh) - low) / (high - low) * 255)`.
 * The truncation matches `np.uint8` of a float array in [0, 255].
 */
function mapLinear(
  values: PixelValues,
  clipLow: number,
  clipHigh: number,
  low: number,
  high: number,
  out: Uint8Array,
): void {
  const range = high - low;
  for (let i = 0; i < values.length; i++) {
    const clipped = clamp(values[i] as number, clipLow, clipHigh);
    out[i] = Math.trunc(((clipped - low) / range) * 255.0);
  }
}

/**
 * Rejects a uniform 8-bit result, for example volume percentiles applied to
 * a slice whose values all lie below the low percentile.
 */
function assertNotUniform(image: Uint8Image): void {
  const { data } = image;
  const first = data[0];
  for (let i = 1; i < data.length; i++) {
    if (data[i] !== first) return;
  }
  const { policy } = image.applied;
  throw new MedsamError(
    'pixels/constant',
    `Every pixel is ${String(first)} after the '${policy.kind}' intensity mapping ` +
      `(${image.applied.mappedLowValue}..${image.applied.mappedHighValue}), so MedSAM would see a uniform image. ` +
      'Choose another slice or intensity policy.',
  );
}

function clamp(value: number, low: number, high: number): number {
  if (value < low) return low;
  if (value > high) return high;
  return value;
}

function findRange(values: PixelValues): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function shapeOf(image: ModalityImage): Pick<Uint8Image, 'width' | 'height' | 'samplesPerPixel'> {
  return { width: image.width, height: image.height, samplesPerPixel: image.samplesPerPixel };
}

function assertPolicyFitsSamples(image: ModalityImage, policy: IntensityPolicy): void {
  const wantsColour = policy.kind === 'rgb';
  const isColour = image.samplesPerPixel === 3;
  if (wantsColour !== isColour) {
    throw new MedsamError(
      'pixels/unsupported',
      `Intensity policy '${policy.kind}' does not apply to an image with SamplesPerPixel ` +
        `${image.samplesPerPixel}: use 'rgb' for colour and 'ct-window' or 'percentile' for grayscale.`,
    );
  }
}
