import { MedsamError } from '../../../src/MedsamError';
import { interpolateKeyBoxes, repeatKeyBox, type SeriesSlice, type SliceBox, type SliceOrder } from '../../../src/workflow';
import type { KeyBoxEntry } from './listKeyBoxes';
import type { RangeMode, RangeSlice } from './RangeState';

/** The series a range runs on. */
export interface RangeSeries {
  displaySetInstanceUID: string;
  imageIds: readonly string[];
  /** `slices[i]` describes `imageIds[i]`. */
  slices: readonly SeriesSlice[];
  order: SliceOrder;
}

/**
 * Plans the slices of a range from its key boxes. In interpolate mode, two
 * or more key boxes give every slice from the first to the last key slice
 * a box interpolated between its neighbouring key boxes, and one key box is
 * repeated on `repeatSlices` slices on each side of it. In propagate mode
 * only the key slices have boxes before the run; the others get theirs
 * from the previous slice's mask while it runs.
 *
 * Throws MedsamError `box/invalid` when there is no key box, and the errors
 * of `interpolateKeyBoxes` and `repeatKeyBox`.
 */
export function planRange(
  series: RangeSeries,
  keyBoxes: readonly KeyBoxEntry[],
  options: { mode: RangeMode; repeatSlices: number }
): RangeSlice[] {
  if (keyBoxes.length === 0) {
    throw new MedsamError('box/invalid', 'There is no key box on this series for the current segment: draw a MedSAM box first.');
  }
  if (options.mode === 'propagate') {
    return planPropagation(series, keyBoxes);
  }
  if (keyBoxes.length === 1) {
    const key = keyBoxes[0]!;
    const ranks = series.order.slices;
    const keyRank = ranks.findIndex(entry => entry.sliceIndex === key.sliceIndex);
    const first = ranks[Math.max(0, keyRank - options.repeatSlices)]!;
    const last = ranks[Math.min(ranks.length - 1, keyRank + options.repeatSlices)]!;
    const boxes = repeatKeyBox(series.slices, key, {
      first: series.slices[first.sliceIndex]!,
      last: series.slices[last.sliceIndex]!,
    });
    return boxes.map(entry => toRangeSlice(series, entry, 'repeated'));
  }
  return interpolateKeyBoxes(series.slices, keyBoxes).map(entry => toRangeSlice(series, entry, 'interpolated'));
}

function planPropagation(series: RangeSeries, keyBoxes: readonly KeyBoxEntry[]): RangeSlice[] {
  const keyBySlice = new Map(keyBoxes.map(key => [key.sliceIndex, key]));
  const lowMm = keyBoxes[0]!.positionMm;
  const highMm = keyBoxes[keyBoxes.length - 1]!.positionMm;
  // A single key box propagates until the mask vanishes, so its extent is unknown: only the key slice is listed.
  return series.order.slices
    .filter(entry => entry.positionMm >= lowMm && entry.positionMm <= highMm)
    .map(({ sliceIndex, positionMm }) => {
      const key = keyBySlice.get(sliceIndex);
      return {
        sliceIndex,
        imageId: series.imageIds[sliceIndex]!,
        positionMm,
        box: key ? { ...key.box } : null,
        source: key ? 'key' : 'mask',
        status: 'planned',
        maskPixels: null,
      };
    });
}

function toRangeSlice(series: RangeSeries, entry: SliceBox, between: 'interpolated' | 'repeated'): RangeSlice {
  return {
    sliceIndex: entry.sliceIndex,
    imageId: series.imageIds[entry.sliceIndex]!,
    positionMm: entry.positionMm,
    box: entry.box,
    source: entry.isKeySlice ? 'key' : between,
    status: 'planned',
    maskPixels: null,
  };
}
