import * as ort from 'onnxruntime-web';

import { MedsamError } from '../MedsamError';
import { createLogger } from '../logging';
import { fetchModelFile } from '../inference/fetchModelFile';
import { MedsamEngine } from '../inference/MedsamEngine';
import { parseModelManifest, selectEncoder } from '../model/parseModelManifest';
import type { ModelManifest } from '../model/ModelManifest';
import type { Backend, InitRequest, ProgressResponse } from '../protocol/workerMessages';

const log = createLogger('medsam.inference');

export interface LoadedEngine {
  engine: MedsamEngine;
  manifest: ModelManifest;
  backend: Backend;
  encoderPrecision: string;
  wasmThreads: number;
  fallbackReason: string | null;
}

type ProgressSink = (progress: Omit<ProgressResponse, 'type' | 'requestId'>) => void;

/**
 * Loads the model for the best backend: WebGPU when an adapter exists and
 * the session builds, WASM otherwise. A WebGPU failure is not silent: the
 * reason is logged and returned so the panel can show it.
 */
export async function loadEngine(request: InitRequest, onProgress: ProgressSink): Promise<LoadedEngine> {
  const wasmThreads = globalThis.crossOriginIsolated ? Math.max(1, Math.floor(request.numThreads)) : 1;
  ort.env.wasm.wasmPaths = request.wasmPaths;
  ort.env.wasm.numThreads = wasmThreads;

  const manifestUrl = new URL('manifest.json', request.modelBaseUrl).href;
  const manifest = parseModelManifest(await fetchJson(manifestUrl), manifestUrl);
  const decoderBytes = await download(request.modelBaseUrl, manifest.decoder, onProgress);
  const wasmOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' as const };

  let fallbackReason: string | null = null;
  if (request.backend !== 'wasm') {
    const unavailable = await webGpuUnavailableReason();
    if (unavailable === null) {
      try {
        const encoderEntry = selectEncoder(manifest, 'webgpu');
        const encoderBytes = await download(request.modelBaseUrl, encoderEntry, onProgress);
        onProgress({ stage: 'session' });
        const engine = await MedsamEngine.create({
          ort,
          encoderBytes,
          decoderBytes,
          encoderSessionOptions: { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' },
          decoderSessionOptions: wasmOptions,
        });
        // A session can build and still fail on its first run (an
        // unsupported kernel, a lost device), so the encoder runs once on a
        // blank input before WebGPU is accepted. It also compiles the shaders.
        onProgress({ stage: 'session' });
        try {
          await engine.encode(new Float32Array(3 * 1024 * 1024));
        } catch (error) {
          await engine.release();
          throw error;
        }
        return { engine, manifest, backend: 'webgpu', encoderPrecision: encoderEntry.precision, wasmThreads, fallbackReason };
      } catch (error) {
        if (error instanceof MedsamError && error.code === 'model/integrity') {
          throw error;
        }
        fallbackReason = `WebGPU session failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    } else {
      fallbackReason = unavailable;
    }
    if (request.backend === 'webgpu') {
      throw new MedsamError('model/load-failed', `WebGPU was requested but is not usable: ${fallbackReason}.`);
    }
    log.warn(`Falling back to WASM: ${fallbackReason}`);
  }

  const encoderEntry = selectEncoder(manifest, 'wasm');
  const encoderBytes = await download(request.modelBaseUrl, encoderEntry, onProgress);
  onProgress({ stage: 'session' });
  const engine = await MedsamEngine.create({
    ort,
    encoderBytes,
    decoderBytes,
    encoderSessionOptions: wasmOptions,
    decoderSessionOptions: wasmOptions,
  });
  return { engine, manifest, backend: 'wasm', encoderPrecision: encoderEntry.precision, wasmThreads, fallbackReason };
}

/** Loads the WASM engine only, after WebGPU failed during use. */
export function loadWasmEngine(request: InitRequest, reason: string, onProgress: ProgressSink): Promise<LoadedEngine> {
  log.warn(`Switching to WASM: ${reason}`);
  return loadEngine({ ...request, backend: 'wasm' }, onProgress).then(loaded => ({ ...loaded, fallbackReason: reason }));
}

async function webGpuUnavailableReason(): Promise<string | null> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) {
    return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  }
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'no WebGPU adapter is available';
  } catch (error) {
    return `requesting a WebGPU adapter failed: ${String(error)}`;
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
  return response.json();
}
