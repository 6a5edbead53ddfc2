import { MedsamError, type MedsamErrorCode } from '../../../src/MedsamError';
import { createLogger } from '../../../src/logging';
import type {
  BackendChangedResponse,
  InitRequest,
  MaskResponse,
  PreencodedResponse,
  PreencodeItem,
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
  /** Called once when the worker crashed; the client then rejects every request. */
  onCrash: ((error: MedsamError) => void) | null = null;
  private failure: MedsamError | null = null;

  constructor(createWorker: () => Worker) {
    this.worker = createWorker();
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
    this.worker.onerror = event => {
      this.fail(new MedsamError('worker/protocol', `The inference worker crashed: ${event.message || 'unknown error'}.`));
    };
    this.worker.onmessageerror = () => {
      this.fail(new MedsamError('worker/protocol', 'A reply from the inference worker could not be deserialized.'));
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

  /**
   * Asks the worker to encode these slices while it is idle; the values
   * buffers are transferred. Resolves when they are encoded or dropped
   * because other work arrived.
   */
  preencode(items: PreencodeItem[]): Promise<PreencodedResponse> {
    const transfer = items.map(item => item.image.values.buffer as ArrayBuffer);
    return this.send({ type: 'preencode', items }, transfer) as Promise<PreencodedResponse>;
  }

  terminate(): void {
    this.worker.terminate();
    this.failure ??= new MedsamError('inference/aborted', 'The inference worker was stopped.');
    this.rejectAll(this.failure);
  }

  private fail(error: MedsamError): void {
    if (this.failure) {
      return;
    }
    log.error(error.message);
    this.failure = error;
    this.worker.terminate();
    this.rejectAll(error);
    this.onCrash?.(error);
  }

  private rejectAll(error: MedsamError): void {
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
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onProgress });
      try {
        this.worker.postMessage({ ...request, requestId }, transfer);
      } catch (error) {
        this.pending.delete(requestId);
        reject(new MedsamError('worker/protocol', `Sending ${request.type} to the inference worker failed: ${String(error)}.`));
      }
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
      case 'preencoded':
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
