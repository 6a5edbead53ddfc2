/**
 * The production worker on WebGPU in headless Chromium, against PyTorch.
 *
 * Headless Chromium here has only SwiftShader's software WebGPU adapter,
 * which lacks `shader-f16`. There the worker must run the fp32 encoder, say
 * why in `encoderNote`, and give PyTorch's mask. An fp16 graph on such an
 * adapter makes onnxruntime-web 1.31 log shader errors and return wrong
 * embeddings without failing. A model whose fp32 entry is an fp16 graph
 * must therefore make the worker fall back to WASM with the reason, not
 * return a wrong mask. On an adapter with `shader-f16` the same tests expect fp16 on
 * WebGPU and no fallback.
 *
 * The model is build/models/tiny; PyTorch's outputs come from
 * models/reference_outputs.py with the same seed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ModelManifest } from '../../src/model/ModelManifest';
import { applyModalityRescale, logitsToMask, MEDSAM_INPUT_SIZE } from '../../src/preprocess';
import type { BackendPreference } from '../../src/protocol/workerMessages';
import type { WorkerBenchResult } from '../../bench/workerBenchPage';
import { assertOnlyLoopbackRequests, launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { dice } from '../helpers/dice';
import { readDicomPixels } from '../helpers/readDicomPixels';
import { getTestServices } from '../helpers/services';
import { computePytorchReference, type PytorchReference } from './helpers/pytorchReference';
import { startModelServer, type ModelServer } from './helpers/startModelServer';

// The fp32 tiny encoder takes about 45 s per run on SwiftShader, and the
// worker runs it twice: the warm-up run on a blank image, then the slice.
jest.setTimeout(600_000);

const MODEL_NAME = 'tiny';
const WASM_THREADS = 2;
// The production worker pre-processes in TypeScript, so its mask may differ
// from PyTorch's by a few boundary pixels (as in webParity.test.ts).
const FP32_MIN_DICE = 0.99;
// The import's threshold for reduced-precision encoders, plus the same margin.
const FP16_MIN_DICE = 0.97;

const services = getTestServices();
const modelDir = path.join(services.modelsDir, MODEL_NAME);

interface SliceInput {
  width: number;
  height: number;
  values: number[];
}

let workDir = '';
let reference: PytorchReference;
let slice: SliceInput;
let expectedMask: Uint8Array;
let browser: LaunchedBrowser;
let shaderF16 = false;
let mislabelledServer: ModelServer;

async function loadHounsfieldSlice(): Promise<SliceInput> {
  const pixels = await readDicomPixels(path.join(services.dataDir, 'ct-liver-3slice-dcmqi/image/01.dcm'));
  const image = applyModalityRescale(
    { width: pixels.width, height: pixels.height, samplesPerPixel: 1, storedValues: pixels.storedValues },
    pixels.rescale,
  );
  return { width: image.width, height: image.height, values: Array.from(image.values) };
}

/**
 * Writes a copy of the tiny model whose only encoder entry is labelled fp32
 * but is the fp16 graph (fp32 input and output, fp16 inside), as a wrongly
 * labelled import would be.
 */
function writeMislabelledModel(targetDir: string): void {
  const manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  const fp16 = manifest.encoders.find(entry => entry.precision === 'fp16');
  if (!fp16) {
    throw new Error(`${modelDir} has no fp16 encoder; export it with npm run model:import -- --random-weights 1 --config tiny.`);
  }
  copyFileSync(path.join(modelDir, fp16.path), path.join(targetDir, fp16.path));
  copyFileSync(path.join(modelDir, manifest.decoder.path), path.join(targetDir, manifest.decoder.path));
  const mislabelled = { ...manifest, encoders: [{ ...fp16, precision: 'fp32' }] };
  writeFileSync(path.join(targetDir, 'manifest.json'), `${JSON.stringify(mislabelled, null, 1)}\n`);
}

