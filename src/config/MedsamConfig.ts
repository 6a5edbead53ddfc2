import { MedsamError } from '../MedsamError';
import type { BackendPreference, EmbeddingStorage, WasmEncoderPrecision } from '../protocol/workerMessages';

/** Settings of the extension, from `window.config.medsam` or the extension configuration. */
export interface MedsamConfig {
  /** Folder holding `manifest.json` and the ONNX files; same origin by default. */
  modelBaseUrl: string;
  /** Folder holding onnxruntime-web's `.wasm`/`.mjs` files; defaults to `ort/` beside the extension bundle. */
  wasmPaths: string;
  /** `auto` tries WebGPU first and falls back to WASM. */
  backend: BackendPreference;
  /** WASM threads when the page is cross-origin isolated. */
  numThreads: number;
  /** Encoder on WASM: fp32, or int8 when the model's import kept an int8 encoder. */
  wasmEncoderPrecision: WasmEncoderPrecision;
  /** Memory budget of the embedding cache, in MiB (one ViT-B embedding is 4 MiB, 2 MiB as fp16). */
  embeddingCacheMiB: number;
  /** Precision of cached embeddings: `auto` keeps fp16 when the fp16 encoder runs (WebGPU with shader-f16), else fp32. */
  embeddingStorage: EmbeddingStorage;
  /** Segment label used until the user types one. */
  defaultSegmentLabel: string;
  /** Slices on each side of a boxed slice that the worker encodes while idle; 0 turns it off. */
  preencodeSlices: number;
  /**
   * Load every frame of a shown series for MedSAM's volume intensity
   * statistics, as its training data was prepared. When false, every box
   * uses the slice's statistics and the panel shows a notice.
   */
  volumeStatistics: boolean;
  /**
   * Time limit of one STOW-RS attempt when saving a SEG, in ms. Default
   * 300000, because a SEG of hundreds of frames over a slow link takes
   * minutes. Proxy timeouts in front of the archive should be at least this.
   */
  stowTimeoutMs: number;
}

/** Default of `stowTimeoutMs`: five minutes per STOW-RS attempt. */
export const DEFAULT_STOW_TIMEOUT_MS = 300_000;

const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

/**
 * Validates the configuration where it enters the extension and fills in
 * defaults. `bundleUrl` is the URL of the extension bundle, used to resolve
 * relative URLs.
 */
export function parseMedsamConfig(input: unknown, bundleUrl: string, hardwareConcurrency = 2): MedsamConfig {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid('the MedSAM configuration', input, 'an object');
  }

  const modelBaseUrl = raw.modelBaseUrl ?? './models/standin/';
  if (typeof modelBaseUrl !== 'string') {
    throw invalid('modelBaseUrl', modelBaseUrl, 'a URL string');
  }
  const wasmPaths = raw.wasmPaths ?? './ort/';
  if (typeof wasmPaths !== 'string') {
    throw invalid('wasmPaths', wasmPaths, 'a URL string');
  }
  const backend = raw.backend ?? 'auto';
  if (!BACKENDS.includes(backend as BackendPreference)) {
    throw invalid('backend', backend, `one of ${BACKENDS.join(', ')}`);
  }
  const numThreads = raw.numThreads ?? Math.min(4, Math.max(1, hardwareConcurrency));
  if (!Number.isInteger(numThreads) || (numThreads as number) < 1 || (numThreads as number) > 64) {
    throw invalid('numThreads', numThreads, 'an integer from 1 to 64');
  }
  const wasmEncoderPrecision = raw.wasmEncoderPrecision ?? 'fp32';
  if (wasmEncoderPrecision !== 'fp32' && wasmEncoderPrecision !== 'int8') {
    throw invalid('wasmEncoderPrecision', wasmEncoderPrecision, 'fp32 or int8');
  }
  const embeddingCacheMiB = raw.embeddingCacheMiB ?? 512;
  if (typeof embeddingCacheMiB !== 'number' || !(embeddingCacheMiB >= 4)) {
    throw invalid('embeddingCacheMiB', embeddingCacheMiB, 'a number of MiB, at least 4');
  }
  const embeddingStorage = raw.embeddingStorage ?? 'auto';
  if (embeddingStorage !== 'auto' && embeddingStorage !== 'fp32' && embeddingStorage !== 'fp16') {
    throw invalid('embeddingStorage', embeddingStorage, 'auto, fp32 or fp16');
  }
  const defaultSegmentLabel = raw.defaultSegmentLabel ?? 'Lesion';
  if (typeof defaultSegmentLabel !== 'string' || defaultSegmentLabel.trim() === '') {
    throw invalid('defaultSegmentLabel', defaultSegmentLabel, 'a non-empty string');
  }
  const preencodeSlices = raw.preencodeSlices ?? 2;
  if (!Number.isInteger(preencodeSlices) || (preencodeSlices as number) < 0 || (preencodeSlices as number) > 16) {
    throw invalid('preencodeSlices', preencodeSlices, 'an integer from 0 to 16');
  }
  const volumeStatistics = raw.volumeStatistics ?? true;
  if (typeof volumeStatistics !== 'boolean') {
    throw invalid('volumeStatistics', volumeStatistics, 'true or false');
  }

  const stowTimeoutMs = raw.stowTimeoutMs ?? DEFAULT_STOW_TIMEOUT_MS;
  if (!Number.isInteger(stowTimeoutMs) || (stowTimeoutMs as number) < 1000 || (stowTimeoutMs as number) > 3_600_000) {
    throw invalid('stowTimeoutMs', stowTimeoutMs, 'an integer number of ms from 1000 to 3600000');
  }

  return {
    modelBaseUrl: toDirectoryUrl(modelBaseUrl, bundleUrl),
    wasmPaths: toDirectoryUrl(wasmPaths, bundleUrl),
    backend: backend as BackendPreference,
    numThreads: numThreads as number,
    wasmEncoderPrecision,
    embeddingCacheMiB,
    embeddingStorage,
    defaultSegmentLabel,
    preencodeSlices: preencodeSlices as number,
    volumeStatistics,
    stowTimeoutMs: stowTimeoutMs as number,
  };
}

function toDirectoryUrl(value: string, base: string): string {
  const url = new URL(value, base).href;
  return url.endsWith('/') ? url : `${url}/`;
}

function invalid(name: string, value: unknown, expected: string): MedsamError {
  return new MedsamError('config/invalid', `MedSAM setting ${name} is ${JSON.stringify(value)}; expected ${expected}.`);
}
