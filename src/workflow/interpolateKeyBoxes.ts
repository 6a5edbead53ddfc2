import type { PixelBox } from '../protocol/workerMessages';
import { clipBoxToImage } from './clipBoxToImage';
import { projectBoxToPlane } from './projectBoxToPlane';
import { resolveKeyBoxes } from './resolveKeyBoxes';
import type { KeyBox, SeriesSlice, SliceBox } from './SeriesSlice';

/**
 * Computes a box for every slice from the first to the last key slice, in
 * ascending position along the slice normal. Between two neighbouring key
 * slices at positions s_a and s_b, each corner of the box at position s is
 * (1 - t) * corner_a + t * corner_b with t = (s - s_a) / (s_b - s_a), so
 * uneven spacing and gaps are weighted by distance, not by slice count.
 *
 * Corners are interpolated in the pixel grid of the first key slice in
 * spatial order and then projected through patient coordinates into the
 * pixel grid of each slice (see `projectBoxToPlane`), and clipped to its
 * image. Key slices get their key box unchanged. Slices outside the key
 * range get no box. A single key box returns only that slice; use
 * `repeatKeyBox` to copy it over a range.
 *
 * Throws MedsamError `box/invalid` for no key boxes, a key box outside its
 * image or on a slice that is not in `slices`, or two key boxes on one
 * slice. Throws `series/invalid` for invalid slice geometry, which includes
 * a slice that is not parallel to the key slices.
 */
export function interpolateKeyBoxes(slices: readonly SeriesSlice[], keyBoxes: readonly KeyBox[]): SliceBox[] {
  const resolved = resolveKeyBoxes(slices, keyBoxes);
  const first = resolved.keys[0]!;
  const last = resolved.keys[resolved.keys.length - 1]!;
  const referencePlane = slices[first.sliceIndex]!.plane;
  const keys = resolved.keys.map(key => ({
    ...key,
    referenceBox: projectBoxToPlane(key.box, slices[key.sliceIndex]!.plane, referencePlane),
  }));

  const result: SliceBox[] = [];
  let segment = 0;
  for (const { sliceIndex, positionMm } of resolved.order.slices) {
    if (positionMm < first.positionMm || positionMm > last.positionMm) {
      continue;
    }
    const slice = slices[sliceIndex]!;
    const identity = { sopInstanceUid: slice.sopInstanceUid, frameNumber: slice.frameNumber };
    const key = keys.find(candidate => candidate.sliceIndex === sliceIndex);
    if (key) {
      result.push({ ...identity, sliceIndex, positionMm, box: { ...key.box }, isKeySlice: true });
      continue;
    }

    while (keys[segment + 1]!.positionMm < positionMm) {
      segment++;
    }
    const below = keys[segment]!;
    const above = keys[segment + 1]!;
    const t = (positionMm - below.positionMm) / (above.positionMm - below.positionMm);
    const referenceBox = lerpBox(below.referenceBox, above.referenceBox, t);
    const box = clipBoxToImage(projectBoxToPlane(referenceBox, referencePlane, slice.plane), slice, sliceIndex);
    result.push({ ...identity, sliceIndex, positionMm, box, isKeySlice: false });
  }
  return result;
}

function lerpBox(a: PixelBox, b: PixelBox, t: number): PixelBox {
  return {
    x0: a.x0 + (b.x0 - a.x0) * t,
    y0: a.y0 + (b.y0 - a.y0) * t,
    x1: a.x1 + (b.x1 - a.x1) * t,
    y1: a.y1 + (b.y1 - a.y1) * t,
  };
}
