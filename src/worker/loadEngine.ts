import * as ort from 'onnxruntime-web';

import { MedsamError } from '../MedsamError';
import { createLogger } from '../logging';
import { fetchModelFile } from '../inference/fetchModelFile';
import { MedsamEngine } from '../inference/MedsamEngine';
import { parseModelManifest, selectEncoder } from '../model/parseModelManifest';
import type { ModelManifest } from '../model/ModelManifest';
import type { Backend, InitRequest, ProgressResponse } from '../protocol/workerMessages';
import { WebGpuErrorLog, type WebGpuDeviceEvents } from './WebGpuErrorLog';

const log = createLogger('medsam.inference');

/** One log for the worker, because onnxruntime-web keeps one WebGPU device for all sessions. */
const webGpuErrors = new WebGpuErrorLog();

export interface LoadedEngine {
  engine: MedsamEngine;
  manifest: ModelManifest;
  backend: Backend;
  encoderPrecision: string;
  wasmThreads: number;
  fallbackReason: string | null;
  /** Reason, shown in the panel, that the encoder precision differs from the backend's preferred one; null when it does not. */
  encoderNote: string | null;
}

type ProgressSink = (progress: Omit<ProgressResponse, 'type' | 'requestId'>) => void;

/**
 * Loads the model for the best backend: WebGPU when an adapter exists and
 * the session builds, WASM otherwise. A WebGPU failure is not silent: the
 * reason is logged and returned so the panel can show it.
 */
