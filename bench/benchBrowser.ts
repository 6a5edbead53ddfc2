/**
 * The browser half of the model benchmark: launches headless Chromium on
 * dist/medsam/bench.html and times the real inference worker, or the
 * diagnostic parity worker for WASM session option variants.
 */
import { chromium, type Browser } from 'playwright-core';

import { CHROMIUM_ARGS } from '../tests/helpers/launchBrowser';
import { summarize, type BenchRow } from './benchStats';
import type { ParityVariant } from './parityWorker';
import type { PreprocessBenchTiming } from './preprocessWorker';
import type { WebParityResult, WorkerBenchRequest, WorkerBenchResult } from './workerBenchPage';

/**
 * Flags for a machine with a GPU and a Vulkan driver: the CPU flags without
 * `--disable-gpu`, plus switches that select Vulkan for ANGLE and for
 * Chromium's GPU process, so that headless Chromium can offer the GPU as a
 * WebGPU adapter.
 * NOTE: not yet run on a machine with a GPU; the printed adapter shows
 * whether Chromium picked the GPU or fell back to SwiftShader.
 */
export const GPU_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS.filter(flag => flag !== '--disable-gpu'),
  '--enable-features=Vulkan',
  '--use-angle=vulkan',
  '--use-vulkan',
  '--disable-vulkan-surface',
  '--ignore-gpu-blocklist',
];

export interface BrowserOptions {
  executablePath: string;
  args: string[];
  baseUrl: string;
  modelName: string;
}

async function withBenchPage<T>(options: BrowserOptions, action: (browser: Browser, page: import('playwright-core').Page) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: options.executablePath, args: options.args });
  try {
    const page = await browser.newPage();
    await page.goto(`${options.baseUrl}/medsam/bench.html`);
    await page.waitForFunction(() => 'medsamWorkerBench' in globalThis && 'medsamWebParity' in globalThis);
    return await action(browser, page);
  } finally {
    await browser.close();
  }
}

export interface WorkerBenchOutcome {
  row: BenchRow;
  webgpuAdapter: string;
  chromiumVersion: string;
}

/** Times the production worker (MedsamWorkerClient and src/worker/medsamWorker.ts) in a fresh browser. */
export function benchWorker(
  options: BrowserOptions,
  request: Omit<WorkerBenchRequest, 'modelBaseUrl' | 'wasmPaths'>
): Promise<WorkerBenchOutcome> {
  return withBenchPage(options, async (browser, page) => {
    const result = (await page.evaluate(
      async args => (globalThis as unknown as { medsamWorkerBench: (r: unknown) => Promise<unknown> }).medsamWorkerBench(args),
      { ...request, modelBaseUrl: `${options.baseUrl}/medsam/models/${options.modelName}/`, wasmPaths: `${options.baseUrl}/medsam/ort/` }
    )) as WorkerBenchResult;
    const notes = [
      result.crossOriginIsolated ? '' : 'not cross-origin isolated',
      result.ready.fallbackReason ? `fallback: ${result.ready.fallbackReason}` : '',
      result.ready.backend === 'webgpu' ? `adapter: ${result.webgpuAdapter}` : '',
      `load ${(result.loadMs / 1000).toFixed(1)} s`,
      `moved box round trip p50 ${summarize(result.boxRoundTripMs).median.toFixed(1)} / p95 ${summarize(result.boxRoundTripMs).p95.toFixed(1)} ms`,
      `embedding cache ${result.ready.embeddingStorage}`,
    ].filter(Boolean);
    return {
      row: {
        where: 'Chromium worker',
        backend: result.ready.backend,
        threads: result.ready.backend === 'wasm' ? result.ready.wasmThreads : 0,
        precision: result.ready.encoderPrecision,
        encoderMs: result.encoderMs,
        decoderMs: result.decoderMs,
        note: notes.join('; '),
      },
      webgpuAdapter: result.webgpuAdapter,
      chromiumVersion: browser.version(),
    };
  });
}

export interface LabelledVariant {
  label: string;
  variant: ParityVariant;
}

export interface VariantOutcome {
  label: string;
  encoderMs: number;
  decoderMs: number;
  /** Logits of the run, for Dice against the production variant. */
  logits: Float32Array;
}

/** Runs each variant once in bench/parityWorker.ts on an already pre-processed input. */
export function benchWasmVariants(
  options: BrowserOptions,
  variants: LabelledVariant[],
  input: Float32Array,
  box1024: Float32Array,
  numThreads: number
): Promise<{ outcomes: VariantOutcome[]; wasmThreads: number }> {
  return withBenchPage(options, async (_browser, page) => {
    const result = (await page.evaluate(
      async args => (globalThis as unknown as { medsamWebParity: (r: unknown) => Promise<unknown> }).medsamWebParity(args),
      {
        modelBaseUrl: `${options.baseUrl}/medsam/models/${options.modelName}/`,
        wasmPaths: `${options.baseUrl}/medsam/ort/`,
        numThreads,
        variants: variants.map(entry => entry.variant),
        inputBase64: Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64'),
        box1024: Array.from(box1024),
      }
    )) as WebParityResult;
    const outcomes = result.runs.map((run, index) => {
      const bytes = Buffer.from(run.logitsBase64, 'base64');
      return {
        label: variants[index]?.label ?? `variant ${index}`,
        encoderMs: run.encoderMs,
        decoderMs: run.decoderMs,
        logits: new Float32Array(Uint8Array.from(bytes).buffer),
      };
    });
    return { outcomes, wasmThreads: result.wasmThreads };
  });
}

/** Times `preprocessForMedsam` in a worker of bench.html; returns the samples per case and the browser version. */
export function benchPreprocessInWorker(
  options: Omit<BrowserOptions, 'modelName'>,
  request: { ctRuns: number; mammogramRuns: number }
): Promise<{ timings: PreprocessBenchTiming[]; chromiumVersion: string }> {
  return withBenchPage({ ...options, modelName: '' }, async (browser, page) => {
    const timings = await page.evaluate(
      body => (globalThis as unknown as { medsamPreprocessBench(r: typeof body): Promise<PreprocessBenchTiming[]> }).medsamPreprocessBench(body),
      request
    );
    return { timings, chromiumVersion: browser.version() };
  });
}
