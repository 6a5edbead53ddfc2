import type { MedsamConfig } from '../../src/config/MedsamConfig';
import { MedsamError } from '../../src/MedsamError';
import { createLogger } from '../../src/logging';
import { ctWindowPolicy, type IntensityPolicy } from '../../src/preprocess/IntensityPolicy';
import { suggestCtWindowPreset, type CtSeriesDescription } from '../../src/preprocess/suggestCtWindowPreset';
import type { ModalityImage } from '../../src/preprocess/ModalityImage';
import { SEGMENTED_PROPERTY_TYPES, type SegmentedPropertyType } from '../../src/seg/segmentedPropertyCodes';
import { createImageKey } from '../../src/protocol/workerMessages';
import type { Annotation, AnnotationEventDetail, CornerstoneLibraries, Point3 } from './cornerstoneTypes';
import { chooseIntensity, type ChosenIntensity } from './imaging/chooseIntensity';
import { readBoxInput } from './imaging/readBoxInput';
import { readModalityImage } from './imaging/readModalityImage';
import { SeriesStatisticsTracker, type SeriesStatisticsStatus } from './imaging/SeriesStatisticsTracker';
import { MedsamWorkerClient } from './inference/MedsamWorkerClient';
import { preencodeNeighbours } from './inference/preencodeNeighbours';
import { describeRangeRun } from './range/describeRangeRun';
import { RangeController } from './range/RangeController';
import type { RangeHost } from './range/RangeHost';
import type { MedsamState } from './MedsamState';
import type { ExtensionManager, ServicesManager } from './ohifTypes';
import { downloadSegFile } from './save/downloadSegFile';
import { authorizationHeaders, saveSegmentation } from './save/saveSegmentation';
import { SegArchiver } from './save/SegArchiver';
import { ensureMedsamSegmentation } from './segmentation/ensureMedsamSegmentation';
import { writeMaskToLabelmap } from './segmentation/writeMaskToLabelmap';
import { MEDSAM_BOX_TOOL_NAME, registerMedsamBoxTool } from './tools/createMedsamBoxTool';

const log = createLogger('medsam.extension');

/** Segment number of the first lesion; "New lesion" in the panel adds the next ones. */
export const MEDSAM_SEGMENT_INDEX = 1;

type Listener = (state: MedsamState) => void;

/**
 * Connects the box tool, the inference worker, the labelmap and the SEG
 * export, and keeps the state that the panel shows.
 */
export class MedsamService {
  static readonly REGISTRATION = {
    name: 'medsamService',
    create: ({ servicesManager }: { servicesManager: ServicesManager }) => new MedsamService(servicesManager),
  };

  private state: MedsamState = {
    model: { phase: 'idle' },
    intensity: ctWindowPolicy('soft-tissue'),
    intensityOrigin: { kind: 'automatic', reason: 'the default before any series is shown' },
    statistics: null,
    preencoded: 0,
    segment: { index: MEDSAM_SEGMENT_INDEX, label: 'Lesion', type: defaultSegmentType() },
    box: null,
    run: { phase: 'idle' },
    save: { phase: 'idle' },
    unsaved: { entries: [], storageError: null },
  };
  private readonly listeners = new Set<Listener>();
  private config: MedsamConfig | null = null;
  private extensionManager: ExtensionManager | null = null;
  private worker: MedsamWorkerClient | null = null;
  private modelReady: Promise<void> | null = null;
  private removeListeners: (() => void) | null = null;
  /** Segmentation that MedSAM writes to, per display set. */
  private readonly segmentationByDisplaySet = new Map<string, string>();
  /** The newest annotation waiting to run while another run is in progress. */
  private queuedAnnotation: Annotation | null = null;
  private queuedPreview = false;
  private running = false;
  /**
   * Increased on every mode exit. A run or model load that started in an
   * earlier session checks it after each await and stops writing state.
   */
  private session = 0;
  /** The box that ran last, run again when the settings change. */
  private lastAnnotation: Annotation | null = null;
  /** Streams volume statistics per display set; null while the mode is not active or the feature is off. */
  private statisticsTracker: SeriesStatisticsTracker | null = null;
  /** Display sets shown since the mode was entered. */
  private readonly seenDisplaySets = new Set<string>();
  /** Image keys whose embeddings the current worker has computed. */
  private readonly encodedKeys = new Set<string>();
  /** Images encoded with the current intensity settings; boxes drawn on them preview live. */
  private readonly encodedImageIds = new Set<string>();
  private archiver: SegArchiver | null = null;
  /** Key boxes, range runs, their review and the measurements of the current segment. */
  readonly range: RangeController;

