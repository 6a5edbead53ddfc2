import type { MedsamConfig } from '../../src/config/MedsamConfig';
import { MedsamError } from '../../src/MedsamError';
import { createLogger } from '../../src/logging';
import { defaultIntensityPolicy } from '../../src/preprocess/defaultIntensityPolicy';
import { ctWindowPolicy, type IntensityPolicy } from '../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../src/preprocess/ModalityImage';
import { SEGMENTED_PROPERTY_TYPES, type SegmentedPropertyType } from '../../src/seg/segmentedPropertyCodes';
import { createImageKey } from '../../src/protocol/workerMessages';
import type { Annotation, AnnotationEventDetail, CornerstoneLibraries } from './cornerstoneTypes';
import { readBoxInput } from './imaging/readBoxInput';
import { readModalityImage } from './imaging/readModalityImage';
import { MedsamWorkerClient } from './inference/MedsamWorkerClient';
import { describeRangeRun } from './range/describeRangeRun';
import { RangeController } from './range/RangeController';
import type { RangeHost } from './range/RangeHost';
import type { MedsamState } from './MedsamState';
import type { ExtensionManager, ServicesManager } from './ohifTypes';
import { saveSegmentation } from './save/saveSegmentation';
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
    segment: { index: MEDSAM_SEGMENT_INDEX, label: 'Lesion', type: defaultSegmentType() },
    box: null,
    run: { phase: 'idle' },
    save: { phase: 'idle' },
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
  private running = false;
  /**
   * Increased on every mode exit. A run or model load that started in an
   * earlier session checks it after each await and stops writing state.
   */
  private session = 0;
  /** The box that ran last, run again when the settings change. */
  private lastAnnotation: Annotation | null = null;
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

  /** Starts listening for boxes and loading the model. */
  onModeEnter(): void {
    const { cornerstone, cornerstoneTools } = this.libraries();
    // MODIFIED also fires while a box is still being drawn; only boxes that
    // were completed once run again when the user moves or resizes them.
    const completed = new Set<string>();
    const boxOf = (event: Event): Annotation | null => {
      const annotation = (event as CustomEvent<AnnotationEventDetail>).detail?.annotation;
      return annotation?.metadata?.toolName === MEDSAM_BOX_TOOL_NAME ? annotation : null;
    };
    const onCompleted = (event: Event) => {
      const annotation = boxOf(event);
      if (annotation) {
        completed.add(annotation.annotationUID ?? '');
        this.enqueue(annotation);
      }
    };
    const onModified = (event: Event) => {
      const annotation = boxOf(event);
      if (annotation && completed.has(annotation.annotationUID ?? '')) {
        this.enqueue(annotation);
      }
    };
    const { ANNOTATION_COMPLETED, ANNOTATION_MODIFIED } = cornerstoneTools.Enums.Events;
    cornerstone.eventTarget.addEventListener(ANNOTATION_COMPLETED, onCompleted);
    cornerstone.eventTarget.addEventListener(ANNOTATION_MODIFIED, onModified);
    this.removeListeners = () => {
      cornerstone.eventTarget.removeEventListener(ANNOTATION_COMPLETED, onCompleted);
      cornerstone.eventTarget.removeEventListener(ANNOTATION_MODIFIED, onModified);
    };
    this.range.start();
    // The model state and a notification already report a failed load.
    void this.ensureModel().catch(() => undefined);
  }

  onModeExit(): void {
    this.session++;
    this.queuedAnnotation = null;
    this.removeListeners?.();
    this.removeListeners = null;
    this.range.stop();
    this.worker?.terminate();
    this.worker = null;
    this.modelReady = null;
    this.segmentationByDisplaySet.clear();
    this.lastAnnotation = null;
    this.update({ model: { phase: 'idle' }, box: null, run: { phase: 'idle' }, save: { phase: 'idle' } });
  }

  /**
   * Sets the CT window for the next encodings and runs the current box again
   * with it. The embedding cache key includes the window, so this encodes.
   */
  setIntensity(intensity: IntensityPolicy): void {
    this.update({ intensity });
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
      this.modelReady = null;
      this.update({ model: { phase: 'error', message: error.message } });
      this.notify('error', 'MedSAM inference worker crashed', `${error.message} The next box loads the model again.`);
    };
    worker.onBackendChanged = change => {
      const model = this.state.model;
      if (model.phase === 'ready') {
        this.update({
          model: { ...model, backend: change.backend, encoderPrecision: change.encoderPrecision, wasmThreads: change.wasmThreads, fallbackReason: change.reason },
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
          embeddingCacheBytes: config.embeddingCacheMiB * 1024 * 1024,
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
      const saved = await saveSegmentation({
        libraries: this.libraries(),
        servicesManager: this.servicesManager,
        extensionManager: this.requireExtensionManager(),
        segmentationId: run.segmentationId,
        segmentIndex: this.state.segment.index,
        segmentLabel: this.state.segment.label,
        segmentType: this.state.segment.type,
        model: run.model,
      });
      this.update({ save: { phase: 'saved', ...saved } });
      this.notify('success', 'Segmentation stored', `DICOM SEG with ${saved.frames} frame(s) is in the archive.`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.update({ save: { phase: 'error', message } });
      this.notify('error', 'Storing the segmentation failed', message);
      throw error;
    }
  }

  private enqueue(annotation: Annotation): void {
    this.lastAnnotation = annotation;
    if (this.running) {
      this.queuedAnnotation = annotation;
      return;
    }
    this.running = true;
    void this.runBox(annotation).finally(() => {
      this.running = false;
      const next = this.queuedAnnotation;
      this.queuedAnnotation = null;
      if (next) {
        this.enqueue(next);
      }
    });
  }

  private async runBox(annotation: Annotation): Promise<void> {
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
      const intensity = this.intensityFor(imageId, modalityImage);
      const result = await this.requireWorker().segment({
        imageKey: createImageKey(sopInstanceUid, input.frameNumber, intensity),
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
          model: { name: model.modelName, standIn: model.standIn, backend: model.backend },
        },
        save: { phase: 'idle' },
      });
    } catch (error) {
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
   * Returns the user's CT window for CT images, and MedSAM's default
   * mapping for other modalities and for colour images.
   */
  private intensityFor(imageId: string, image: ModalityImage): IntensityPolicy {
    const series = this.libraries().cornerstone.metaData.get('generalSeriesModule', imageId) as { modality?: string } | undefined;
    const modality = series?.modality ?? '';
    if (modality === 'CT' && image.samplesPerPixel === 1) {
      return this.state.intensity;
    }
    // NOTE: percentiles come from the shown slice; MedSAM's training used the
    // whole volume's, which needs every slice of the series first.
    return defaultIntensityPolicy(modality, image);
  }

  /** The parts of this service that range runs use; see `RangeController`. */
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
