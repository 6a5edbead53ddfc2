import { MedsamError } from '../MedsamError';
import type { MedsamTransform } from './MedsamTransform';

/**
 * A box prompt in image pixel-corner coordinates: (0, 0) is the top-left
 * corner of the first pixel and (width, height) the bottom-right corner of
 * the last, so a box around pixel columns 95..189 has x0 = 95, x1 = 190.
 */
export interface BoxPixels {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Scales a box to MedSAM's 1024 space: x * 1024 / imageWidth and
 * y * 1024 / imageHeight, computed in float64 and rounded to float32 as
 * MedSAM's inference script does. Returns [x0, y0, x1, y1].
 *
 * Corners outside the image are clamped to its edges, because a box
 * dragged past the border still means "up to the border". Throws
 * `box/invalid` for non-finite corners, x1 <= x0 or y1 <= y0, and for a box
 * that lies entirely outside the image.
 */
export function boxToModelSpace(box: BoxPixels, transform: MedsamTransform): Float32Array {
  const { x0, y0, x1, y1 } = box;
  const { imageWidth, imageHeight, inputSize } = transform;
  const text = `[${x0}, ${y0}, ${x1}, ${y1}]`;

  if (![x0, y0, x1, y1].every(Number.isFinite)) {
    throw new MedsamError('box/invalid', `Box ${text} is invalid: every corner must be a finite number of pixels.`);
  }
  if (x1 <= x0 || y1 <= y0) {
    throw new MedsamError(
      'box/invalid',
      `Box ${text} is invalid: it needs x1 > x0 and y1 > y0 (pixel corners, x0 and y0 top-left).`,
    );
  }
  if (x1 <= 0 || y1 <= 0 || x0 >= imageWidth || y0 >= imageHeight) {
    throw new MedsamError(
      'box/invalid',
      `Box ${text} lies outside the ${imageWidth}x${imageHeight} image: draw it over the image.`,
    );
  }

  const corners = [
    clamp(x0, imageWidth),
    clamp(y0, imageHeight),
    clamp(x1, imageWidth),
    clamp(y1, imageHeight),
  ];
  const sizes = [imageWidth, imageHeight, imageWidth, imageHeight];
  const out = new Float32Array(4);
  for (let i = 0; i < 4; i++) out[i] = ((corners[i] as number) / (sizes[i] as number)) * inputSize;
  return out;
}

function clamp(value: number, size: number): number {
  if (value < 0) return 0;
  if (value > size) return size;
  return value;
}
