import type { PixelBoundingBox } from './PhantomSeries';

/**
 * Finds the inclusive pixel bounding box of the non-zero pixels of a
 * row-major mask `columns` wide, or null when the mask is empty.
 */
export function findMaskBoundingBox(mask: Uint8Array, columns: number): PixelBoundingBox | null {
  let xMin = Infinity;
  let yMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;

  for (let index = 0; index < mask.length; index++) {
    if (mask[index] === 0) {
      continue;
    }
    const x = index % columns;
    const y = (index - x) / columns;
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }

  return xMax < 0 ? null : { xMin, yMin, xMax, yMax };
}
