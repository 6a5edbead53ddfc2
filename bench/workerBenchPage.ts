/**
 * Benchmark and diagnostic page (dist/medsam/bench.html). It defines two
 * globals that Playwright calls:
 *
 * - `medsamWorkerBench` runs the real inference worker (the same chunk the
 *   extension uses) and reports the encoder and decoder times it measures
 *   around `session.run`. Driven by scripts/bench-worker.mjs.
 * - `medsamWebParity` runs bench/parityWorker.ts on a pre-processed input and
 *   returns the raw embeddings and logits, for tests/e2e/webParity.test.ts.
 * - `medsamPreprocessBench` times `preprocessForMedsam` in a worker on the
 *   benchmark's synthetic CT slice and mammogram, for scripts/bench-preprocess.ts.
 *
 * Large float arrays cross the Playwright boundary as base64 strings of
 * their little-endian bytes, because JSON arrays of millions of numbers are
 * slow to serialise.
 */
import { MedsamWorkerClient } from '../extension/src/inference/MedsamWorkerClient';
import { ctWindowPolicy } from '../src/preprocess/IntensityPolicy';
import type { BackendPreference, PixelBox, ReadyResponse } from '../src/protocol/workerMessages';
import type { ParityVariant, ParityWorkerRequest, ParityWorkerResponse } from './parityWorker';
import type { PreprocessBenchCase, PreprocessBenchTiming, PreprocessWorkerResponse } from './preprocessWorker';
import { syntheticCt, syntheticMammogram } from './syntheticImages';
import { computePercentilePolicy } from '../src/preprocess/computePercentilePolicy';

export interface WorkerBenchRequest {
  modelBaseUrl: string;
  wasmPaths: string;
  backend: BackendPreference;
  numThreads: number;
  width: number;
  height: number;
  /** HU values of one CT slice, row-major. */
  values: number[];
  box: PixelBox;
  encoderRuns: number;
  decoderRuns: number;
}

export interface WorkerBenchResult {
  ready: Omit<ReadyResponse, 'type' | 'requestId'>;
  crossOriginIsolated: boolean;
  loadMs: number;
  encoderMs: number[];
  decoderMs: number[];
  /** Wall time of each moved-box request seen from the page: decoder, mask and messages. */
  boxRoundTripMs: number[];
  maskPixels: number;
  /** The mask of the last encoder run, width x height bytes of 0 or 1, as base64. */
  maskBase64: string;
  /** Vendor, architecture and description of the page's WebGPU adapter, or why there is none. */
  webgpuAdapter: string;
}

async function runWorkerBench(request: WorkerBenchRequest): Promise<WorkerBenchResult> {
  // webpack names a worker's chunk after the `name` option. The extension's
  // name, 'medsam-inference', gives the same chunk as in the viewer, while the
  // entry's own name, 'medsam-bench', would load this page's bundle as the worker.
  const client = new MedsamWorkerClient(
    () => new Worker(new URL('../src/worker/medsamWorker.ts', import.meta.url), { type: 'module', name: 'medsam-inference' })
  );
  const intensity = ctWindowPolicy('soft-tissue');
  const started = performance.now();
  const { type: _type, requestId: _id, ...ready } = await client.init({
    modelBaseUrl: request.modelBaseUrl,
    wasmPaths: request.wasmPaths,
    backend: request.backend,
    numThreads: request.numThreads,
    embeddingCacheBytes: 64 * 1024 * 1024,
  });
  const loadMs = performance.now() - started;

  const encoderMs: number[] = [];
  const decoderMs: number[] = [];
  const boxRoundTripMs: number[] = [];
  let maskPixels = 0;
  let mask: Uint8Array = new Uint8Array(0);
  for (let run = 0; run < request.encoderRuns; run++) {
    // A new image key each run, so every run encodes.
    const result = await client.segment({
      imageKey: `bench-${run}`,
      image: { width: request.width, height: request.height, samplesPerPixel: 1, values: Float32Array.from(request.values) },
      intensity,
      box: request.box,
    });
    encoderMs.push(result.encoderMs ?? Number.NaN);
    mask = result.mask;
    maskPixels = result.mask.reduce((sum, value) => sum + value, 0);
  }
  for (let run = 0; run < request.decoderRuns; run++) {
    const shift = run % 8;
    const box = { x0: request.box.x0 + shift, y0: request.box.y0, x1: request.box.x1 + shift, y1: request.box.y1 };
    const sent = performance.now();
    const result = await client.segment({ imageKey: 'bench-0', intensity, box });
    boxRoundTripMs.push(performance.now() - sent);
    decoderMs.push(result.decoderMs);
  }
  client.terminate();
  return {
    ready,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    loadMs,
    encoderMs,
    decoderMs,
    boxRoundTripMs,
    maskPixels,
    maskBase64: bytesToBase64(mask),
    webgpuAdapter: await describeWebGpuAdapter(),
  };
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

async function describeWebGpuAdapter(): Promise<string> {
  // TypeScript's DOM library has no WebGPU types.
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo } | null> } }).gpu;
  if (!gpu) {
    return 'none (navigator.gpu is missing)';
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      return 'none (requestAdapter returned null)';
    }
    const info = adapter.info ?? {};
    const parts = [info.vendor, info.architecture, info.device, info.description].filter(part => part);
    return parts.length > 0 ? parts.join(' / ') : 'an adapter without info';
  } catch (error) {
    return `none (requestAdapter failed: ${String(error)})`;
  }
}

