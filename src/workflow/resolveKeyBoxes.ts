import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';
import { checkBoxInImage } from './checkBoxInImage';
import { describeSlice } from './describeSlice';
import { findSliceIndex } from './findSliceIndex';
import { orderSlicesAlongNormal, type SliceOrder } from './orderSlicesAlongNormal';
import type { KeyBox, SeriesSlice } from './SeriesSlice';

/** A key box with the slice it lies on. */
export interface ResolvedKeyBox {
  /** Index of the key slice in `slices`. */
  sliceIndex: number;
  /** Position of the key slice along the slice normal, mm. */
  positionMm: number;
  box: PixelBox;
}

/** The spatial order of a series and its key boxes, both along the normal of the first key slice. */
export interface ResolvedKeyBoxes {
  order: SliceOrder;
  /** Key boxes in ascending position along the normal. */
  keys: ResolvedKeyBox[];
}

/**
 * Finds the slice of every key box, checks each box against its image,
 * and orders the series along the normal of the first key box's slice.
 *
 * Throws MedsamError `box/invalid` for no key boxes, a key box on a slice
 * that is not in `slices`, two key boxes on one slice, or a box outside its
 * image, and `series/invalid` for invalid slice geometry.
 */
export function resolveKeyBoxes(slices: readonly SeriesSlice[], keyBoxes: readonly KeyBox[]): ResolvedKeyBoxes {
  if (keyBoxes.length === 0) {
    throw new MedsamError('box/invalid', 'The list of key boxes is empty; draw a box on at least one slice.');
  }
  const sliceIndices = keyBoxes.map((key, index) => findSliceIndex(slices, key, `key box ${index}`));
  const order = orderSlicesAlongNormal(slices, { referenceSliceIndex: sliceIndices[0] });
  const positionBySliceIndex = new Map(order.slices.map(entry => [entry.sliceIndex, entry.positionMm]));

  const keyIndexBySlice = new Map<number, number>();
  const keys = keyBoxes.map((key, keyIndex) => {
    const sliceIndex = sliceIndices[keyIndex]!;
    const slice = slices[sliceIndex]!;
    const earlier = keyIndexBySlice.get(sliceIndex);
    if (earlier !== undefined) {
      throw new MedsamError(
        'box/invalid',
        `Key boxes ${earlier} and ${keyIndex} are both on ${describeSlice(sliceIndex, slice)}; keep one box per slice.`
      );
    }
    keyIndexBySlice.set(sliceIndex, keyIndex);
    checkBoxInImage(key.box, slice, sliceIndex);
    return { sliceIndex, positionMm: positionBySliceIndex.get(sliceIndex)!, box: { ...key.box } };
  });
  keys.sort((a, b) => a.positionMm - b.positionMm);

  return { order, keys };
}
