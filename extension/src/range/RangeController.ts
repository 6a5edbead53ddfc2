import { MedsamError } from '../../../src/MedsamError';
import { createLogger } from '../../../src/logging';
import { orderSlicesAlongNormal } from '../../../src/workflow';
import type { AnnotationEventDetail, StackViewportLike } from '../cornerstoneTypes';
import { writeMaskToLabelmap } from '../segmentation/writeMaskToLabelmap';
import { MEDSAM_BOX_TOOL_NAME } from '../tools/createMedsamBoxTool';
import type { LabelmapSnapshot } from './LabelmapSnapshot';
import { listKeyBoxes, type KeyBoxEntry } from './listKeyBoxes';
import { measureCurrentSegment } from './measureCurrentSegment';
import { planRange, type RangeSeries } from './planRange';
import type { RangeHost } from './RangeHost';
import type { Lesion, RangeMode, RangeState } from './RangeState';
import { readSeriesSlices } from './readSeriesSlices';
import { runRange } from './runRange';

const log = createLogger('medsam.range');

/** Delay between the last labelmap change and the new measurement, ms. */
const MEASURE_DELAY_MS = 250;

type Listener = (state: RangeState) => void;

/**
 * Owns the key boxes of the current lesion segment, runs "Segment range",
 * and keeps the review, the undo history and the measurements that the
 * panel shows.
 */
