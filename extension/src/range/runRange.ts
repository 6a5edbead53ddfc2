import { createImageKey } from '../../../src/protocol/workerMessages';
import { propagateFromMask, propagationOrder } from '../../../src/workflow';
import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import { readModalityImage } from '../imaging/readModalityImage';
import type { MedsamWorkerClient } from '../inference/MedsamWorkerClient';
import { writeMaskToLabelmap } from '../segmentation/writeMaskToLabelmap';
import { LabelmapSnapshot } from './LabelmapSnapshot';
import type { RangeRunRecord } from './describeRangeRun';
import type { KeyBoxEntry } from './listKeyBoxes';
import { planRange, type RangeSeries } from './planRange';
import type { RangeHost } from './RangeHost';
import type { Lesion, RangeMode, RangeSlice } from './RangeState';
import { runPlannedSlices } from './runPlannedSlices';
import { runPropagatedSlices } from './runPropagatedSlices';
import type { SliceRunSteps, SliceRunSummary } from './SliceJob';

/** Inputs of one range run. */
export interface RangeRunRequest {
  series: RangeSeries;
  keyBoxes: readonly KeyBoxEntry[];
  segment: Lesion;
  mode: RangeMode;
  repeatSlices: number;
  marginPx: number;
  signal: AbortSignal;
  /** Called after each written slice with the slices written so far and the planned total. */
  onProgress(review: readonly RangeSlice[], total: number): void;
}

/** The outcome of a range run: what it wrote and how to take it back. */
export interface RangeRunResult {
  summary: SliceRunSummary;
  review: RangeSlice[];
  segmentationId: string;
  snapshot: LabelmapSnapshot;
  last: Omit<RangeRunRecord, 'segmentationId'> | null;
  /** The error that stopped the run after it started writing, or null. */
  error: unknown;
}

/**
 * Segments the slices of a range one by one and writes each mask into the
 * segment's labelmap slice as it arrives. Every labelmap slice is copied
 * before its first write, so the whole run can be undone. An error before
 * the first slice (no model, no segmentation, invalid key boxes) rejects.
 * A later one ends the run and is returned in `error`, with the slices
 * written before it and their snapshot.
 */
export async function runRange(host: RangeHost, request: RangeRunRequest): Promise<RangeRunResult> {
  const { series, keyBoxes, segment } = request;
  const libraries = host.libraries();
  const { cornerstone } = libraries;
  const worker: MedsamWorkerClient = await host.worker();
  const segmentationId = await host.segmentationFor(keyBoxes[0]!.imageId, segment);
  const snapshot = new LabelmapSnapshot(libraries, segmentationId);
  const plan = planRange(series, keyBoxes, request);
  const keySlices = new Set(keyBoxes.map(key => key.sliceIndex));
  const planBySlice = new Map(plan.map(entry => [entry.sliceIndex, entry]));
  const review: RangeSlice[] = [];
  let last: RangeRunResult['last'] = null;
  const intensityByImage = new Map<string, IntensityPolicy>();
  /** The first slice's reason for using its own statistics, if any slice did. */
  let intensityNotice: string | null = null;
  const total = request.mode === 'propagate' && keyBoxes.length === 1 ? series.imageIds.length : plan.length;

  const loadImage = async (imageId: string) => {
    return cornerstone.cache.getImage(imageId) ?? (await cornerstone.imageLoader.loadAndCacheImage(imageId));
  };
  const steps: SliceRunSteps = {
    loadImage: async imageId => {
      await loadImage(imageId);
    },
    segment: async job => {
      const sliceIndex = series.imageIds.indexOf(job.imageId);
      const slice = series.slices[sliceIndex]!;
      const image = readModalityImage(await loadImage(job.imageId));
      const { policy: intensity, notice } = host.intensityFor(job.imageId, image);
      intensityByImage.set(job.imageId, intensity);
      intensityNotice ??= notice;
      const result = await worker.segment({
        imageKey: createImageKey(slice.sopInstanceUid, slice.frameNumber, intensity),
        image,
        intensity,
        box: job.box,
      });
      return { mask: result.mask, encoderMs: result.encoderMs, decoderMs: result.decoderMs };
    },
    onResult: (job, outcome) => {
      snapshot.keep(job.imageId);
      const maskPixels = writeMaskToLabelmap(libraries, segmentationId, job.imageId, outcome.mask, segment.index);
      const sliceIndex = series.imageIds.indexOf(job.imageId);
      const planned = planBySlice.get(sliceIndex);
      let source = planned?.source ?? 'key';
      if (request.mode === 'propagate') {
        source = keySlices.has(sliceIndex) ? 'key' : 'mask';
      }
      review.push({
        sliceIndex,
        imageId: job.imageId,
        positionMm: planned?.positionMm ?? series.order.slices.find(entry => entry.sliceIndex === sliceIndex)!.positionMm,
        box: { ...job.box },
        source,
        status: 'segmented',
        maskPixels,
        encoderMs: outcome.encoderMs,
        decoderMs: outcome.decoderMs,
      });
      last = {
        imageId: job.imageId,
        sopInstanceUid: series.slices[sliceIndex]!.sopInstanceUid,
        maskPixels,
        outcome,
        intensity: intensityByImage.get(job.imageId)!,
        intensityNotice,
      };
      request.onProgress(review, total);
    },
  };

  let summary: SliceRunSummary;
  let error: unknown = null;
  try {
    summary = await runSlices(series, keyBoxes, plan, steps, request);
  } catch (caught) {
    summary = { completed: review.length, cancelled: false };
    error = caught;
  }

  // Propagation visits slices outwards from the start, but the review lists them in spatial order.
  review.sort((a, b) => a.positionMm - b.positionMm);
  return { summary, review, segmentationId, snapshot, last, error };
}

function runSlices(
  series: RangeSeries,
  keyBoxes: readonly KeyBoxEntry[],
  plan: readonly RangeSlice[],
  steps: SliceRunSteps,
  request: RangeRunRequest
): Promise<SliceRunSummary> {
  if (request.mode === 'propagate') {
    const start = keyBoxes[Math.floor((keyBoxes.length - 1) / 2)]!.sliceIndex;
    const order = propagationOrder(series.slices, start);
    const generator = propagateFromMask(series.slices, keyBoxes, {
      marginPx: request.marginPx,
      extent: keyBoxes.length > 1 ? 'key-range' : 'until-empty',
      startSliceIndex: start,
    });
    return runPropagatedSlices(generator, steps, {
      signal: request.signal,
      imageIds: series.imageIds,
      visitOrder: [start, ...order.ascending, ...order.descending],
    });
  }
  const jobs = plan.map(entry => ({ imageId: entry.imageId, box: entry.box! }));
  return runPlannedSlices(jobs, steps, { signal: request.signal });
}