export async function loadEngine(request: InitRequest, onProgress: ProgressSink): Promise<LoadedEngine> {
  if (globalThis.isSecureContext === false || !globalThis.crypto?.subtle) {
    throw new MedsamError(
      'model/load-failed',
      'The page is not a secure context, so the model cannot be verified (SubtleCrypto is missing): ' +
        'serve the viewer over HTTPS, or from localhost.'
    );
  }
  const wasmThreads = globalThis.crossOriginIsolated ? Math.max(1, Math.floor(request.numThreads)) : 1;
  ort.env.wasm.wasmPaths = request.wasmPaths;
  ort.env.wasm.numThreads = wasmThreads;

  const manifestUrl = new URL('manifest.json', request.modelBaseUrl).href;
  const manifest = parseModelManifest(await fetchJson(manifestUrl), manifestUrl);
  const decoderBytes = await download(request.modelBaseUrl, manifest.decoder, onProgress);

  const context = { request, manifest, decoderBytes, onProgress };

  let fallbackReason: string | null = null;
  if (request.backend !== 'wasm') {
    const probe = await probeWebGpu();
    fallbackReason = probe.available ? null : probe.reason;
    if (probe.available) {
      try {
        return { ...(await buildEngine('webgpu', context, probe.shaderF16)), wasmThreads, fallbackReason };
      } catch (error) {
        if (error instanceof MedsamError && error.code === 'model/integrity') {
          throw error;
        }
        fallbackReason = `WebGPU session failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (request.backend === 'webgpu') {
      throw new MedsamError('model/load-failed', `WebGPU was requested but is not usable: ${fallbackReason}.`);
    }
    log.warn(`Falling back to WASM: ${fallbackReason}`);
  }
  return { ...(await buildEngine('wasm', context, false)), wasmThreads, fallbackReason };
}

interface BuildContext {
  request: InitRequest;
  manifest: ModelManifest;
  decoderBytes: Uint8Array;
  onProgress: ProgressSink;
}

/**
 * Downloads the encoder variant for `backend` and builds both sessions. The
 * decoder always runs on WASM: it is small, and its input comes back to the
 * CPU anyway. On WebGPU the encoder runs once on a blank input before the
 * backend is accepted, because a session can build and still fail on its
 * first run, on an unsupported kernel or a lost device. That run also
 * compiles the shaders. Every WebGPU encoder run, this one included, fails
 * when the device reported an error during it (`WebGpuErrorLog`).
 */
async function buildEngine(backend: Backend, { request, manifest, decoderBytes, onProgress }: BuildContext, webgpuShaderF16: boolean) {
  const encoderEntry = selectEncoder(manifest, backend, { wasmPrecision: request.wasmEncoderPrecision, webgpuShaderF16 });
  // Derived from the choice itself, so the note cannot contradict the encoder that runs.
  const encoderNote =
    backend === 'webgpu' && encoderEntry.precision !== 'fp16' && manifest.encoders.some(entry => entry.precision === 'fp16')
      ? 'This WebGPU adapter lacks the shader-f16 feature, so the fp32 encoder runs instead of the fp16 one.'
      : null;
  if (encoderNote) {
    log.info(encoderNote);
  }
  const encoderBytes = await download(request.modelBaseUrl, encoderEntry, onProgress);
  onProgress({ stage: 'session' });
  const wasmOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' as const };
  const errorLog = backend === 'webgpu' ? webGpuErrors : null;
  const engine = await MedsamEngine.create({
    ort,
    encoderBytes,
    decoderBytes,
    encoderSessionOptions: backend === 'webgpu' ? { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' } : wasmOptions,
    decoderSessionOptions: wasmOptions,
    takeEncoderErrors: errorLog ? () => errorLog.take() : undefined,
  });
  if (errorLog) {
    try {
      // The device exists once the first WebGPU session does. Errors of an
      // engine built before this one are not this engine's.
      errorLog.attach((await ort.env.webgpu.device) as unknown as WebGpuDeviceEvents);
      errorLog.clear();
      await engine.encode(new Float32Array(3 * 1024 * 1024));
    } catch (error) {
      await engine.release();
      throw error;
    }
  }
  return { engine, manifest, backend, encoderPrecision: encoderEntry.precision, encoderNote };
}

/** Loads the WASM engine only, after WebGPU failed during use. */
export function loadWasmEngine(request: InitRequest, reason: string, onProgress: ProgressSink): Promise<LoadedEngine> {
  log.warn(`Switching to WASM: ${reason}`);
  return loadEngine({ ...request, backend: 'wasm' }, onProgress).then(loaded => ({ ...loaded, fallbackReason: reason }));
}

/** Outcome of probing WebGPU: usable (with or without `shader-f16` on its adapter), or not, with the reason. */
type WebGpuProbe = { available: true; shaderF16: boolean } | { available: false; reason: string };

interface WebGpuAdapterFeatures {
  features: { has(feature: string): boolean };
}

async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<WebGpuAdapterFeatures | null> } }).gpu;
  if (!gpu) {
    return { available: false, reason: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      return { available: false, reason: 'no WebGPU adapter is available' };
    }
    return { available: true, shaderF16: adapter.features.has('shader-f16') };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${String(error)}` };
  }
}

async function download(baseUrl: string, entry: ModelManifest['decoder'], onProgress: ProgressSink): Promise<Uint8Array> {
  const result = await fetchModelFile(baseUrl, entry, {
    onProgress: (loadedBytes, totalBytes) => onProgress({ stage: 'download', file: entry.path, loadedBytes, totalBytes }),
  });
  log.info(`${entry.path}: ${result.fromCache ? 'verified from cache' : `downloaded ${result.downloadedBytes} bytes and verified`}`);
  return result.bytes;
}

async function fetchJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (error) {
    throw new MedsamError('model/load-failed', `Fetching ${url} failed: ${String(error)}. Check modelBaseUrl.`, { cause: error });
  }
  if (!response.ok) {
    throw new MedsamError('model/load-failed', `Fetching ${url} failed with HTTP ${response.status}. Check modelBaseUrl.`);
  }
  try {
    return await response.json();
  } catch (error) {
    throw new MedsamError('model/interface', `${url} is not valid JSON: ${String(error)}. Re-run the model import.`, { cause: error });
  }
}
