import type { PropagationRequest } from '../../../src/workflow';
import type { SliceJob, SliceRunSteps, SliceRunSummary } from './SliceJob';

/** Options of `runPropagatedSlices`. */
export interface PropagatedRunOptions {
  signal?: AbortSignal;
  /** Image id of each slice index of the series. */
  imageIds: readonly string[];
  /**
   * Slice indices in the order propagation is expected to visit them, used
   * only to load pixels ahead of time.
   */
  visitOrder: readonly number[];
  /** Slices whose pixels are loaded ahead of the current one. Default 2. */
  loadedAhead?: number;
}

/**
 * Runs a `propagateFromMask` plan: each slice's box comes from the mask of
 * the previous slice, so requests go to the worker one at a time. The
 * pixels of the next slices in `visitOrder` load while the current slice
 * runs, so the next request can be posted as soon as its box is known.
 *
 * An aborted signal ends the plan after the current slice is written. The
 * first failed load or segment request rejects the run.
 */
export async function runPropagatedSlices(
  plan: Generator<PropagationRequest, void, Uint8Array | undefined>,
  steps: SliceRunSteps,
  options: PropagatedRunOptions
): Promise<SliceRunSummary> {
  const loadedAhead = options.loadedAhead ?? 2;
  const loads = new Map<string, Promise<void>>();
  const load = (imageId: string): Promise<void> => {
    let loading = loads.get(imageId);
    if (!loading) {
      loading = steps.loadImage(imageId);
      loading.catch(() => undefined);
      loads.set(imageId, loading);
    }
    return loading;
  };

  let completed = 0;
  let step = plan.next();
  while (!step.done) {
    if (options.signal?.aborted) {
      plan.return();
      return { completed, cancelled: true };
    }
    const request = step.value;
    const job: SliceJob = { imageId: imageIdOf(options.imageIds, request.sliceIndex), box: request.box };
    const loading = load(job.imageId);
    const rank = options.visitOrder.indexOf(request.sliceIndex);
    for (let ahead = rank + 1; rank >= 0 && ahead <= rank + loadedAhead && ahead < options.visitOrder.length; ahead++) {
      void load(imageIdOf(options.imageIds, options.visitOrder[ahead]!));
    }

    await loading;
    const outcome = await steps.segment(job);
    await steps.onResult(job, outcome, completed);
    completed++;
    step = plan.next(outcome.mask);
  }
  return { completed, cancelled: false };
}

function imageIdOf(imageIds: readonly string[], sliceIndex: number): string {
  const imageId = imageIds[sliceIndex];
  if (imageId === undefined) {
    throw new RangeError(`Slice index ${sliceIndex} has no image id among the ${imageIds.length} images of the series.`);
  }
  return imageId;
}
