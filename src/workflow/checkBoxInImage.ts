import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';
import { describeSlice } from './describeSlice';
import { formatBox } from './formatBox';
import type { SeriesSlice } from './SeriesSlice';

/**
 * Checks that a key box has finite corners, positive width and height, and
 * lies inside the image of its slice. Throws MedsamError `box/invalid`
 * otherwise.
 */
export function checkBoxInImage(box: PixelBox, slice: SeriesSlice, sliceIndex: number): void {
  const { x0, y0, x1, y1 } = box;
  const text = formatBox(box);
  const name = describeSlice(sliceIndex, slice);
  if (![x0, y0, x1, y1].every(Number.isFinite)) {
    throw new MedsamError('box/invalid', `The key box ${text} on ${name} is invalid: every corner must be a finite number of pixels.`);
  }
  if (!(x0 < x1 && y0 < y1)) {
    throw new MedsamError(
      'box/invalid',
      `The key box ${text} on ${name} is invalid: expected x0 < x1 and y0 < y1, a box with positive width and height.`
    );
  }
  if (x0 < 0 || y0 < 0 || x1 > slice.columns || y1 > slice.rows) {
    throw new MedsamError(
      'box/invalid',
      `The key box ${text} on ${name} is invalid: it extends past the ${slice.columns}x${slice.rows} image, ` +
        `so expected 0 <= x0, x1 <= ${slice.columns}, 0 <= y0 and y1 <= ${slice.rows} pixels.`
    );
  }
}
