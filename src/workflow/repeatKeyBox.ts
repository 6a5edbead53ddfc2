import { MedsamError } from '../MedsamError';
import { clipBoxToImage } from './clipBoxToImage';
import { describeSlice } from './describeSlice';
import { findSliceIndex } from './findSliceIndex';
import { projectBoxToPlane } from './projectBoxToPlane';
import { resolveKeyBoxes } from './resolveKeyBoxes';
import type { KeyBox, SeriesSlice, SliceBox, SliceReference } from './SeriesSlice';

/** The two end slices of a range, inclusive, in either spatial order. */
export interface SliceRange {
  first: SliceReference;
  last: SliceReference;
}

/**
 * Copies one key box onto every slice of a range, in ascending position
 * along the slice normal: the same patient-space rectangle, projected into
 * the pixel grid of each slice and clipped to its image. The key slice gets
 * its box unchanged and must lie inside the range.
 *
 * Throws MedsamError `box/invalid` for a key box outside its image, a key
 * slice outside the range, or a range end that is not in `slices`, and
 * `series/invalid` for invalid slice geometry.
 */
export function repeatKeyBox(slices: readonly SeriesSlice[], keyBox: KeyBox, range: SliceRange): SliceBox[] {
  const { order, keys } = resolveKeyBoxes(slices, [keyBox]);
  const keyIndex = keys[0]!.sliceIndex;
  const keySlice = slices[keyIndex]!;
  const firstIndex = findSliceIndex(slices, range.first, 'first slice of the range');
  const lastIndex = findSliceIndex(slices, range.last, 'last slice of the range');

  const positionOf = (index: number): number => order.slices.find(entry => entry.sliceIndex === index)!.positionMm;
  const lowMm = Math.min(positionOf(firstIndex), positionOf(lastIndex));
  const highMm = Math.max(positionOf(firstIndex), positionOf(lastIndex));
  const keyMm = positionOf(keyIndex);
  if (keyMm < lowMm || keyMm > highMm) {
    throw new MedsamError(
      'box/invalid',
      `The key box is on ${describeSlice(keyIndex, keySlice)} at ${keyMm.toFixed(3)} mm, outside the range from ` +
        `${lowMm.toFixed(3)} to ${highMm.toFixed(3)} mm along the slice normal; choose a range that contains the key slice.`
    );
  }

  return order.slices
    .filter(entry => entry.positionMm >= lowMm && entry.positionMm <= highMm)
    .map(({ sliceIndex, positionMm }) => {
      const slice = slices[sliceIndex]!;
      const isKeySlice = sliceIndex === keyIndex;
      const box = isKeySlice
        ? { ...keyBox.box }
        : clipBoxToImage(projectBoxToPlane(keyBox.box, keySlice.plane, slice.plane), slice, sliceIndex);
      return {
        sopInstanceUid: slice.sopInstanceUid,
        frameNumber: slice.frameNumber,
        sliceIndex,
        positionMm,
        box,
        isKeySlice,
      };
    });
}
