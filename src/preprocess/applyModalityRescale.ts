import { MedsamError } from '../MedsamError';
import type { ModalityImage, PixelValues } from './ModalityImage';

/** The DICOM Modality LUT as a linear function: RescaleSlope (0028,1053), RescaleIntercept (0028,1052). */
export interface ModalityRescale {
  slope: number;
  intercept: number;
}

/** A frame of stored values (Pixel Data as decoded), before the Modality LUT. */
export interface StoredPixelImage {
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  storedValues: PixelValues;
}

/**
 * Applies `modality = stored * slope + intercept` once and returns the frame
 * in modality units (HU for CT). The caller passes `rescale` explicitly, so a
 * CT without RescaleSlope/RescaleIntercept cannot be mistaken for HU:
 * `undefined` raises `pixels/invalid`. Integer slope and intercept give an
 * Int32Array (exact); others give a Float64Array, as pydicom's
 * `apply_modality_lut` computes in float64.
 */
export function applyModalityRescale(
  image: StoredPixelImage,
  rescale: ModalityRescale | undefined,
): ModalityImage {
  if (rescale === undefined) {
    throw new MedsamError(
      'pixels/invalid',
      'RescaleSlope/RescaleIntercept are missing: CT values cannot be converted to HU. ' +
        'Pass { slope: 1, intercept: 0 } only when the stored values are already HU.',
    );
  }

  const { slope, intercept } = rescale;
  if (!Number.isFinite(slope) || !Number.isFinite(intercept) || slope === 0) {
    throw new MedsamError(
      'pixels/invalid',
      `Rescale slope ${slope} / intercept ${intercept} is invalid: both must be finite and the slope non-zero.`,
    );
  }

  const stored = image.storedValues;
  const integral = Number.isInteger(slope) && Number.isInteger(intercept) && isIntegerArray(stored);
  const values = integral ? new Int32Array(stored.length) : new Float64Array(stored.length);

  for (let i = 0; i < stored.length; i++) {
    values[i] = (stored[i] as number) * slope + intercept;
  }

  if (integral) {
    assertInt32Exact(stored, slope, intercept);
  }

  return { width: image.width, height: image.height, samplesPerPixel: image.samplesPerPixel, values };
}

function isIntegerArray(values: PixelValues): boolean {
  return !(values instanceof Float32Array || values instanceof Float64Array);
}

/** Rejects integer rescales whose result leaves the Int32 range (it would wrap). */
function assertInt32Exact(stored: PixelValues, slope: number, intercept: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }

  const ends = [min * slope + intercept, max * slope + intercept];
  for (const end of ends) {
    if (end < -2147483648 || end > 2147483647) {
      throw new MedsamError(
        'pixels/invalid',
        `Rescaled value ${end} (slope ${slope}, intercept ${intercept}) is outside the 32-bit range.`,
      );
    }
  }
}
