/**
 * Parity of onnxruntime-web WASM in a Chromium worker against PyTorch fp32,
 * on the pre-processed liver slice (ct-liver-3slice-dcmqi/image/01.dcm) and
 * the liver's bounding box.
 *
 * The model is build/models/tiny (seeded random weights, served at
 * /medsam/models/tiny/). PyTorch's outputs come from
 * models/reference_outputs.py with the seed and configuration named in its
 * manifest. The browser side is bench/parityWorker.ts, which loads the fp32
 * model through the production `loadEngine` and returns the raw embeddings
 * and logits. The production worker, which returns only the mask, runs on
 * the same slice's HU values with its own pre-processing.
 *
 * Figures for every precision are written to build/bench/web-parity.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ModelManifest, ModelPrecision } from '../../src/model/ModelManifest';
import { applyModalityRescale, logitsToMask, MEDSAM_INPUT_SIZE } from '../../src/preprocess';
import type { WebParityResult, WorkerBenchResult } from '../../bench/workerBenchPage';
import { diceOfLogits, foregroundFraction, maxAbsDiff, REPO_ROOT } from '../unit/model/modelFixtures';
import { assertOnlyLoopbackRequests, launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { readDicomPixels } from '../helpers/readDicomPixels';
import { getTestServices } from '../helpers/services';
import { dice } from '../helpers/dice';
import { base64ToFloat32, computePytorchReference, float32ToBase64, type PytorchReference } from './helpers/pytorchReference';

jest.setTimeout(120_000);

const MODEL_NAME = 'tiny';
const WASM_THREADS = 2;
const FP32_TOLERANCE = 1e-3;
const FP32_MIN_DICE = 0.999;
// The production worker pre-processes in TypeScript (src/preprocess) rather
// than with skimage, so its mask may differ from PyTorch's by a few boundary
// pixels on top of the runtime differences checked above.
const WORKER_MIN_DICE = 0.99;
const SETUP_TIMEOUT_MS = 110_000;

interface ParityThresholds {
  reducedPrecisionMinDiceFp32: number;
}

interface WebRun {
  precision: ModelPrecision;
  embeddings: Float32Array;
  logits: Float32Array;
  encoderMs: number;
  decoderMs: number;
}

const services = getTestServices();
const modelDir = path.join(services.modelsDir, MODEL_NAME);
let manifest: ModelManifest;
let thresholds: ParityThresholds;
let workDir = '';
let reference: PytorchReference;
let launched: LaunchedBrowser | undefined;
let parity: Omit<WebParityResult, 'runs'>;
const webRuns = new Map<ModelPrecision, WebRun>();
let workerResult: WorkerBenchResult;
let expectedWorkerMask: Uint8Array;

function webRun(precision: ModelPrecision): WebRun {
  const run = webRuns.get(precision);
  if (!run) {
    throw new Error(`No ${precision} run came back from the browser; the manifest lists ${manifest.encoders.map(e => e.precision).join(', ')}.`);
  }
  return run;
}

async function loadHounsfieldSlice() {
  const pixels = await readDicomPixels(path.join(services.dataDir, 'ct-liver-3slice-dcmqi/image/01.dcm'));
  return applyModalityRescale(
    { width: pixels.width, height: pixels.height, samplesPerPixel: 1, storedValues: pixels.storedValues },
    pixels.rescale,
  );
}

async function runInBrowser(browser: LaunchedBrowser): Promise<void> {
  const { page } = browser;
  await page.goto(`${services.viewerUrl}/medsam/bench.html`);
  await page.waitForFunction(() => 'medsamWebParity' in globalThis && 'medsamWorkerBench' in globalThis);
  const modelBaseUrl = `${services.viewerUrl}/medsam/models/${MODEL_NAME}/`;
  const wasmPaths = `${services.viewerUrl}/medsam/ort/`;

  const result = (await page.evaluate(
    async request => (globalThis as unknown as { medsamWebParity: (r: unknown) => Promise<unknown> }).medsamWebParity(request),
    {
      modelBaseUrl,
      wasmPaths,
      numThreads: WASM_THREADS,
      // fp32 first, with no options: the production loadEngine path.
      variants: manifest.encoders.map(entry => ({ precision: entry.precision })),
      inputBase64: float32ToBase64(reference.input),
      box1024: Array.from(reference.boxes),
    },
  )) as WebParityResult;
  const { runs, ...rest } = result;
  parity = rest;
  for (const run of runs) {
    webRuns.set(run.variant.precision, {
      precision: run.variant.precision,
      embeddings: base64ToFloat32(run.embeddingsBase64),
      logits: base64ToFloat32(run.logitsBase64),
      encoderMs: run.encoderMs,
      decoderMs: run.decoderMs,
    });
  }

  const image = await loadHounsfieldSlice();
  const [x0, y0, x1, y1] = reference.boxPixels;
  workerResult = (await page.evaluate(
    async request => (globalThis as unknown as { medsamWorkerBench: (r: unknown) => Promise<unknown> }).medsamWorkerBench(request),
    {
      modelBaseUrl,
      wasmPaths,
      backend: 'wasm',
      numThreads: WASM_THREADS,
      width: image.width,
      height: image.height,
      values: Array.from(image.values),
      box: { x0, y0, x1, y1 },
      encoderRuns: 1,
      decoderRuns: 1,
    },
  )) as WorkerBenchResult;
  expectedWorkerMask = logitsToMask(reference.logits, {
    imageWidth: image.width,
    imageHeight: image.height,
    inputSize: MEDSAM_INPUT_SIZE,
  });
}

function writeFigures(): void {
  const figures = [...webRuns.values()].map(run => ({
    precision: run.precision,
    embeddingsMaxAbsDiffTorch: maxAbsDiff(run.embeddings, reference.embeddings),
    logitsMaxAbsDiffTorch: maxAbsDiff(run.logits, reference.logits),
    diceTorch: diceOfLogits(run.logits, reference.logits),
    diceWebFp32: webRuns.has('fp32') ? diceOfLogits(run.logits, webRun('fp32').logits) : null,
    encoderMs: Math.round(run.encoderMs),
    decoderMs: Math.round(run.decoderMs),
  }));
  const workerDice = workerResult ? dice(Uint8Array.from(Buffer.from(workerResult.maskBase64, 'base64')), expectedWorkerMask) : null;
  const outDir = path.join(REPO_ROOT, 'build', 'bench');
  mkdirSync(outDir, { recursive: true });
  const summary = { model: manifest.name, runtime: 'onnxruntime-web WASM in a Chromium worker', ...parity, figures, productionWorkerDice: workerDice };
  writeFileSync(path.join(outDir, 'web-parity.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`web parity figures (build/bench/web-parity.json):\n${JSON.stringify(summary, null, 2)}\n`);
}

beforeAll(async () => {
  manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  thresholds = (JSON.parse(readFileSync(path.join(modelDir, 'parity.json'), 'utf8')) as { thresholds: ParityThresholds }).thresholds;
  const seed = manifest.source.randomWeightsSeed;
  if (typeof seed !== 'number' || !manifest.version.startsWith('tiny-')) {
    throw new Error(
      `${modelDir} is not a seeded tiny model (version ${manifest.version}, seed ${String(seed)}); ` +
        'export it with npm run model:import -- --random-weights 1 --config tiny --out build/models/tiny.',
    );
  }

  workDir = mkdtempSync(path.join(tmpdir(), 'medsam-web-parity-'));
  reference = await computePytorchReference({
    seed,
    config: 'tiny',
    dataDir: services.dataDir,
    outDir: workDir,
    timeoutMs: SETUP_TIMEOUT_MS,
  });

  launched = await launchBrowser({ executablePath: services.chromium });
  try {
    await runInBrowser(launched);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nBrowser console:\n${launched.consoleMessages.join('\n')}`);
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (reference && manifest) {
    writeFigures();
  }
  await launched?.close();
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

describe('web parity, fp32 WASM against PyTorch', () => {
  test('page is cross-origin isolated', () => {
    expect(parity.crossOriginIsolated).toBe(true);
  });

  test('parity worker runs two WASM threads', () => {
    expect(parity.wasmThreads).toBe(WASM_THREADS);
  });

  test('embeddings match PyTorch', () => {
    expect(maxAbsDiff(webRun('fp32').embeddings, reference.embeddings)).toBeLessThan(FP32_TOLERANCE);
  });

  test('logits match PyTorch', () => {
    expect(maxAbsDiff(webRun('fp32').logits, reference.logits)).toBeLessThan(FP32_TOLERANCE);
  });

  test('mask Dice against PyTorch', () => {
    expect(diceOfLogits(webRun('fp32').logits, reference.logits)).toBeGreaterThanOrEqual(FP32_MIN_DICE);
  });

  test('reference mask is neither empty nor full', () => {
    // Dice is only informative when both classes are present.
    const fraction = foregroundFraction(reference.logits);
    expect(fraction).toBeGreaterThan(0.05);
    expect(fraction).toBeLessThan(0.95);
  });
});

describe('web parity, reduced precision on WASM', () => {
  // The import keeps an fp16 or int8 encoder only when its mask reaches this
  // Dice against fp32 in onnxruntime-node; WASM must reach it too.
  test.each<ModelPrecision>(['fp16', 'int8'])('%s mask Dice against web fp32', precision => {
    expect(diceOfLogits(webRun(precision).logits, webRun('fp32').logits)).toBeGreaterThanOrEqual(thresholds.reducedPrecisionMinDiceFp32);
  });
});

describe('production worker on the HU slice', () => {
  test('mask matches PyTorch logits', () => {
    const mask = Uint8Array.from(Buffer.from(workerResult.maskBase64, 'base64'));
    expect(mask.length).toBe(expectedWorkerMask.length);
    expect(dice(mask, expectedWorkerMask)).toBeGreaterThanOrEqual(WORKER_MIN_DICE);
  });

  test('page made loopback requests only', () => {
    assertOnlyLoopbackRequests(launched?.requests ?? []);
  });
});
