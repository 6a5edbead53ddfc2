/// <reference lib="webworker" />
/**
 * Diagnostic worker for the web parity test and the benchmark: runs the
 * encoder and decoder on a given pre-processed input and sends back the raw
 * embeddings and logits, which the production worker never returns.
 *
 * A variant without session options loads the fp32 model through the
 * production `loadEngine`, so it has the same manifest checks, WASM settings
 * and session options as the viewer. Every other variant (fp16, int8, or
 * changed session options) builds its sessions here.
 */
import * as ort from 'onnxruntime-web';

import { fetchModelFile } from '../src/inference/fetchModelFile';
import { MedsamEngine } from '../src/inference/MedsamEngine';
import type { ModelManifest, ModelPrecision } from '../src/model/ModelManifest';
import { parseModelManifest } from '../src/model/parseModelManifest';
import { loadEngine } from '../src/worker/loadEngine';

declare const self: DedicatedWorkerGlobalScope;

type SessionOptions = ort.InferenceSession.SessionOptions;

/** One encoder file and session configuration to run. */
export interface ParityVariant {
  precision: ModelPrecision;
  /** Added to the production WASM session options of the encoder; omit for the production path. */
  encoderSessionOptions?: SessionOptions;
}

export interface ParityWorkerRequest {
  modelBaseUrl: string;
  wasmPaths: string;
  numThreads: number;
  variants: ParityVariant[];
  /** Pre-processed image [1, 3, 1024, 1024] in [0, 1]. */
  input: Float32Array;
  /** Box [1, 4] in 1024 space. */
  box1024: Float32Array;
}

export interface ParityRun {
  variant: ParityVariant;
  /** [1, 256, 64, 64] */
  embeddings: Float32Array;
  /** [1, 1, 256, 256] */
  logits: Float32Array;
  encoderMs: number;
  decoderMs: number;
}

export type ParityWorkerResponse =
  | { type: 'result'; runs: ParityRun[]; wasmThreads: number; crossOriginIsolated: boolean }
  | { type: 'error'; message: string };

// The WASM session options of src/worker/loadEngine.ts; keep the two in step.
const WASM_SESSION_OPTIONS: SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };

function isProductionPath(variant: ParityVariant): boolean {
  return variant.precision === 'fp32' && variant.encoderSessionOptions === undefined;
}

async function runOnce(engine: MedsamEngine, variant: ParityVariant, request: ParityWorkerRequest): Promise<ParityRun> {
  const encodeStarted = performance.now();
  const embeddings = await engine.encode(request.input);
  const decodeStarted = performance.now();
  const logits = await engine.decode(embeddings, request.box1024);
  const finished = performance.now();
  // Copies, so that each array owns a whole ArrayBuffer that can be transferred.
  return {
    variant,
    embeddings: embeddings.slice(),
    logits: logits.slice(),
    encoderMs: decodeStarted - encodeStarted,
    decoderMs: finished - decodeStarted,
  };
}

async function runProductionPath(variant: ParityVariant, request: ParityWorkerRequest): Promise<ParityRun> {
  const loaded = await loadEngine(
    {
      type: 'init',
      requestId: 0,
      modelBaseUrl: request.modelBaseUrl,
      wasmPaths: request.wasmPaths,
      backend: 'wasm',
      numThreads: request.numThreads,
      embeddingCacheBytes: 0,
    },
    () => {}
  );
  try {
    return await runOnce(loaded.engine, variant, request);
  } finally {
    await loaded.engine.release();
  }
}

async function runVariant(manifest: ModelManifest, variant: ParityVariant, request: ParityWorkerRequest): Promise<ParityRun> {
  const entry = manifest.encoders.find(candidate => candidate.precision === variant.precision);
  if (!entry) {
    const listed = manifest.encoders.map(candidate => candidate.precision).join(', ');
    throw new Error(`The manifest at ${request.modelBaseUrl} lists no ${variant.precision} encoder; it lists ${listed}.`);
  }
  const [encoder, decoder] = await Promise.all([
    fetchModelFile(request.modelBaseUrl, entry),
    fetchModelFile(request.modelBaseUrl, manifest.decoder),
  ]);
  const engine = await MedsamEngine.create({
    ort,
    encoderBytes: encoder.bytes,
    decoderBytes: decoder.bytes,
    encoderSessionOptions: { ...WASM_SESSION_OPTIONS, ...variant.encoderSessionOptions },
    decoderSessionOptions: WASM_SESSION_OPTIONS,
  });
  try {
    return await runOnce(engine, variant, request);
  } finally {
    await engine.release();
  }
}

async function fetchManifest(modelBaseUrl: string): Promise<ModelManifest> {
  const url = new URL('manifest.json', modelBaseUrl).href;
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) {
    throw new Error(`Fetching ${url} failed with HTTP ${response.status}.`);
  }
  return parseModelManifest(await response.json(), url);
}

async function runParity(request: ParityWorkerRequest): Promise<ParityWorkerResponse> {
  // The same thread rule as loadEngine: threads need cross-origin isolation.
  const wasmThreads = globalThis.crossOriginIsolated ? Math.max(1, Math.floor(request.numThreads)) : 1;
  ort.env.wasm.wasmPaths = request.wasmPaths;
  ort.env.wasm.numThreads = wasmThreads;
  const manifest = await fetchManifest(request.modelBaseUrl);

  // Variants run one after another, so only one model is in memory at a time.
  const runs: ParityRun[] = [];
  for (const variant of request.variants) {
    runs.push(isProductionPath(variant) ? await runProductionPath(variant, request) : await runVariant(manifest, variant, request));
  }
  return { type: 'result', runs, wasmThreads, crossOriginIsolated: globalThis.crossOriginIsolated };
}

self.onmessage = (event: MessageEvent<ParityWorkerRequest>) => {
  runParity(event.data).then(
    response => {
      const transfer = response.type === 'result' ? response.runs.flatMap(run => [run.embeddings.buffer, run.logits.buffer]) : [];
      self.postMessage(response, transfer);
    },
    (error: unknown) => {
      self.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies ParityWorkerResponse);
    }
  );
};
