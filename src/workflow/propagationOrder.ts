import { MedsamError } from '../MedsamError';
import { orderSlicesAlongNormal } from './orderSlicesAlongNormal';
import type { SeriesSlice } from './SeriesSlice';

/** The slices on either side of a start slice, nearest first. */
export interface PropagationOrder {
  /** Indices into `slices` of the slices above the start slice along the normal, in ascending position. */
  ascending: number[];
  /** Indices into `slices` of the slices below the start slice, in descending position. */
  descending: number[];
}

/**
 * Lists the slices in the order that propagation visits them: outwards from
 * the start slice along the slice normal, one list per direction, each
 * nearest first. The start slice itself is in neither list. Array order
 * and InstanceNumber play no part.
 *
 * Throws MedsamError `series/invalid` for an index outside `slices` or for
 * invalid slice geometry (see `orderSlicesAlongNormal`).
 */
export function propagationOrder(slices: readonly SeriesSlice[], startSliceIndex: number): PropagationOrder {
  if (!Number.isInteger(startSliceIndex) || startSliceIndex < 0 || startSliceIndex >= slices.length) {
    throw new MedsamError(
      'series/invalid',
      `The start slice index ${startSliceIndex} is invalid: expected an integer from 0 to ${slices.length - 1}.`
    );
  }
  const order = orderSlicesAlongNormal(slices, { referenceSliceIndex: startSliceIndex });
  const sorted = order.slices.map(entry => entry.sliceIndex);
  const startRank = sorted.indexOf(startSliceIndex);
  return {
    ascending: sorted.slice(startRank + 1),
    descending: sorted.slice(0, startRank).reverse(),
  };
}
