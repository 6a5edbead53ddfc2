/// <reference lib="webworker" />
/**
 * Entry point of the inference worker. It owns the ONNX sessions and the
 * embedding cache; the page talks to it only through `WorkerRequest` /
 * `WorkerResponse` messages.
 */
import { MedsamError } from '../MedsamError';
import { createLogger } from '../logging';
import { MedsamPipeline } from '../inference/MedsamPipeline';
import { loadEngine, loadWasmEngine, type LoadedEngine } from './loadEngine';
import type { InitRequest, PreencodeRequest, SegmentRequest, WorkerRequest, WorkerResponse } from '../protocol/workerMessages';

declare const self: DedicatedWorkerGlobalScope;

const log = createLogger('medsam.worker');

let loaded: LoadedEngine | null = null;
let initRequest: InitRequest | null = null;
let pipeline: MedsamPipeline | null = null;
// Requests run one at a time, in arrival order, so a box never races the
// encoder run of the image it belongs to.
let queue: Promise<void> = Promise.resolve();
/** Requests queued or running; pre-encoding runs only when this is 0. */
let busy = 0;

/** The slices of the newest `preencode` request that have not started yet. */
interface PendingPreencode {
  request: PreencodeRequest;
  next: number;
  encoded: string[];
  cached: string[];
}
let preencode: PendingPreencode | null = null;
let preencodeScheduled = false;

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function postError(requestId: number, error: unknown): void {
  const code = error instanceof MedsamError ? error.code : 'inference/failed';
  const message = error instanceof Error ? error.message : String(error);
  log.error(`Request ${requestId} failed: ${message}`);
  post({ type: 'error', requestId, code, message });
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'init': {
      if (loaded) {
        await loaded.engine.release();
        loaded = null;
        pipeline = null;
      }
      initRequest = request;
      loaded = await loadEngine(request, progress => post({ type: 'progress', requestId: request.requestId, ...progress }));
      pipeline = createPipeline(loaded, request);
      post({
        type: 'ready',
        requestId: request.requestId,
        backend: loaded.backend,
        modelName: loaded.manifest.name,
        standIn: loaded.manifest.standIn,
        encoderPrecision: loaded.encoderPrecision,
        wasmThreads: loaded.wasmThreads,
        fallbackReason: loaded.fallbackReason,
        encoderNote: loaded.encoderNote,
        embeddingStorage: pipeline.storage,
      });
      return;
    }
    case 'segment': {
      if (!pipeline) {
        throw new MedsamError('worker/protocol', 'The model is not loaded yet: send "init" before "segment".');
      }
      const result = await segmentWithFallback(request);
      post(
        {
          type: 'mask',
          requestId: request.requestId,
          imageKey: request.imageKey,
          width: result.width,
          height: result.height,
          mask: result.mask,
          encoderMs: result.encoderMs,
          decoderMs: result.decoderMs,
          intensity: request.intensity,
        },
        [result.mask.buffer]
      );
      return;
    }
    case 'preencode':
      // Queued by self.onmessage, never handled in order.
      return;
    case 'dispose': {
      pipeline?.clear();
      await loaded?.engine.release();
      loaded = null;
      pipeline = null;
      post({ type: 'disposed', requestId: request.requestId });
      return;
    }
    default: {
      const unknown: never = request;
      throw new MedsamError('worker/protocol', `Unknown request ${JSON.stringify(unknown)}.`);
    }
  }
}

/** Builds the pipeline for a loaded engine; `auto` storage keeps fp16 embeddings when the encoder is fp16 already. */
function createPipeline(engine: LoadedEngine, request: InitRequest): MedsamPipeline {
  let precision = request.embeddingStorage ?? 'auto';
  if (precision === 'auto') {
    precision = engine.encoderPrecision === 'fp16' ? 'fp16' : 'fp32';
  }
  return new MedsamPipeline(engine.engine, request.embeddingCacheBytes, { storage: precision });
}

/**
 * Runs a segment request. When WebGPU fails during the run, it reloads the
 * model on WASM, notifies the page, and runs the request again there.
 */
async function segmentWithFallback(request: SegmentRequest) {
  try {
    return await (pipeline as MedsamPipeline).segment(request);
  } catch (error) {
    if (loaded?.backend !== 'webgpu' || !initRequest || !(error instanceof MedsamError) || error.code !== 'inference/failed') {
      throw error;
    }
    const reason = `WebGPU failed while running: ${error.message}`;
    await loaded.engine.release();
    // Until the WASM engine is ready there is no usable engine.
    loaded = null;
    pipeline = null;
    loaded = await loadWasmEngine(initRequest, reason, progress => post({ type: 'progress', requestId: request.requestId, ...progress }));
    pipeline = createPipeline(loaded, initRequest);
    post({
      type: 'backend-changed',
      requestId: request.requestId,
      backend: loaded.backend,
      encoderPrecision: loaded.encoderPrecision,
      wasmThreads: loaded.wasmThreads,
      reason,
    });
    if (!request.image) {
      throw new MedsamError('inference/failed', `${reason}. The model now runs on WASM; draw the box again.`);
    }
    return pipeline.segment(request);
  }
}

/** Replies to the pending pre-encode request, listing what was not started as dropped. */
function finishPreencode(): void {
  if (!preencode) {
    return;
  }
  const { request, next, encoded, cached } = preencode;
  preencode = null;
  const dropped = request.items.slice(next).map(item => item.imageKey);
  post({ type: 'preencoded', requestId: request.requestId, encoded, cached, dropped });
}

/** Queues the next pre-encode step when no request is waiting. */
function schedulePreencode(): void {
  if (busy > 0 || !preencode || preencodeScheduled) {
    return;
  }
  preencodeScheduled = true;
  queue = queue.then(preencodeNext);
}

async function preencodeNext(): Promise<void> {
  preencodeScheduled = false;
  const pending = preencode;
  if (!pending || busy > 0) {
    return;
  }
  const item = pending.request.items[pending.next];
  if (!item || !pipeline) {
    finishPreencode();
    return;
  }
  pending.next++;
  try {
    const encoderMs = await pipeline.preencode(item);
    (encoderMs === null ? pending.cached : pending.encoded).push(item.imageKey);
  } catch (error) {
    // A slice that cannot be encoded ahead fails again, visibly, when the user boxes it.
    log.warn(`Pre-encoding ${item.imageKey} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (preencode === pending && pending.next >= pending.request.items.length) {
    finishPreencode();
  }
  schedulePreencode();
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const requestId = typeof request?.requestId === 'number' ? request.requestId : -1;
  // Any request drops the slices that pre-encoding has not started.
  finishPreencode();
  if (request?.type === 'preencode') {
    preencode = { request, next: 0, encoded: [], cached: [] };
    schedulePreencode();
    return;
  }
  busy++;
  queue = queue.then(() =>
    handle(request)
      .catch(error => postError(requestId, error))
      .finally(() => {
        busy--;
        schedulePreencode();
      })
  );
};