  constructor(private readonly servicesManager: ServicesManager) {
    this.range = new RangeController(this.createRangeHost());
  }

  configure(config: MedsamConfig, extensionManager: ExtensionManager): void {
    this.config = config;
    this.extensionManager = extensionManager;
    this.update({ segment: { ...this.state.segment, label: config.defaultSegmentLabel } });
  }

  /** Sets the label and the coded type that Save writes, and with `index` the segment that boxes write to. */
  setSegment(segment: { label: string; type: SegmentedPropertyType; index?: number }): void {
    this.update({ segment: { ...this.state.segment, ...segment }, save: { phase: 'idle' } });
  }

  getState(): MedsamState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers the box tool with the host's Cornerstone; safe to call repeatedly. */
  registerTool(): void {
    registerMedsamBoxTool(this.libraries().cornerstoneTools);
  }

  /**
   * Starts listening for boxes and loading the model. The viewer may enter
   * the mode twice without leaving it; the second call replaces the first
   * call's listeners, so that each box runs once.
   */
  onModeEnter(): void {
    if (this.removeListeners) {
      log.debug('The mode was entered again; replacing the box listeners.');
      this.removeListeners();
      this.removeListeners = null;
      this.statisticsTracker?.stop();
    }
    const { cornerstone, cornerstoneTools } = this.libraries();
    // MODIFIED also fires while a box is still being drawn. Boxes completed
    // once run again when the user moves or resizes them. A box still being
    // drawn runs as a live preview when its image is encoded already, so
    // only the decoder runs while the user drags.
    const completed = new Set<string>();
    // The tool also reports a modification when only its statistics change
    // or its handles are reordered, so a box runs again only when the extent
    // of its corners changed.
    const lastCorners = new Map<string, string>();
    const cornersChanged = (annotation: Annotation): boolean => {
      const uid = annotation.annotationUID ?? '';
      const corners = describeExtent(annotation.data.handles.points);
      if (lastCorners.get(uid) === corners) {
        return false;
      }
      lastCorners.set(uid, corners);
      return true;
    };
    const boxOf = (event: Event): Annotation | null => {
      const annotation = (event as CustomEvent<AnnotationEventDetail>).detail?.annotation;
      return annotation?.metadata?.toolName === MEDSAM_BOX_TOOL_NAME ? annotation : null;
    };
    const onCompleted = (event: Event) => {
      const annotation = boxOf(event);
      if (!annotation) {
        return;
      }
      const uid = annotation.annotationUID ?? '';
      // A second completion of the same box with the same corners has nothing new to run.
      if (completed.has(uid) && !cornersChanged(annotation)) {
        return;
      }
      completed.add(uid);
      lastCorners.set(uid, describeExtent(annotation.data.handles.points));
      this.enqueue(annotation);
    };
    const onModified = (event: Event) => {
      const annotation = boxOf(event);
      if (!annotation || !cornersChanged(annotation)) {
        return;
      }
      if (completed.has(annotation.annotationUID ?? '')) {
        this.enqueue(annotation);
      } else if (this.encodedImageIds.has(annotation.metadata.referencedImageId ?? '')) {
        this.enqueue(annotation, { preview: true });
      }
    };
    const { ANNOTATION_COMPLETED, ANNOTATION_MODIFIED } = cornerstoneTools.Enums.Events;
    cornerstone.eventTarget.addEventListener(ANNOTATION_COMPLETED, onCompleted);
    cornerstone.eventTarget.addEventListener(ANNOTATION_MODIFIED, onModified);

    // The first image the viewer loads from a series starts streaming the
    // series' volume statistics, so they are usually ready by the first box.
    const session = this.session;
    this.statisticsTracker = this.requireConfig().volumeStatistics
      ? new SeriesStatisticsTracker(
          imageId => cornerstone.imageLoader.loadAndCacheImage(imageId),
          (displaySetInstanceUID, status) => session === this.session && this.showStatistics(displaySetInstanceUID, status)
        )
      : null;
    const imageLoaded = cornerstone.Enums?.Events.IMAGE_LOADED ?? 'CORNERSTONE_IMAGE_LOADED';
    const onImageLoaded = (event: Event) => {
      const imageId = (event as CustomEvent<{ image?: { imageId?: string } }>).detail?.image?.imageId;
      if (imageId) {
        this.startStatistics(imageId);
      }
    };
    cornerstone.eventTarget.addEventListener(imageLoaded, onImageLoaded);
    this.removeListeners = () => {
      cornerstone.eventTarget.removeEventListener(ANNOTATION_COMPLETED, onCompleted);
      cornerstone.eventTarget.removeEventListener(ANNOTATION_MODIFIED, onModified);
      cornerstone.eventTarget.removeEventListener(imageLoaded, onImageLoaded);
    };
    this.range.start();
    // The model state and a notification already report a failed load.
    void this.ensureModel().catch(() => undefined);
    // The archiver reports a failed IndexedDB read in the panel state.
    void this.requireArchiver().load();
  }