export interface WebParityRequest {
  modelBaseUrl: string;
  wasmPaths: string;
  numThreads: number;
  variants: ParityVariant[];
  /** Pre-processed image [1, 3, 1024, 1024] as base64 float32. */
  inputBase64: string;
  /** Box [1, 4] in 1024 space. */
  box1024: number[];
}

export interface WebParityRun {
  variant: ParityVariant;
  embeddingsBase64: string;
  logitsBase64: string;
  encoderMs: number;
  decoderMs: number;
}

export interface WebParityResult {
  runs: WebParityRun[];
  wasmThreads: number;
  crossOriginIsolated: boolean;
}

async function runWebParity(request: WebParityRequest): Promise<WebParityResult> {
  const worker = new Worker(new URL('./parityWorker.ts', import.meta.url), { type: 'module', name: 'medsam-parity' });
  try {
    const input = new Float32Array(base64ToBytes(request.inputBase64).buffer);
    const message: ParityWorkerRequest = {
      modelBaseUrl: request.modelBaseUrl,
      wasmPaths: request.wasmPaths,
      numThreads: request.numThreads,
      variants: request.variants,
      input,
      box1024: Float32Array.from(request.box1024),
    };
    const response = await new Promise<ParityWorkerResponse>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<ParityWorkerResponse>) => resolve(event.data);
      worker.onerror = event => reject(new Error(`The parity worker failed: ${event.message}`));
      worker.postMessage(message, [input.buffer]);
    });
    if (response.type === 'error') {
      throw new Error(response.message);
    }
    return {
      runs: response.runs.map(run => ({
        variant: run.variant,
        embeddingsBase64: bytesToBase64(new Uint8Array(run.embeddings.buffer)),
        logitsBase64: bytesToBase64(new Uint8Array(run.logits.buffer)),
        encoderMs: run.encoderMs,
        decoderMs: run.decoderMs,
      })),
      wasmThreads: response.wasmThreads,
      crossOriginIsolated: response.crossOriginIsolated,
    };
  } finally {
    worker.terminate();
  }
}

function bytesToBase64(bytes: Uint8Array): string {
  // String.fromCharCode takes its arguments on the stack, so go in chunks.
  const chunkSize = 0x8000;
  let binary = '';
  for (let start = 0; start < bytes.length; start += chunkSize) {
    binary += String.fromCharCode(...bytes.subarray(start, start + chunkSize));
  }
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/**
 * Times `preprocessForMedsam` in a dedicated worker on a 512x512 CT slice
 * (soft-tissue window) and a 2560x3328 mammogram (slice percentiles).
 */
async function runPreprocessBench(request: { ctRuns: number; mammogramRuns: number }): Promise<PreprocessBenchTiming[]> {
  const ct = syntheticCt(512, 512);
  const mammogram = syntheticMammogram(2560, 3328);
  const cases: PreprocessBenchCase[] = [
    // Float32 HU, as the extension sends slices to the inference worker.
    {
      name: 'CT 512x512 soft tissue',
      image: { ...ct, values: Float32Array.from(ct.values) },
      policy: ctWindowPolicy('soft-tissue'),
      runs: request.ctRuns,
    },
    {
      name: 'MG 2560x3328 slice percentiles',
      image: mammogram,
      policy: computePercentilePolicy(mammogram.values, 'slice'),
      runs: request.mammogramRuns,
    },
  ];
  const worker = new Worker(new URL('./preprocessWorker.ts', import.meta.url), { type: 'module', name: 'medsam-preprocess-bench' });
  try {
    return await new Promise<PreprocessBenchTiming[]>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<PreprocessWorkerResponse>) =>
        event.data.type === 'done' ? resolve(event.data.timings) : reject(new Error(event.data.message));
      worker.onerror = event => reject(new Error(`The pre-processing worker failed: ${event.message}`));
      worker.postMessage(cases);
    });
  } finally {
    worker.terminate();
  }
}

const page = globalThis as unknown as {
  medsamWorkerBench: typeof runWorkerBench;
  medsamWebParity: typeof runWebParity;
  medsamPreprocessBench: typeof runPreprocessBench;
};
page.medsamWorkerBench = runWorkerBench;
page.medsamWebParity = runWebParity;
page.medsamPreprocessBench = runPreprocessBench;
