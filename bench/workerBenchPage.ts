/**
 * Benchmark page: runs the real inference worker (the same chunk the
 * extension uses) and reports the encoder and decoder times it measures
 * around `session.run`. Driven by scripts/bench-worker.mjs.
 */
import { MedsamWorkerClient } from '../extension/src/inference/MedsamWorkerClient';
import { ctWindowPolicy } from '../src/preprocess/IntensityPolicy';
import type { BackendPreference, PixelBox, ReadyResponse } from '../src/protocol/workerMessages';

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
  maskPixels: number;
}

async function runWorkerBench(request: WorkerBenchRequest): Promise<WorkerBenchResult> {
  const client = new MedsamWorkerClient(
    () => new Worker(new URL('../src/worker/medsamWorker.ts', import.meta.url), { type: 'module', name: 'medsam-bench' })
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
  let maskPixels = 0;
  for (let run = 0; run < request.encoderRuns; run++) {
    // A new image key each run, so every run encodes.
    const result = await client.segment({
      imageKey: `bench-${run}`,
      image: { width: request.width, height: request.height, samplesPerPixel: 1, values: Float32Array.from(request.values) },
      intensity,
      box: request.box,
    });
    encoderMs.push(result.encoderMs ?? Number.NaN);
    maskPixels = result.mask.reduce((sum, value) => sum + value, 0);
  }
  for (let run = 0; run < request.decoderRuns; run++) {
    const shift = run % 8;
    const box = { x0: request.box.x0 + shift, y0: request.box.y0, x1: request.box.x1 + shift, y1: request.box.y1 };
    const result = await client.segment({ imageKey: 'bench-0', intensity, box });
    decoderMs.push(result.decoderMs);
  }
  client.terminate();
  return { ready, crossOriginIsolated: globalThis.crossOriginIsolated, loadMs, encoderMs, decoderMs, maskPixels };
}

(globalThis as unknown as { medsamWorkerBench: typeof runWorkerBench }).medsamWorkerBench = runWorkerBench;