  onModeExit(): void {
    this.session++;
    this.queuedAnnotation = null;
    this.removeListeners?.();
    this.removeListeners = null;
    this.statisticsTracker?.stop();
    this.statisticsTracker = null;
    this.seenDisplaySets.clear();
    this.encodedKeys.clear();
    this.encodedImageIds.clear();
    this.range.stop();
    this.worker?.terminate();
    this.worker = null;
    this.modelReady = null;
    this.segmentationByDisplaySet.clear();
    this.lastAnnotation = null;
    this.update({
      model: { phase: 'idle' },
      intensity: ctWindowPolicy('soft-tissue'),
      intensityOrigin: { kind: 'automatic', reason: 'the default before any series is shown' },
      statistics: null,
      preencoded: 0,
      box: null,
      run: { phase: 'idle' },
      save: { phase: 'idle' },
    });
  }

  /** Runs the last box again, for example once the volume statistics are complete. */
  rerun(): void {
    if (this.lastAnnotation) {
      this.enqueue(this.lastAnnotation);
    }
  }

  /**
   * Sets the CT window for the next encodings and runs the current box again
   * with it. The embedding cache key includes the window, so this encodes.
   */
  setIntensity(intensity: IntensityPolicy): void {
    this.encodedImageIds.clear();
    this.update({ intensity, intensityOrigin: { kind: 'user' } });
    if (this.lastAnnotation) {
      this.enqueue(this.lastAnnotation);
    }
  }

