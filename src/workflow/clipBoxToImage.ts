import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';
import { describeSlice } from './describeSlice';
import { formatBox } from './formatBox';
import type { SeriesSlice } from './SeriesSlice';

/**
 * Clips a projected or interpolated box to the image of its slice. Throws
 * MedsamError `box/invalid` when less than one pixel of width or height
 * remains, which happens only when the slices' pixel grids cover different
 * parts of the patient.
 */
export function clipBoxToImage(box: PixelBox, slice: SeriesSlice, sliceIndex: number): PixelBox {
  const clipped = {
    x0: Math.max(0, box.x0),
    y0: Math.max(0, box.y0),
    x1: Math.min(slice.columns, box.x1),
    y1: Math.min(slice.rows, box.y1),
  };
  if (!(clipped.x1 - clipped.x0 >= 1 && clipped.y1 - clipped.y0 >= 1)) {
    throw new MedsamError(
      'box/invalid',
      `The box ${formatBox(box)} projected onto ${describeSlice(sliceIndex, slice)} has less than one pixel of ` +
        `width or height inside its ${slice.columns}x${slice.rows} image; check that the slices cover the same region.`
    );
  }
  return clipped;
}
