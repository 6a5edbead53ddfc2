import { MedsamError } from '../MedsamError';
import type { SeriesSlice, SliceReference } from './SeriesSlice';

/**
 * Returns the index in `slices` of the slice with the referenced SOP
 * Instance UID and frame number. Throws MedsamError `box/invalid`, with
 * `referenceName` naming the reference in the message, when no slice matches.
 */
export function findSliceIndex(slices: readonly SeriesSlice[], reference: SliceReference, referenceName: string): number {
  const index = slices.findIndex(
    slice => slice.sopInstanceUid === reference.sopInstanceUid && slice.frameNumber === reference.frameNumber
  );
  if (index < 0) {
    throw new MedsamError(
      'box/invalid',
      `The ${referenceName} refers to SOP Instance UID ${reference.sopInstanceUid}, frame ${reference.frameNumber}, ` +
        `which is not among the ${slices.length} slices of the series; pass the slices of the series the box was drawn on.`
    );
  }
  return index;
}
