import { MedsamError } from '../MedsamError';
import type { PixelBox } from '../protocol/workerMessages';
import { clipBoxToImage } from './clipBoxToImage';
import { describeSlice } from './describeSlice';
import { nextBoxFromMask } from './nextBoxFromMask';
import { projectBoxToPlane } from './projectBoxToPlane';
import { propagationOrder, type PropagationOrder } from './propagationOrder';
import { resolveKeyBoxes } from './resolveKeyBoxes';
import type { KeyBox, SeriesSlice, SliceReference } from './SeriesSlice';

/** Options of `propagateFromMask`. */
export interface PropagationOptions {
  /** Pixels added on every side of the previous slice's mask bounding box. */
  marginPx: number;
  /**
   * `key-range` (default) visits only the slices from the first to the
   * last key slice. `until-empty` also continues past the outermost key
   * slices until a mask comes back empty or the series ends.
   */
  extent?: 'key-range' | 'until-empty';
  /**
   * Index into `slices` of the key slice to start from. Default: the middle
   * key slice in spatial order, the lower one of the two middle slices for
   * an even number of key boxes.
   */
  startSliceIndex?: number;
}

/** One slice to segment, with the box to prompt MedSAM with. */
export interface PropagationRequest extends SliceReference {
  /** Index of the slice in `slices`. */
  sliceIndex: number;
  box: PixelBox;
  /** `key` for a key box, `mask` for a box from the previous slice's mask. */
  source: 'key' | 'mask';
  /** `start` for the first request, then the direction along the slice normal. */
  direction: 'start' | 'ascending' | 'descending';
}

/**
 * Plans box propagation from the masks that MedSAM returns, one slice at a
 * time. The generator yields a request, and the caller segments that slice
 * and passes the mask (rows x columns, row-major, non-zero inside) to
 * `next(mask)`:
 *
 *     const plan = propagateFromMask(slices, keyBoxes, { marginPx: 5 });
 *     for (let step = plan.next(); !step.done; ) {
 *       step = plan.next(await segment(step.value));
 *     }
 *
 * It starts on the start key slice with its key box, then walks the slices
 * above it in ascending position, then those below it in descending
 * position, each direction starting again from the start slice's mask. A key
 * slice is always prompted with its key box. Any other slice is prompted
 * with `nextBoxFromMask` of the previous slice's mask, projected into its
 * own pixel grid. When a mask comes back empty, the slices up to the next
 * key slice in that direction get no request and propagation resumes there,
 * or that direction ends when no key slice remains. The caller may stop
 * early with `plan.return()`.
 *
 * Throws MedsamError `box/invalid` and `series/invalid` as
 * `interpolateKeyBoxes` does, `box/invalid` for an invalid margin or a start
 * slice without a key box, and `mask/invalid` when a mask passed to `next`
 * does not fit the slice.
 */
export function propagateFromMask(
  slices: readonly SeriesSlice[],
  keyBoxes: readonly KeyBox[],
  options: PropagationOptions
): Generator<PropagationRequest, void, Uint8Array | undefined> {
  // Checked here rather than in the generator body, which would only run on the first `next()`.
  const { keys } = resolveKeyBoxes(slices, keyBoxes);
  checkOptions(options);
  const keyBoxBySlice = new Map(keys.map(key => [key.sliceIndex, key.box]));
  const startSliceIndex = options.startSliceIndex ?? keys[Math.floor((keys.length - 1) / 2)]!.sliceIndex;
  if (!keyBoxBySlice.has(startSliceIndex)) {
    throw new MedsamError(
      'box/invalid',
      `The start slice index ${startSliceIndex} is not a key slice; start from one of the slices that carry a key box.`
    );
  }
  const order = propagationOrder(slices, startSliceIndex);

  return runPropagation(slices, keyBoxBySlice, startSliceIndex, order, options);
}

