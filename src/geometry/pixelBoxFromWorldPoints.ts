import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';
import { worldToImagePixel, type ImagePlane } from './worldToImagePixel';

/**
 * Returns the axis-aligned pixel box that contains the given patient points
 * (the corners of a drawn rectangle), clipped to the image. Throws
 * `box/invalid` when the box lies outside the image or has no area there.
 */
export function pixelBoxFromWorldPoints(
  points: readonly (readonly number[])[],
  plane: ImagePlane,
  size: { width: number; height: number }
): PixelBox {
  if (points.length < 2) {
    throw new MedsamError('box/invalid', `A box needs at least 2 corner points, got ${points.length}.`);
  }
  const pixels = points.map(point => worldToImagePixel(point, plane));
  const xs = pixels.map(p => p.x);
  const ys = pixels.map(p => p.y);
  const box = {
    x0: Math.max(0, Math.min(...xs)),
    y0: Math.max(0, Math.min(...ys)),
    x1: Math.min(size.width, Math.max(...xs)),
    y1: Math.min(size.height, Math.max(...ys)),
  };
  if (!(box.x1 - box.x0 >= 1 && box.y1 - box.y0 >= 1)) {
    throw new MedsamError(
      'box/invalid',
      `The box [${xs.map(v => v.toFixed(1)).join(', ')}] x [${ys.map(v => v.toFixed(1)).join(', ')}] px ` +
        `has less than one pixel of area inside the ${size.width}x${size.height} image; draw it over the image.`
    );
  }
  return box;
}
