/// <reference lib="webworker" />
/**
 * Entry point of the inference worker. It owns the ONNX sessions and the
 * embedding cache; the page talks to it only through `WorkerRequest` /
 * `WorkerResponse` messages.
 */
import { MedsamError } from '../MedsamError';
import { createLogger } from '../logging';
import { MedsamPipeline } from '../inference/MedsamPipeline';
import type { WorkerRequest, WorkerResponse } from '../protocol/workerMessages';
import { loadEngine, type LoadedEngine } from './loadEngine';

declare const self: DedicatedWorkerGlobalScope;

const log = createLogger('medsam.worker');

let loaded: LoadedEngine | null = null;
let pipeline: MedsamPipeline | null = null;
// Requests run one at a time, in arrival order, so a box never races the
// encoder run of the image it belongs to.
let queue: Promise<void> = Promise.resolve();

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
      loaded = await loadEngine(request, progress => post({ type: 'progress', requestId: request.requestId, ...progress }));
      pipeline = new MedsamPipeline(loaded.engine, request.embeddingCacheBytes);
      post({
        type: 'ready',
        requestId: request.requestId,
        backend: loaded.backend,
        modelName: loaded.manifest.name,
        standIn: loaded.manifest.standIn,
        encoderPrecision: loaded.encoderPrecision,
        wasmThreads: loaded.wasmThreads,
        fallbackReason: loaded.fallbackReason,
      });
      return;
    }
    case 'segment': {
      if (!pipeline) {
        throw new MedsamError('worker/protocol', 'The model is not loaded yet: send "init" before "segment".');
      }
      const result = await pipeline.segment(request);
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

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const requestId = typeof request?.requestId === 'number' ? request.requestId : -1;
  queue = queue.then(() => handle(request).catch(error => postError(requestId, error)));
};
