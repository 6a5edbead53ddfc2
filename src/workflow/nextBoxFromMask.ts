import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';

/**
 * Computes the prompt box for the next slice from the mask of the previous
 * one: the bounding box of the mask's non-zero pixels, grown by `marginPx`
 * on every side and clipped to the image. The box is in the corner
 * convention, so a mask whose pixels span columns xMin..xMax gives
 * x0 = xMin - marginPx and x1 = xMax + 1 + marginPx. Returns null when the
 * mask is empty, which ends propagation in that direction.
 *
 * Throws MedsamError `mask/invalid` when `mask` is not `width * height`
 * long, and `box/invalid` for a negative or non-finite margin.
 */
export function nextBoxFromMask(mask: Uint8Array, width: number, height: number, marginPx: number): PixelBox | null {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new MedsamError('mask/invalid', `The mask size ${width}x${height} is invalid: expected positive integers.`);
  }
  if (mask.length !== width * height) {
    throw new MedsamError(
      'mask/invalid',
      `The mask has ${mask.length} values, but a ${width}x${height} image needs ${width * height}.`
    );
  }
  if (!Number.isFinite(marginPx) || marginPx < 0) {
    throw new MedsamError(
      'box/invalid',
      `The box margin ${marginPx} px is invalid: expected a finite number of pixels of at least 0.`
    );
  }

  let xMin = width;
  let yMin = height;
  let xMax = -1;
  let yMax = -1;
  for (let y = 0; y < height; y++) {
    const rowStart = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[rowStart + x] !== 0) {
        if (x < xMin) xMin = x;
        if (x > xMax) xMax = x;
        if (y < yMin) yMin = y;
        yMax = y;
      }
    }
  }
  if (xMax < 0) {
    return null;
  }

  return {
    x0: Math.max(0, xMin - marginPx),
    y0: Math.max(0, yMin - marginPx),
    x1: Math.min(width, xMax + 1 + marginPx),
    y1: Math.min(height, yMax + 1 + marginPx),
  };
}
