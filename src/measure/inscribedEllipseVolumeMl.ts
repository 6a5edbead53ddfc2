import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';

/**
 * Estimates a volume from one box per slice, in mL: the sum of the areas of
 * the ellipses inscribed in the boxes, pi x a x b with the semi-axes
 * a = (x1 - x0) x columnSpacingMm / 2 and b = (y1 - y0) x rowSpacingMm / 2,
 * times the slice spacing. It is the volume that a segmentation of exactly
 * those inscribed ellipses should measure, up to the rasterisation of each
 * ellipse to whole pixels.
 *
 * Throws MedsamError `box/invalid` for a box with non-finite corners or a
 * negative width or height, and `series/invalid` for a spacing that is not
 * a positive number.
 */
export function inscribedEllipseVolumeMl(
  boxes: readonly PixelBox[],
  spacing: { rowSpacingMm: number; columnSpacingMm: number; sliceSpacingMm: number }
): number {
  for (const [name, value] of Object.entries(spacing)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new MedsamError('series/invalid', `The ${name} ${value} is invalid: expected a positive number of millimetres.`);
    }
  }

  let areaMm2 = 0;
  boxes.forEach((box, index) => {
    const widthPx = box.x1 - box.x0;
    const heightPx = box.y1 - box.y0;
    if (!Number.isFinite(widthPx) || !Number.isFinite(heightPx) || widthPx < 0 || heightPx < 0) {
      throw new MedsamError(
        'box/invalid',
        `Box ${index} {x0: ${box.x0}, y0: ${box.y0}, x1: ${box.x1}, y1: ${box.y1}} is invalid: ` +
          'expected finite corners with x0 <= x1 and y0 <= y1.'
      );
    }
    const semiAxisXMm = (widthPx * spacing.columnSpacingMm) / 2;
    const semiAxisYMm = (heightPx * spacing.rowSpacingMm) / 2;
    areaMm2 += Math.PI * semiAxisXMm * semiAxisYMm;
  });

  return (areaMm2 * spacing.sliceSpacingMm) / 1000;
}
