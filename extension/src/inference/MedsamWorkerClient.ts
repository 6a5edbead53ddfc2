import { MedsamError, type MedsamErrorCode } from '../../../src/MedsamError';
import { createLogger } from '../../../src/logging';
import type {
  BackendChangedResponse,
  InitRequest,
  MaskResponse,
  ProgressResponse,
  ReadyResponse,
  SegmentRequest,
  WorkerRequest,
  WorkerResponse,
} from '../../../src/protocol/workerMessages';

const log = createLogger('medsam.inference');

type Pending = {
  resolve: (message: WorkerResponse) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: ProgressResponse) => void;
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Page side of the worker protocol: one promise per request, progress
 * callbacks, and a rejected promise for every error reply.
 */
export class MedsamWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  /** Called when the worker moved from WebGPU to WASM during a request. */
  onBackendChanged: ((message: BackendChangedResponse) => void) | null = null;

  constructor(createWorker: () => Worker) {
    this.worker = createWorker();
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
    this.worker.onerror = event => {
      const error = new MedsamError('worker/protocol', `The inference worker crashed: ${event.message || 'unknown error'}.`);
      log.error(error.message);
      for (const pending of this.pending.values()) {
        pending.reject(error);
      }
      this.pending.clear();
    };
  }

  init(request: Omit<InitRequest, 'type' | 'requestId'>, onProgress?: (p: ProgressResponse) => void): Promise<ReadyResponse> {
    return this.send({ type: 'init', ...request }, [], onProgress) as Promise<ReadyResponse>;
  }

  /** Segments one box; the image's values buffer is transferred to the worker. */
  segment(request: Omit<SegmentRequest, 'type' | 'requestId'>): Promise<MaskResponse> {
    const transfer = request.image ? [request.image.values.buffer as ArrayBuffer] : [];
    return this.send({ type: 'segment', ...request }, transfer) as Promise<MaskResponse>;
  }

  terminate(): void {
    this.worker.terminate();
    const error = new MedsamError('inference/aborted', 'The inference worker was stopped.');
    for (const pending of this.pending.values()) {
      pending.reject(error);
    }
    this.pending.clear();
  }

  private send(
    request: DistributiveOmit<WorkerRequest, 'requestId'>,
    transfer: Transferable[],
    onProgress?: (p: ProgressResponse) => void
  ): Promise<WorkerResponse> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onProgress });
      this.worker.postMessage({ ...request, requestId }, transfer);
    });
  }

  private receive(message: WorkerResponse): void {
    const pending = this.pending.get(message.requestId);
    if (!pending) {
      log.warn(`Reply of type ${message.type} for unknown request ${message.requestId} ignored.`);
      return;
    }
    switch (message.type) {
      case 'progress':
        pending.onProgress?.(message);
        return;
      case 'backend-changed':
        this.onBackendChanged?.(message);
        return;
      case 'error':
        this.pending.delete(message.requestId);
        pending.reject(new MedsamError(message.code as MedsamErrorCode, message.message));
        return;
      case 'ready':
      case 'mask':
      case 'disposed':
        this.pending.delete(message.requestId);
        pending.resolve(message);
        return;
      default: {
        const unknown: never = message;
        log.error(`Unknown reply from the worker: ${JSON.stringify(unknown)}`);
      }
    }
  }
}