function* runPropagation(
  slices: readonly SeriesSlice[],
  keyBoxBySlice: ReadonlyMap<number, PixelBox>,
  startSliceIndex: number,
  order: PropagationOrder,
  options: PropagationOptions
): Generator<PropagationRequest, void, Uint8Array | undefined> {
  const startMask = yield request(slices, startSliceIndex, keyBoxBySlice.get(startSliceIndex)!, 'key', 'start');
  checkMask(startMask, slices, startSliceIndex);

  for (const direction of ['ascending', 'descending'] as const) {
    const visit = limitToKeyRange(order[direction], keyBoxBySlice, options.extent ?? 'key-range');
    let previousMask = startMask;
    let previousSliceIndex = startSliceIndex;

    for (let rank = 0; rank < visit.length; rank++) {
      const sliceIndex = visit[rank]!;
      const slice = slices[sliceIndex]!;
      const keyBox = keyBoxBySlice.get(sliceIndex);
      let next: PropagationRequest;
      if (keyBox) {
        next = request(slices, sliceIndex, keyBox, 'key', direction);
      } else {
        const previous = slices[previousSliceIndex]!;
        const maskBox = nextBoxFromMask(previousMask, previous.columns, previous.rows, options.marginPx);
        if (!maskBox) {
          // The lesion ended on the previous slice: skip to the next key slice, if any.
          const resumeRank = visit.findIndex((index, at) => at > rank && keyBoxBySlice.has(index));
          if (resumeRank < 0) {
            break;
          }
          rank = resumeRank - 1;
          continue;
        }
        const box = clipBoxToImage(projectBoxToPlane(maskBox, previous.plane, slice.plane), slice, sliceIndex);
        next = request(slices, sliceIndex, box, 'mask', direction);
      }

      const mask = yield next;
      checkMask(mask, slices, sliceIndex);
      previousMask = mask;
      previousSliceIndex = sliceIndex;
    }
  }
}

/** Cuts a direction's slice list after its last key slice, unless propagation runs until empty. */
function limitToKeyRange(
  visit: readonly number[],
  keyBoxBySlice: ReadonlyMap<number, PixelBox>,
  extent: 'key-range' | 'until-empty'
): number[] {
  if (extent === 'until-empty') {
    return [...visit];
  }
  let lastKeyRank = -1;
  visit.forEach((sliceIndex, rank) => {
    if (keyBoxBySlice.has(sliceIndex)) {
      lastKeyRank = rank;
    }
  });
  return visit.slice(0, lastKeyRank + 1);
}

function request(
  slices: readonly SeriesSlice[],
  sliceIndex: number,
  box: PixelBox,
  source: PropagationRequest['source'],
  direction: PropagationRequest['direction']
): PropagationRequest {
  const slice = slices[sliceIndex]!;
  return {
    sopInstanceUid: slice.sopInstanceUid,
    frameNumber: slice.frameNumber,
    sliceIndex,
    box: { ...box },
    source,
    direction,
  };
}

function checkOptions(options: PropagationOptions): void {
  if (!Number.isFinite(options.marginPx) || options.marginPx < 0) {
    throw new MedsamError(
      'box/invalid',
      `The propagation margin ${options.marginPx} px is invalid: expected a finite number of pixels of at least 0.`
    );
  }
  if (options.extent !== undefined && options.extent !== 'key-range' && options.extent !== 'until-empty') {
    throw new MedsamError(
      'box/invalid',
      `The propagation extent "${String(options.extent)}" is invalid: expected "key-range" or "until-empty".`
    );
  }
}

function checkMask(
  mask: Uint8Array | undefined,
  slices: readonly SeriesSlice[],
  sliceIndex: number
): asserts mask is Uint8Array {
  const slice = slices[sliceIndex]!;
  const expected = slice.rows * slice.columns;
  if (!(mask instanceof Uint8Array) || mask.length !== expected) {
    const received = mask instanceof Uint8Array ? `${mask.length} values` : typeof mask;
    throw new MedsamError(
      'mask/invalid',
      `The mask passed back for ${describeSlice(sliceIndex, slice)} is invalid: expected a Uint8Array of ` +
        `${expected} values (${slice.columns}x${slice.rows}), got ${received}.`
    );
  }
}