  /** Loads the model once; later calls return the same promise. */
  ensureModel(): Promise<void> {
    if (this.modelReady) {
      return this.modelReady;
    }
    const config = this.requireConfig();
    const session = this.session;
    const worker = new MedsamWorkerClient(
      () => new Worker(new URL('../../src/worker/medsamWorker.ts', import.meta.url), { type: 'module', name: 'medsam-inference' })
    );
    this.worker = worker;
    worker.onCrash = error => {
      if (session !== this.session || this.worker !== worker) {
        return;
      }
      // The next box starts a new worker and loads the model again.
      this.worker = null;
      this.encodedKeys.clear();
      this.encodedImageIds.clear();
      this.modelReady = null;
      this.update({ model: { phase: 'error', message: error.message } });
      this.notify('error', 'MedSAM inference worker crashed', `${error.message} The next box loads the model again.`);
    };
    worker.onBackendChanged = change => {
      const model = this.state.model;
      if (model.phase === 'ready') {
        this.update({
          model: {
            ...model,
            backend: change.backend,
            encoderPrecision: change.encoderPrecision,
            wasmThreads: change.wasmThreads,
            fallbackReason: change.reason,
            encoderNote: null,
          },
        });
      }
      this.notify('warning', 'MedSAM switched to WASM', change.reason);
    };
    this.update({ model: { phase: 'loading', stage: 'manifest' } });
    this.modelReady = worker
      .init(
        {
          modelBaseUrl: config.modelBaseUrl,
          wasmPaths: config.wasmPaths,
          backend: config.backend,
          numThreads: config.numThreads,
          wasmEncoderPrecision: config.wasmEncoderPrecision,
          embeddingCacheBytes: config.embeddingCacheMiB * 1024 * 1024,
          embeddingStorage: config.embeddingStorage,
        },
        progress =>
          session === this.session &&
          this.update({
            model: {
              phase: 'loading',
              stage: progress.stage,
              file: progress.file,
              loadedBytes: progress.loadedBytes,
              totalBytes: progress.totalBytes,
            },
          })
      )
      .then(ready => {
        if (session !== this.session) {
          return;
        }
        const { type: _type, requestId: _requestId, ...model } = ready;
        this.update({ model: { phase: 'ready', ...model } });
        log.info(`Model "${ready.modelName}" ready on ${ready.backend} (${ready.encoderPrecision}).`);
        if (ready.fallbackReason) {
          this.notify('warning', 'MedSAM runs on WASM', `WebGPU is not used: ${ready.fallbackReason}`);
        }
      })
      .catch(error => {
        if (session !== this.session || isAborted(error)) {
          throw error;
        }
        const message = error instanceof Error ? error.message : String(error);
        this.update({ model: { phase: 'error', message } });
        this.notify('error', 'MedSAM model failed to load', message);
        this.modelReady = null;
        throw error;
      });
    return this.modelReady;
  }

