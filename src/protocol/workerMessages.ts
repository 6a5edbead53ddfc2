/**
 * The one message protocol between the page and the inference worker.
 *
 * Every request carries a `requestId`. The worker replies to each request with
 * exactly one final message (`ready`, `mask`, `disposed` or `error`) carrying
 * the same id, and may send `progress` messages before it. Pixel buffers and
 * masks are transferred, not copied.
 */

import type { MedsamErrorCode } from '../MedsamError';
import type { IntensityPolicy } from '../preprocess/IntensityPolicy';
import type { ModalityImage } from '../preprocess/ModalityImage';

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type Backend = 'webgpu' | 'wasm';

/** Box corners in image pixels of the source image (x right, y down). */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One frame in modality units (HU for CT); its values buffer is transferred. */
export type WorkerImage = ModalityImage;

/** Intensity mapping to [0, 255] before the resize. */
export type IntensitySettings = IntensityPolicy;

export interface InitRequest {
  type: 'init';
  requestId: number;
  /** URL of the folder holding `manifest.json`, ending in `/`. */
  modelBaseUrl: string;
  /** URL of the folder holding onnxruntime-web's `.wasm` and `.mjs` files. */
  wasmPaths: string;
  backend: BackendPreference;
  /** WASM threads; ignored when the page is not cross-origin isolated. */
  numThreads: number;
  /** Upper bound of the embedding cache, in bytes. */
  embeddingCacheBytes: number;
  /** Encoder precision on WASM; `int8` needs an int8 encoder in the manifest. Default `fp32`. */
  wasmEncoderPrecision?: WasmEncoderPrecision;
  /** Precision of cached embeddings; `auto` (the default) is fp16 when the fp16 encoder runs, fp32 otherwise. */
  embeddingStorage?: EmbeddingStorage;
}

/** Precision of cached embeddings, or `auto` to follow the backend. */
export type EmbeddingStorage = 'auto' | 'fp32' | 'fp16';

/** Encoder precisions the WASM backend can run. */
export type WasmEncoderPrecision = 'fp32' | 'int8';

export interface SegmentRequest {
  type: 'segment';
  requestId: number;
  /**
   * Identifies the image and its pre-processing: the embedding cache key.
   * Built by `createImageKey`.
   */
  imageKey: string;
  /** Omitted when the page expects the embedding to be cached already. */
  image?: WorkerImage;
  intensity: IntensitySettings;
  box: PixelBox;
}

export interface DisposeRequest {
  type: 'dispose';
  requestId: number;
}

/** One slice to encode ahead of need. */
export interface PreencodeItem {
  imageKey: string;
  image: WorkerImage;
  intensity: IntensitySettings;
}

/**
 * Encodes slices while the worker is idle, so that a later box on one of
 * them runs only the decoder. A newer `preencode` replaces the slices not
 * yet started, and any other request drops them: at most the one encoding
 * in progress finishes first.
 */
export interface PreencodeRequest {
  type: 'preencode';
  requestId: number;
  items: PreencodeItem[];
}

export type WorkerRequest = InitRequest | SegmentRequest | DisposeRequest | PreencodeRequest;

export interface ReadyResponse {
  type: 'ready';
  requestId: number;
  backend: Backend;
  modelName: string;
  standIn: boolean;
  encoderPrecision: string;
  wasmThreads: number;
  /** Set when the preferred backend failed and the worker fell back. */
  fallbackReason: string | null;
  /** Set when the encoder precision is not the backend's preferred one, with the reason. */
  encoderNote: string | null;
  /** Precision of the cached embeddings. */
  embeddingStorage: 'fp32' | 'fp16';
}

export interface ProgressResponse {
  type: 'progress';
  requestId: number;
  stage: 'download' | 'verify' | 'session' | 'encode' | 'decode';
  /** File being downloaded, for the `download` stage. */
  file?: string;
  loadedBytes?: number;
  totalBytes?: number;
}

export interface MaskResponse {
  type: 'mask';
  requestId: number;
  imageKey: string;
  width: number;
  height: number;
  /** 1 inside the segmented object, 0 outside; row-major, `width * height`. */
  mask: Uint8Array;
  /** Encoder wall time in ms, or null when the cached embedding was used. */
  encoderMs: number | null;
  decoderMs: number;
  /** The intensity mapping that was applied, as recorded by pre-processing. */
  intensity: IntensitySettings;
}

/**
 * Sent before the reply to a request that WebGPU failed to run: the worker
 * now runs on WASM and repeats the request there.
 */
export interface BackendChangedResponse {
  type: 'backend-changed';
  requestId: number;
  backend: Backend;
  encoderPrecision: string;
  wasmThreads: number;
  reason: string;
}

export interface DisposedResponse {
  type: 'disposed';
  requestId: number;
}

/** The reply to a `preencode` request, once its slices are encoded or dropped. */
export interface PreencodedResponse {
  type: 'preencoded';
  requestId: number;
  /** Image keys encoded now. */
  encoded: string[];
  /** Image keys that were cached already. */
  cached: string[];
  /** Image keys dropped because other work arrived. */
  dropped: string[];
}

export interface ErrorResponse {
  type: 'error';
  requestId: number;
  code: MedsamErrorCode;
  message: string;
}

export type WorkerResponse =
  | ReadyResponse
  | ProgressResponse
  | BackendChangedResponse
  | MaskResponse
  | DisposedResponse
  | PreencodedResponse
  | ErrorResponse;

/**
 * Builds the embedding cache key of one image: the same pixels with other
 * pre-processing settings have another embedding.
 */
export function createImageKey(
  sopInstanceUid: string,
  frameNumber: number,
  intensity: IntensitySettings
): string {
  return `${sopInstanceUid}#${frameNumber}#${JSON.stringify(intensity)}`;
}