export class RangeController {
  private state: RangeState;
  private readonly listeners = new Set<Listener>();
  private series: RangeSeries | null = null;
  private abort: AbortController | null = null;
  /** Labelmap slices before each run, newest last. */
  private readonly runs: LabelmapSnapshot[] = [];
  /** Segmentation and segment that the review rows belong to. */
  private reviewTarget: { segmentationId: string; segmentIndex: number } | null = null;
  private stopListening: (() => void) | null = null;
  private measureTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: RangeHost) {
    this.state = initialState();
  }

  getState(): RangeState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following box annotations, labelmap changes and the current segment. */
  start(): void {
    this.stop();
    const current = this.host.currentSegment();
    this.update({ ...initialState(), lesions: [current], currentLesion: current.index });
    const { cornerstone, cornerstoneTools } = this.host.libraries();
    const { ANNOTATION_COMPLETED, ANNOTATION_MODIFIED, ANNOTATION_REMOVED, SEGMENTATION_DATA_MODIFIED } =
      cornerstoneTools.Enums.Events;
    const onCompleted = (event: Event) => {
      const annotation = (event as CustomEvent<AnnotationEventDetail>).detail?.annotation;
      if (annotation?.metadata?.toolName === MEDSAM_BOX_TOOL_NAME) {
        annotation.data.medsamSegmentIndex ??= this.state.currentLesion;
        this.refresh();
      }
    };
    const onBoxChanged = (event: Event) => {
      const annotation = (event as CustomEvent<AnnotationEventDetail>).detail?.annotation;
      if (annotation?.metadata?.toolName === MEDSAM_BOX_TOOL_NAME) {
        this.refresh();
      }
    };
    const onDataModified = (event: Event) => {
      const detail = (event as CustomEvent<{ segmentationId?: string }>).detail;
      const series = this.series;
      if (series && detail?.segmentationId === this.host.knownSegmentation(series.displaySetInstanceUID)) {
        this.scheduleMeasurement();
      }
    };
    const listeners: [string, (event: Event) => void][] = [
      [ANNOTATION_COMPLETED, onCompleted],
      [ANNOTATION_MODIFIED, onBoxChanged],
      [ANNOTATION_REMOVED, onBoxChanged],
      [SEGMENTATION_DATA_MODIFIED, onDataModified],
    ];
    listeners.forEach(([name, listener]) => cornerstone.eventTarget.addEventListener(name, listener));
    const unsubscribeSegment = this.host.subscribeSegment(segment => this.onSegmentChanged(segment));
    this.stopListening = () => {
      listeners.forEach(([name, listener]) => cornerstone.eventTarget.removeEventListener(name, listener));
      unsubscribeSegment();
    };
  }

  /** Stops listening and cancels a running range. The labelmap keeps what was written. */
  stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.stopListening?.();
    this.stopListening = null;
    if (this.measureTimer) {
      clearTimeout(this.measureTimer);
      this.measureTimer = null;
    }
    this.runs.length = 0;
    this.reviewTarget = null;
    this.series = null;
  }

  setMode(mode: RangeMode): void {
    this.update({ mode });
    this.refresh();
  }

  /** Sets how many slices on each side of a single key box "Segment range" covers. */
  setRepeatSlices(repeatSlices: number): void {
    if (!Number.isInteger(repeatSlices) || repeatSlices < 0) {
      throw new RangeError(`Invalid repeatSlices ${repeatSlices}: expected an integer of at least 0.`);
    }
    this.update({ repeatSlices });
    this.refresh();
  }

  /** Sets the margin around the previous mask's bounding box in propagate mode, in pixels. */
  setMarginPx(marginPx: number): void {
    if (!Number.isFinite(marginPx) || marginPx < 0) {
      throw new RangeError(`Invalid marginPx ${marginPx}: expected a number of pixels of at least 0.`);
    }
    this.update({ marginPx });
  }

  /** Reads the key boxes of the current segment on the active series and plans the range again. */
  refresh(): void {
    try {
      const series = this.activeSeries();
      const keyBoxes = listKeyBoxes(this.host.libraries(), series, this.state.currentLesion);
      let plan: RangeState['plan'] = [];
      let planError: string | null = null;
      try {
        plan = keyBoxes.length > 0 ? planRange(series, keyBoxes, this.state) : [];
      } catch (error) {
        planError = messageOf(error);
      }
      this.update({ keyBoxes, plan, planError });
    } catch (error) {
      this.update({ keyBoxes: [], plan: [], planError: messageOf(error) });
    }
  }

  /** Shows the key slice in the active viewport. */
  async jumpTo(entry: KeyBoxEntry): Promise<void> {
    const viewport = this.activeViewport();
    const index = viewport.getImageIds?.().indexOf(entry.imageId) ?? entry.sliceIndex;
    await viewport.setImageIdIndex?.(index < 0 ? entry.sliceIndex : index);
  }

  /** Deletes a key box annotation. */
  deleteKeyBox(entry: KeyBoxEntry): void {
    this.host.libraries().cornerstoneTools.annotation.state.removeAnnotation(entry.annotationUID);
    this.activeViewport().render();
    this.refresh();
  }

  /** Runs every slice of the planned range and writes the masks into the current segment. */
  async segmentRange(): Promise<void> {
    if (this.state.run.phase === 'running') {
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    const startedAt = performance.now();
    let plannedTotal = this.state.plan.length;
    try {
      const series = this.activeSeries();
      const keyBoxes = listKeyBoxes(this.host.libraries(), series, this.state.currentLesion);
      const segment = this.host.currentSegment();
      this.update({ run: { phase: 'running', done: 0, total: this.state.plan.length, remainingMs: null }, review: [] });
      const result = await runRange(this.host, {
        series,
        keyBoxes,
        segment,
        mode: this.state.mode,
        repeatSlices: this.state.repeatSlices,
        marginPx: this.state.marginPx,
        signal: abort.signal,
        onProgress: (review, total) => {
          plannedTotal = total;
          const perSliceMs = (performance.now() - startedAt) / review.length;
          this.update({
            review: [...review],
            run: { phase: 'running', done: review.length, total, remainingMs: perSliceMs * (total - review.length) },
          });
        },
      });
      if (result.snapshot.size > 0) {
        this.runs.push(result.snapshot);
      }
      this.reviewTarget = { segmentationId: result.segmentationId, segmentIndex: segment.index };
      if (result.last) {
        this.host.recordRun({ ...result.last, segmentationId: result.segmentationId });
      }
      const done = result.summary.completed;
      if (result.error) {
        throw result.error;
      }
      this.update({
        review: result.review,
        undoableRuns: this.runs.length,
        run: {
          phase: 'done',
          done,
          total: result.summary.cancelled ? plannedTotal : done,
          cancelled: result.summary.cancelled,
          elapsedMs: performance.now() - startedAt,
        },
      });
      log.info(`Range run wrote ${done} slice(s)${result.summary.cancelled ? ' before it was cancelled' : ''}.`);
    } catch (error) {
      const message = messageOf(error);
      if (abort.signal.aborted && error instanceof MedsamError && error.code === 'inference/aborted') {
        // Leaving the mode stops the worker and cancels the run, so no message is shown.
        log.debug(`Range run ended with the mode: ${message}`);
        return;
      }
      log.error(`Range run failed: ${message}`);
      this.update({ run: { phase: 'error', done: this.state.review.length, message }, undoableRuns: this.runs.length });
      this.host.notify('error', 'MedSAM range failed', message);
    } finally {
      if (this.abort === abort) {
        this.abort = null;
      }
    }
  }

  /** Stops a running range after the slice in progress, keeping what was written. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Marks reviewed slices as accepted: `sliceIndex`, or every slice of the run when omitted. */
  accept(sliceIndex?: number): void {
    this.setReviewStatus(sliceIndex, 'accepted');
  }

  /**
   * Clears the segment's pixels on reviewed slices, `sliceIndex` or every
   * slice of the run, and marks them rejected. Other segments are kept.
   */
  reject(sliceIndex?: number): void {
    const target = this.reviewTarget;
    if (!target) {
      return;
    }
    const libraries = this.host.libraries();
    try {
      for (const entry of this.state.review) {
        if (sliceIndex === undefined || entry.sliceIndex === sliceIndex) {
          const slice = this.series?.slices[entry.sliceIndex];
          const empty = new Uint8Array((slice?.rows ?? 0) * (slice?.columns ?? 0));
          writeMaskToLabelmap(libraries, target.segmentationId, entry.imageId, empty, target.segmentIndex);
        }
      }
    } catch (error) {
      this.reportFailure('Rejecting the MedSAM slices failed', error);
      return;
    }
    this.setReviewStatus(sliceIndex, 'rejected');
  }

  /** Restores every labelmap slice that the newest run changed, as it was before that run. */
  undoRun(): void {
    const snapshot = this.runs.pop();
    if (!snapshot) {
      this.reportFailure('Undo failed', new MedsamError('mask/invalid', 'There is no MedSAM range run to undo.'));
      return;
    }
    try {
      snapshot.restore();
    } catch (error) {
      this.reportFailure('Undoing the MedSAM range run failed', error);
      return;
    }
    this.reviewTarget = null;
    this.update({ review: [], undoableRuns: this.runs.length, run: { phase: 'idle' } });
  }

  private reportFailure(title: string, error: unknown): void {
    log.error(`${title}: ${messageOf(error)}`);
    this.host.notify('error', title, messageOf(error));
  }

  /** Starts a new lesion: a new segment with its own label and key boxes. */
  newLesion(): void {
    const index = Math.max(...this.state.lesions.map(lesion => lesion.index)) + 1;
    const current = this.host.currentSegment();
    const lesion: Lesion = { index, label: `Lesion ${index}`, type: current.type };
    this.update({ lesions: [...this.state.lesions, lesion] });
    this.selectLesion(index);
  }

  /** Makes an existing lesion the current segment. */
  selectLesion(index: number): void {
    const lesion = this.state.lesions.find(candidate => candidate.index === index);
    if (!lesion) {
      throw new RangeError(`Invalid lesion ${index}: expected one of ${this.state.lesions.map(item => item.index).join(', ')}.`);
    }
    this.host.selectSegment(lesion);
  }

  private onSegmentChanged(segment: Lesion): void {
    const known = this.state.lesions.some(lesion => lesion.index === segment.index);
    const lesions = known
      ? this.state.lesions.map(lesion => (lesion.index === segment.index ? segment : lesion))
      : [...this.state.lesions, segment];
    const switched = segment.index !== this.state.currentLesion;
    this.renameSegment(segment);
    this.update({ lesions, currentLesion: segment.index, ...(switched ? { review: [], run: { phase: 'idle' } } : {}) });
    if (switched) {
      this.reviewTarget = null;
      this.activateSegment(segment.index);
      this.refresh();
      this.scheduleMeasurement();
    }
  }

  /** Makes OHIF's brush, eraser and threshold tools edit the lesion's segment, once it exists. */
  private activateSegment(segmentIndex: number): void {
    const segmentationId = this.segmentationWith(segmentIndex);
    if (segmentationId) {
      this.host.services().segmentationService.setActiveSegment?.(segmentationId, segmentIndex);
    }
  }

  /** Shows a new label of the lesion in OHIF's segmentation panel too. */
  private renameSegment(segment: Lesion): void {
    const segmentationId = this.segmentationWith(segment.index);
    if (segmentationId && segment.label.trim() !== '') {
      this.host.services().segmentationService.setSegmentLabel?.(segmentationId, segment.index, segment.label);
    }
  }

  /** Returns the active series' MedSAM segmentation when it has the segment `segmentIndex`. */
  private segmentationWith(segmentIndex: number): string | undefined {
    const segmentationId = this.series ? this.host.knownSegmentation(this.series.displaySetInstanceUID) : undefined;
    const segmentation = segmentationId
      ? (this.host.services().segmentationService.getSegmentation(segmentationId) as { segments?: Record<number, unknown> } | undefined)
      : undefined;
    return segmentation?.segments?.[segmentIndex] ? segmentationId : undefined;
  }

  private setReviewStatus(sliceIndex: number | undefined, status: 'accepted' | 'rejected'): void {
    this.update({
      review: this.state.review.map(entry =>
        sliceIndex === undefined || entry.sliceIndex === sliceIndex ? { ...entry, status } : entry
      ),
    });
  }

  private scheduleMeasurement(): void {
    if (this.measureTimer) {
      clearTimeout(this.measureTimer);
    }
    this.measureTimer = setTimeout(() => {
      this.measureTimer = null;
      this.measure();
    }, MEASURE_DELAY_MS);
  }

  private measure(): void {
    try {
      const series = this.activeSeries();
      const segmentationId = this.host.knownSegmentation(series.displaySetInstanceUID);
      const measurement = segmentationId
        ? measureCurrentSegment(this.host.libraries(), series, segmentationId, this.state.currentLesion)
        : ({ phase: 'none' } as const);
      this.update({ measurement });
    } catch (error) {
      log.error(`Measuring the segment failed: ${messageOf(error)}`);
      this.update({ measurement: { phase: 'error', message: messageOf(error) } });
    }
  }

  /** Returns the series of the active viewport, reading its slice geometry once per display set. */
  private activeSeries(): RangeSeries {
    const { viewportGridService, displaySetService } = this.host.services();
    const { activeViewportId, viewports } = viewportGridService.getState();
    const displaySetInstanceUID = viewports.get(activeViewportId)?.displaySetInstanceUIDs[0];
    const displaySet = displaySetInstanceUID ? displaySetService.getDisplaySetByUID(displaySetInstanceUID) : undefined;
    if (!displaySet?.imageIds?.length) {
      throw new MedsamError('series/invalid', 'The active viewport shows no image series; open a series to draw key boxes on.');
    }
    const cached = this.series;
    if (cached && cached.displaySetInstanceUID === displaySet.displaySetInstanceUID && cached.imageIds.length === displaySet.imageIds.length) {
      return cached;
    }
    const imageIds = [...displaySet.imageIds];
    const slices = readSeriesSlices(this.host.libraries(), imageIds);
    this.series = { displaySetInstanceUID: displaySet.displaySetInstanceUID, imageIds, slices, order: orderSlicesAlongNormal(slices) };
    return this.series;
  }

  private activeViewport(): StackViewportLike {
    const { viewportGridService, cornerstoneViewportService } = this.host.services();
    const viewport = cornerstoneViewportService.getCornerstoneViewport(viewportGridService.getState().activeViewportId);
    if (!viewport) {
      throw new MedsamError('series/invalid', 'There is no active viewport to show the key slice in.');
    }
    return viewport as StackViewportLike;
  }

  private update(patch: Partial<RangeState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) {
      listener(this.state);
    }
  }
}

function initialState(): RangeState {
  return {
    mode: 'interpolate',
    repeatSlices: 5,
    marginPx: 5,
    lesions: [],
    currentLesion: 1,
    keyBoxes: [],
    planError: null,
    plan: [],
    review: [],
    run: { phase: 'idle' },
    undoableRuns: 0,
    measurement: { phase: 'none' },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