  /** Stores the current result as a DICOM SEG in the data source. */
  async save(): Promise<void> {
    const run = this.state.run;
    if (run.phase !== 'done') {
      throw new MedsamError('seg/invalid-input', 'There is no MedSAM result to save yet: draw a box first.');
    }
    this.update({ save: { phase: 'saving' } });
    try {
      const request = {
        libraries: this.libraries(),
        servicesManager: this.servicesManager,
        extensionManager: this.requireExtensionManager(),
        segmentationId: run.segmentationId,
        segmentIndex: this.state.segment.index,
        segmentLabel: this.state.segment.label,
        segmentType: this.state.segment.type,
        model: run.model,
      };
      const saved = await saveSegmentation(request, this.requireArchiver());
      const { sopInstanceUid, seriesInstanceUid, frames } = saved;
      this.update({ save: { phase: 'saved', sopInstanceUid, seriesInstanceUid, frames } });
      this.notify('success', 'Segmentation stored', `DICOM SEG with ${saved.frames} frame(s) is in the archive.`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.update({ save: { phase: 'error', message } });
      this.notify('error', 'Storing the segmentation failed', message);
      throw error;
    }
  }

  /** Stores an unsaved SEG again: the same instance, so the archive gets no second SEG. */
  async retryUnsaved(sopInstanceUid: string): Promise<void> {
    try {
      await this.requireArchiver().retry(sopInstanceUid, authorizationHeaders(this.servicesManager));
      this.notify('success', 'Segmentation stored', `SEG ${sopInstanceUid} is in the archive.`);
    } catch (error) {
      this.notify('error', 'Storing the segmentation failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Downloads an unsaved SEG as a .dcm file; a SEG that is no longer listed gets an error notification. */
  downloadUnsaved(sopInstanceUid: string): void {
    const seg = this.requireArchiver().getSeg(sopInstanceUid);
    if (!seg) {
      log.error(`SEG ${sopInstanceUid} cannot be downloaded because it is no longer listed.`);
      this.notify('error', 'Download failed', `SEG ${sopInstanceUid} is no longer in the list of unsaved SEGs.`);
      return;
    }
    downloadSegFile(seg);
  }

  /**
   * Runs a box now, or after the current run. Only the newest waiting box is
   * kept, so a box being dragged runs as often as the decoder keeps up.
   */
  private enqueue(annotation: Annotation, { preview = false } = {}): void {
    this.lastAnnotation = annotation;
    if (this.running) {
      this.queuedAnnotation = annotation;
      this.queuedPreview = preview;
      return;
    }
    this.running = true;
    void this.runBox(annotation, preview).finally(() => {
      this.running = false;
      const next = this.queuedAnnotation;
      const nextPreview = this.queuedPreview;
      this.queuedAnnotation = null;
      if (next) {
        this.enqueue(next, { preview: nextPreview });
      }
    });
  }

  /** Segments one box. A `preview` run is a box still being drawn, whose too-small intermediate shapes are skipped. */
  private async runBox(annotation: Annotation, preview = false): Promise<void> {
    const imageId = annotation.metadata.referencedImageId;
    const session = this.session;
    const stale = () => session !== this.session;
    try {
      if (!imageId) {
        throw new MedsamError('box/invalid', 'Draw the MedSAM box on a single image (stack view), not in a volume view.');
      }
      this.update({ run: { phase: 'running', imageId } });
      await this.ensureModel();
      const model = this.state.model;
      if (stale() || model.phase !== 'ready') {
        return;
      }

      const input = await readBoxInput(this.libraries(), annotation, imageId);
      if (stale()) {
        return;
      }
      const { image, plane, sopInstanceUid, pixels } = input;
      this.update({ box: { imageId, sopInstanceUid, pixels } });

      const modalityImage = readModalityImage(image);
      const { policy: intensity, notice: intensityNotice } = this.intensityFor(imageId, modalityImage);
      const imageKey = createImageKey(sopInstanceUid, input.frameNumber, intensity);
      const result = await this.requireWorker().segment({
        imageKey,
        image: modalityImage,
        intensity,
        box: pixels,
      });
      if (stale()) {
        return;
      }

      const segment = this.state.segment;
      const segmentationId = await ensureMedsamSegmentation(this.servicesManager.services, this.segmentationByDisplaySet, imageId, segment);
      if (stale()) {
        return;
      }
      const maskPixels = writeMaskToLabelmap(this.libraries(), segmentationId, imageId, result.mask, segment.index);
      const pixelAreaMm2 = plane.rowPixelSpacing * plane.columnPixelSpacing;
      this.update({
        run: {
          phase: 'done',
          imageId,
          sopInstanceUid,
          maskPixels,
          areaMm2: Number.isFinite(pixelAreaMm2) ? maskPixels * pixelAreaMm2 : null,
          encoderMs: result.encoderMs,
          decoderMs: result.decoderMs,
          segmentationId,
          intensity: result.intensity,
          intensityNotice,
          model: { name: model.modelName, standIn: model.standIn, backend: model.backend },
        },
        save: { phase: 'idle' },
      });
      this.encodedKeys.add(imageKey);
      this.encodedImageIds.add(imageId);
      if (!preview && !this.queuedAnnotation) {
        void this.preencodeAround(imageId, session);
      }
    } catch (error) {
      if (preview && error instanceof MedsamError && error.code === 'box/invalid') {
        log.debug(`Live preview skipped a box shape: ${error.message}`);
        return;
      }
      if (stale() || isAborted(error)) {
        log.debug('A MedSAM run ended because the mode was left.');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      log.error(`MedSAM run failed: ${message}`);
      this.update({ run: { phase: 'error', message } });
      this.notify('error', 'MedSAM failed', message);
    }
  }

  /**
   * Returns the user's CT window for CT images and MedSAM's percentiles for
   * other grayscale images, from the series' volume statistics when they are
   * complete and from this slice otherwise (with a notice).
   */
  private intensityFor(imageId: string, image: ModalityImage): ChosenIntensity {
    const series = this.libraries().cornerstone.metaData.get('generalSeriesModule', imageId) as { modality?: string } | undefined;
    const displaySetInstanceUID = this.startStatistics(imageId);
    let status: SeriesStatisticsStatus | 'off' | undefined = 'off';
    if (this.statisticsTracker) {
      status = displaySetInstanceUID ? this.statisticsTracker.status(displaySetInstanceUID) : undefined;
    }
    if (series?.modality === 'CT') {
      this.suggestCtWindow(imageId);
    }
    const ctWindow = this.state.intensity.kind === 'ct-window' ? this.state.intensity : ctWindowPolicy('soft-tissue');
    return chooseIntensity(series?.modality ?? '', image, ctWindow, status);
  }

  /**
   * Has the worker encode the slices next to `imageId` while it is idle, so
   * that moving to a neighbouring slice and boxing there runs only the
   * decoder. A failure only costs that speed-up, so it is logged.
   */
  private async preencodeAround(imageId: string, session: number): Promise<void> {
    const count = this.requireConfig().preencodeSlices;
    const worker = this.worker;
    const imageIds = this.servicesManager.services.displaySetService
      .getActiveDisplaySets()
      .find(set => set.imageIds?.includes(imageId))?.imageIds;
    if (count === 0 || !worker || !imageIds) {
      return;
    }
    try {
      const encoded = await preencodeNeighbours({
        libraries: this.libraries(),
        worker,
        imageIds,
        index: imageIds.indexOf(imageId),
        count,
        intensityFor: (id, image) => this.intensityFor(id, image).policy,
        encodedKeys: this.encodedKeys,
        onEncoded: id => this.encodedImageIds.add(id),
      });
      if (session === this.session && encoded > 0) {
        this.update({ preencoded: this.state.preencoded + encoded });
      }
    } catch (error) {
      if (session === this.session && !isAborted(error)) {
        log.warn(`Encoding the slices next to ${imageId} ahead failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /**
   * Starts the volume statistics of the display set that shows `imageId`
   * and, the first time a CT display set is seen, suggests its CT window.
   * Returns the display set's UID.
   */
  private startStatistics(imageId: string): string | undefined {
    const displaySet = this.servicesManager.services.displaySetService
      .getActiveDisplaySets()
      .find(set => set.imageIds?.includes(imageId));
    if (!displaySet?.imageIds) {
      return undefined;
    }
    const { displaySetInstanceUID } = displaySet;
    if (!this.seenDisplaySets.has(displaySetInstanceUID)) {
      this.seenDisplaySets.add(displaySetInstanceUID);
      if (displaySet.Modality === 'CT') {
        this.suggestCtWindow(imageId);
      }
    }
    this.statisticsTracker?.start(displaySetInstanceUID, displaySet.imageIds);
    return displaySetInstanceUID;
  }

  /** Sets the CT window suggested by the image's series, unless the user chose one. */
  private suggestCtWindow(imageId: string): void {
    if (this.state.intensityOrigin.kind !== 'automatic') {
      return;
    }
    const instance = this.libraries().cornerstone.metaData.get('instance', imageId) as CtSeriesDescription | undefined;
    const suggestion = suggestCtWindowPreset(instance ?? {});
    this.update({ intensity: ctWindowPolicy(suggestion.preset), intensityOrigin: { kind: 'automatic', reason: suggestion.reason } });
  }

  private showStatistics(displaySetInstanceUID: string, status: SeriesStatisticsStatus): void {
    const framesDone = status.phase === 'complete' ? status.framesTotal : status.framesDone;
    this.update({
      statistics: {
        displaySetInstanceUID,
        phase: status.phase,
        framesDone,
        framesTotal: status.framesTotal,
        reason: status.phase === 'unavailable' ? status.reason : undefined,
      },
    });
  }

  /** Builds the adapter through which `RangeController` uses this service. */
  private createRangeHost(): RangeHost {
    return {
      libraries: () => this.libraries(),
      services: () => this.servicesManager.services,
      worker: async () => {
        await this.ensureModel();
        return this.requireWorker();
      },
      intensityFor: (imageId, image) => this.intensityFor(imageId, image),
      segmentationFor: (imageId, segment) =>
        ensureMedsamSegmentation(this.servicesManager.services, this.segmentationByDisplaySet, imageId, segment),
      knownSegmentation: displaySetInstanceUID => this.segmentationByDisplaySet.get(displaySetInstanceUID),
      currentSegment: () => this.state.segment,
      selectSegment: segment => this.setSegment(segment),
      subscribeSegment: listener => {
        let last = this.state.segment;
        return this.subscribe(state => {
          if (state.segment !== last) {
            last = state.segment;
            listener(state.segment);
          }
        });
      },
      recordRun: record => {
        const run = describeRangeRun(this.state.model, record);
        if (run) {
          this.update({ run, save: { phase: 'idle' } });
        }
      },
      notify: (type, title, message) => this.notify(type, title, message),
    };
  }

  private libraries(): CornerstoneLibraries {
    const entry = this.requireExtensionManager().getModuleEntry('@ohif/extension-cornerstone.utilityModule.common');
    const getLibraries = entry?.exports.getCornerstoneLibraries as (() => CornerstoneLibraries) | undefined;
    if (!getLibraries) {
      throw new MedsamError(
        'config/invalid',
        'The viewer has no @ohif/extension-cornerstone utility module; MedSAM needs the Cornerstone extension.'
      );
    }
    return getLibraries();
  }

  private requireConfig(): MedsamConfig {
    if (!this.config) {
      throw new MedsamError(
        'config/invalid',
        'The MedSAM extension was not configured before use: register it in window.config.extensions or the plugin config.'
      );
    }
    return this.config;
  }

  private requireArchiver(): SegArchiver {
    this.archiver ??= new SegArchiver({
      stowTimeoutMs: this.requireConfig().stowTimeoutMs,
      onChange: unsaved => this.update({ unsaved }),
    });
    return this.archiver;
  }

  private requireExtensionManager(): ExtensionManager {
    if (!this.extensionManager) {
      throw new MedsamError(
        'config/invalid',
        'The MedSAM extension was not configured before use: register it in window.config.extensions or the plugin config.'
      );
    }
    return this.extensionManager;
  }

  private requireWorker(): MedsamWorkerClient {
    if (!this.worker) {
      throw new MedsamError('worker/protocol', 'The inference worker is not running; draw the box again to restart it.');
    }
    return this.worker;
  }

  private notify(type: 'info' | 'success' | 'warning' | 'error', title: string, message: string): void {
    this.servicesManager.services.uiNotificationService?.show({ title, message, type, duration: type === 'error' ? 10000 : 4000 });
  }

  private update(patch: Partial<MedsamState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) {
      listener(this.state);
    }
  }
}

/** Describes the per-axis minimum and maximum of box corners (patient mm, to 1 µm), whatever their order. */
function describeExtent(points: readonly Point3[]): string {
  const extent = [0, 1, 2].map(axis => {
    const values = points.map(point => point[axis] ?? 0);
    return `${Math.min(...values).toFixed(3)}:${Math.max(...values).toFixed(3)}`;
  });
  return extent.join(',');
}

function isAborted(error: unknown): boolean {
  return error instanceof MedsamError && error.code === 'inference/aborted';
}

/** SNOMED CT "Mass" (4147007), the type a new segment starts with. */
function defaultSegmentType(): SegmentedPropertyType {
  const mass = SEGMENTED_PROPERTY_TYPES.find(type => type.value === '4147007');
  if (!mass) {
    throw new MedsamError('config/invalid', 'The segmented property code list has no "Mass" (SCT 4147007).');
  }
  return mass;
}