/** Runs the production worker once on the liver slice through the bench page of `serverUrl`. */
async function runWorker(serverUrl: string, modelName: string, backend: BackendPreference): Promise<WorkerBenchResult> {
  const { page } = browser;
  await page.goto(`${serverUrl}/medsam/bench.html`);
  await page.waitForFunction(() => 'medsamWorkerBench' in globalThis);
  const [x0, y0, x1, y1] = reference.boxPixels;
  try {
    return (await page.evaluate(
      async request => (globalThis as unknown as { medsamWorkerBench: (r: unknown) => Promise<unknown> }).medsamWorkerBench(request),
      {
        modelBaseUrl: `${serverUrl}/medsam/models/${modelName}/`,
        wasmPaths: `${serverUrl}/medsam/ort/`,
        backend,
        numThreads: WASM_THREADS,
        ...slice,
        box: { x0, y0, x1, y1 },
        encoderRuns: 1,
        decoderRuns: 0,
      },
    )) as WorkerBenchResult;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nBrowser console:\n${browser.consoleMessages.slice(-40).join('\n')}`);
  }
}

function maskOf(result: WorkerBenchResult): Uint8Array {
  return Uint8Array.from(Buffer.from(result.maskBase64, 'base64'));
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'medsam-webgpu-'));
  const manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  reference = await computePytorchReference({
    seed: manifest.source.randomWeightsSeed as number,
    config: 'tiny',
    dataDir: services.dataDir,
    outDir: path.join(workDir, 'reference'),
    timeoutMs: 110_000,
  });
  slice = await loadHounsfieldSlice();
  expectedMask = logitsToMask(reference.logits, { imageWidth: slice.width, imageHeight: slice.height, inputSize: MEDSAM_INPUT_SIZE });

  const mislabelledDir = path.join(workDir, 'mislabelled');
  mkdirSync(mislabelledDir);
  writeMislabelledModel(mislabelledDir);
  mislabelledServer = await startModelServer({
    modelDirs: { mislabelled: mislabelledDir },
    modelBaseUrl: '/medsam/models/mislabelled/',
    dicomwebUrl: `${services.orthancUrl}/dicom-web`,
  });

  browser = await launchBrowser({ executablePath: services.chromium });
  await browser.page.goto(`${services.viewerUrl}/medsam/bench.html`);
  const adapter = await browser.page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu;
    const found = await gpu?.requestAdapter();
    return found ? { shaderF16: found.features.has('shader-f16') } : null;
  });
  if (!adapter) {
    throw new Error('The browser has no WebGPU adapter; launch Chromium with --enable-unsafe-webgpu (CHROMIUM_ARGS).');
  }
  shaderF16 = adapter.shaderF16;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await mislabelledServer?.close();
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

describe('production worker on WebGPU', () => {
  let result: WorkerBenchResult;

  beforeAll(async () => {
    result = await runWorker(services.viewerUrl, MODEL_NAME, 'webgpu');
  }, 500_000);

  test('runs on WebGPU', () => {
    expect(result.ready.backend).toBe('webgpu');
    expect(result.ready.fallbackReason).toBeNull();
  });

  test('picks the encoder the adapter can run', () => {
    expect(result.ready.encoderPrecision).toBe(shaderF16 ? 'fp16' : 'fp32');
  });

  test('says why fp32 runs without shader-f16', () => {
    if (shaderF16) {
      expect(result.ready.encoderNote).toBeNull();
    } else {
      expect(result.ready.encoderNote).toMatch(/lacks the shader-f16 feature, so the fp32 encoder runs/);
    }
  });

  test('mask matches PyTorch', () => {
    expect(dice(maskOf(result), expectedMask)).toBeGreaterThanOrEqual(shaderF16 ? FP16_MIN_DICE : FP32_MIN_DICE);
  });
});

describe('encoder whose shaders fail on WebGPU', () => {
  let result: WorkerBenchResult;

  beforeAll(async () => {
    result = await runWorker(mislabelledServer.url, 'mislabelled', 'auto');
  }, 300_000);

  test('falls back to WASM with the reason, or runs where shader-f16 exists', () => {
    if (shaderF16) {
      expect(result.ready.backend).toBe('webgpu');
    } else {
      expect(result.ready.backend).toBe('wasm');
      expect(result.ready.fallbackReason).toMatch(/^WebGPU session failed: The encoder's backend reported \d+ error\(s\) during the run/);
    }
  });

  test('mask matches PyTorch', () => {
    expect(dice(maskOf(result), expectedMask)).toBeGreaterThanOrEqual(FP16_MIN_DICE);
  });

  test('page made loopback requests only', () => {
    assertOnlyLoopbackRequests(browser.requests);
  });
});
