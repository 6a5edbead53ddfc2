import type { SliceJob, SliceOutcome, SliceRunSteps, SliceRunSummary } from './SliceJob';

/** Options of `runPlannedSlices`. */
export interface PlannedRunOptions {
  signal?: AbortSignal;
  /** Segment requests posted to the worker ahead of the one awaited, so it never idles. Default 1. */
  queuedAhead?: number;
  /** Slices whose pixels are loaded ahead of the last posted request. Default 2. */
  loadedAhead?: number;
}

/**
 * Runs slices whose boxes are known up front (interpolated or repeated key
 * boxes) in the given order. While the worker encodes slice i, slice i + 1
 * is already posted to it and the pixels of the slices after that are
 * loading, so the encoder waits for pixel data only when loading a slice
 * takes longer than encoding one (tested with scripted requests). Results are written
 * one by one, in order, as they arrive.
 *
 * An aborted signal stops the run after the slice being awaited is written,
 * so a cancel takes effect within one slice and keeps every result written
 * so far. A request already posted ahead still runs in the worker and its
 * result is discarded. The first failed load or segment request rejects
 * the run, after the results before it were written.
 */
export async function runPlannedSlices(
  jobs: readonly SliceJob[],
  steps: SliceRunSteps,
  options: PlannedRunOptions = {}
): Promise<SliceRunSummary> {
  const queuedAhead = options.queuedAhead ?? 1;
  const loadedAhead = options.loadedAhead ?? 2;
  const loads = new Map<number, Promise<void>>();
  const requests: Promise<SliceOutcome>[] = [];

  const load = (index: number): Promise<void> => {
    let loading = loads.get(index);
    if (!loading) {
      loading = steps.loadImage(jobs[index]!.imageId);
      // Awaited later through its request; this only keeps an early failure from being unhandled.
      loading.catch(() => undefined);
      loads.set(index, loading);
    }
    return loading;
  };
  const post = (index: number): void => {
    const request = load(index).then(() => steps.segment(jobs[index]!));
    request.catch(() => undefined);
    requests.push(request);
  };

  for (let index = 0; index < jobs.length; index++) {
    if (options.signal?.aborted) {
      return { completed: index, cancelled: true };
    }
    while (requests.length < Math.min(jobs.length, index + 1 + queuedAhead)) {
      post(requests.length);
    }
    for (let ahead = requests.length; ahead < Math.min(jobs.length, requests.length + loadedAhead); ahead++) {
      void load(ahead).catch(() => undefined);
    }

    const outcome = await requests[index]!;
    await steps.onResult(jobs[index]!, outcome, index);
  }
  return { completed: jobs.length, cancelled: false };
}
