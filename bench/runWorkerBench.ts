/**
 * Times the MedSAM encoder and decoder on one real CT slice in four places:
 * the browser worker on WASM with 1 and 2 threads, the worker on WebGPU
 * where Chromium has an adapter, onnxruntime-node and PyTorch at the same
 * thread counts. Prints the ratios against the targets.
 *
 *   npm run bench:model -- --model-dir build/models/vit-b
 *
 * Options: --runs N (encoder runs per row, default 3), --decoder-runs N
 * (default 20), --threads 1,2, --webgpu (add a WebGPU row also on a software
 * adapter such as SwiftShader, where one encoder run can take minutes),
 * --skip-webgpu, --gpu (launch Chromium with the Vulkan flags of
 * GPU_CHROMIUM_ARGS, for a machine with a GPU), --chromium-arg FLAG
 * (repeatable), --skip-pytorch, --wasm-variants (also time WASM session
 * option variants and the int8 encoder once each). Every run is timed, the
 * first one included.
 *
 * Prints Markdown tables and writes the figures as JSON to
 * build/bench/model.json. MEDSAM_BUNDLE_DIR serves bundles from another
 * folder than dist/medsam, MEDSAM_DATA_DIR names the data folder and
 * MEDSAM_PYTHON the Python with torch (default /usr/bin/python3).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import type { ModelManifest } from '../src/model/ModelManifest';
import { applyModalityRescale, boxToModelSpace, ctWindowPolicy, preprocessForMedsam } from '../src/preprocess';
import { CHROMIUM_ARGS } from '../tests/helpers/launchBrowser';
import { readDicomPixels } from '../tests/helpers/readDicomPixels';
import { benchWasmVariants, benchWorker, GPU_CHROMIUM_ARGS, type BrowserOptions, type LabelledVariant } from './benchBrowser';
import { benchNode } from './benchNode';
import { benchPytorch } from './benchPytorch';
import { computeRatios, formatTable, summarize, type BenchRow } from './benchStats';

const REPO_ROOT = path.resolve(__dirname, '..');
const SLICE = 'ct-liver-3slice-dcmqi/image/01.dcm';
// The liver's bounding box on that slice, in its 512x512 pixels: the box of
// the parity checks (models/medsam/reference.py).
const BOX = { x0: 81, y0: 147, x1: 348, y1: 364 };
const ENCODER_RATIO_TARGET = 1.5;
const DECODER_TARGET_MS = 50;
const PYTORCH_TIMEOUT_MS = 20 * 60 * 1000;

// Candidate WASM settings, each timed once at the highest thread count. The
// production row comes first and last, because the first run in a fresh
// worker also pays for warm-up. The encoder's input shape is fixed, so
// freeDimensionOverrides has nothing to override, and
// preferredOutputLocation only matters on WebGPU.
const WASM_VARIANTS: LabelledVariant[] = [
  { label: 'fp32, production options', variant: { precision: 'fp32' } },
  { label: 'int8, production options', variant: { precision: 'int8' } },
  { label: 'fp32, executionMode parallel', variant: { precision: 'fp32', encoderSessionOptions: { executionMode: 'parallel' } } },
  { label: 'fp32, graphOptimizationLevel extended', variant: { precision: 'fp32', encoderSessionOptions: { graphOptimizationLevel: 'extended' } } },
  { label: 'fp32, no memory pattern', variant: { precision: 'fp32', encoderSessionOptions: { enableMemPattern: false } } },
  { label: 'fp32, production options, again', variant: { precision: 'fp32' } },
];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'model-dir': { type: 'string' },
      runs: { type: 'string', default: '3' },
      'decoder-runs': { type: 'string', default: '20' },
      threads: { type: 'string', default: '1,2' },
      webgpu: { type: 'boolean', default: false },
      'skip-webgpu': { type: 'boolean', default: false },
      gpu: { type: 'boolean', default: false },
      'chromium-arg': { type: 'string', multiple: true, default: [] },
      'skip-pytorch': { type: 'boolean', default: false },
      'wasm-variants': { type: 'boolean', default: false },
    },
  });
  if (!values['model-dir']) {
    throw new Error('Missing --model-dir: the folder that model:import wrote (manifest.json and the ONNX files).');
  }
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`Invalid --${name} ${JSON.stringify(text)}: expected a positive integer.`);
    }
    return value;
  };
  return {
    modelDir: path.resolve(values['model-dir']),
    runs: positive('runs', values.runs),
    decoderRuns: positive('decoder-runs', values['decoder-runs']),
    threadCounts: values.threads.split(',').map(text => positive('threads', text.trim())),
    forceWebgpu: values.webgpu || values.gpu,
    skipWebgpu: values['skip-webgpu'],
    chromiumArgs: [...(values.gpu ? GPU_CHROMIUM_ARGS : CHROMIUM_ARGS), ...(values['chromium-arg'] ?? [])],
    gpu: values.gpu,
    skipPytorch: values['skip-pytorch'],
    wasmVariants: values['wasm-variants'],
  };
}

async function loadSlice(dicomPath: string) {
  const pixels = await readDicomPixels(dicomPath);
  return applyModalityRescale(
    { width: pixels.width, height: pixels.height, samplesPerPixel: 1, storedValues: pixels.storedValues },
    pixels.rescale
  );
}

/** Returns the time_pytorch.py arguments that rebuild the manifest's weights, or null when they cannot be rebuilt. */
function pytorchWeightArgs(manifest: ModelManifest): string[] | null {
  const config = manifest.version.startsWith('tiny-') ? 'tiny' : 'vit_b';
  if (manifest.source.randomWeightsSeed !== null) {
    return ['--random-weights', String(manifest.source.randomWeightsSeed), '--config', config];
  }
  return manifest.source.checkpoint ? ['--checkpoint', manifest.source.checkpoint, '--config', config] : null;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function cpuModel(): string {
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

function diceOfLogits(a: Float32Array, b: Float32Array): number {
  let both = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = (a[i] as number) > 0;
    const inB = (b[i] as number) > 0;
    both += inA && inB ? 1 : 0;
    total += (inA ? 1 : 0) + (inB ? 1 : 0);
  }
  return total === 0 ? 1 : (2 * both) / total;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function isSoftwareAdapter(description: string): boolean {
  return /swiftshader|llvmpipe|software/i.test(description);
}

async function main() {
  const options = parseOptions();
  const manifest = JSON.parse(readFileSync(path.join(options.modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  const dataDir = path.resolve(process.env.MEDSAM_DATA_DIR ?? path.join(REPO_ROOT, '../shared/data'));
  const dicomPath = path.join(dataDir, SLICE);
  const image = await loadSlice(dicomPath);
  const input = preprocessForMedsam(image, ctWindowPolicy('soft-tissue'));
  const box1024 = boxToModelSpace(BOX, input.transform);
  const loadBefore = os.loadavg();
  const startedAt = new Date().toISOString();

  const rows: BenchRow[] = [];
  let torchVersion = 'not run';
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);

  for (const threads of options.threadCounts) {
    log(`onnxruntime-node, ${threads} thread(s)`);
    rows.push(await benchNode(options.modelDir, input.data, box1024, threads, options.runs, options.decoderRuns));
    log(`encoder ${JSON.stringify(rows.at(-1)?.encoderMs.map(Math.round))}`);
  }

  const weightArgs = pytorchWeightArgs(manifest);
  if (!options.skipPytorch && weightArgs) {
    const python = process.env.MEDSAM_PYTHON ?? '/usr/bin/python3';
    for (const threads of options.threadCounts) {
      log(`PyTorch, ${threads} thread(s)`);
      const result = await benchPytorch({
        python,
        weightArgs,
        dicomPath,
        boxPixels: BOX,
        threads,
        runs: options.runs,
        decoderRuns: options.decoderRuns,
        timeoutMs: PYTORCH_TIMEOUT_MS,
      });
      rows.push(result.row);
      log(`encoder ${JSON.stringify(result.row.encoderMs.map(Math.round))}`);
      torchVersion = result.torchVersion;
    }
  } else if (!weightArgs) {
    log('PyTorch skipped: the manifest names neither a random-weights seed nor a checkpoint');
  }

  // The viewer server: same headers and paths as in production.
  const { startViewerServer } = await import(path.join(REPO_ROOT, 'scripts/serve.mjs'));
  const { ensureOhifViewer } = await import(path.join(REPO_ROOT, 'scripts/ohif-viewer.mjs'));
  const server = await startViewerServer({
    ohifDir: await ensureOhifViewer(),
    ...(process.env.MEDSAM_BUNDLE_DIR ? { medsamDir: path.resolve(process.env.MEDSAM_BUNDLE_DIR) } : {}),
    modelDirs: { bench: options.modelDir },
    // Nothing listens there: the benchmark page makes no DICOMweb request.
    dicomweb: { url: 'http://127.0.0.1:9/dicom-web' },
    port: 0,
  });
  const browserOptions: BrowserOptions = {
    executablePath: process.env.MEDSAM_CHROMIUM ?? '/usr/bin/chromium',
    args: options.chromiumArgs,
    baseUrl: server.url,
    modelName: 'bench',
  };

  let webgpuAdapter = 'not checked';
  let chromiumVersion = 'not run';
  const variantLines: string[] = [];
  try {
    const base = {
      width: image.width,
      height: image.height,
      values: Array.from(image.values),
      box: BOX,
      encoderRuns: options.runs,
      decoderRuns: options.decoderRuns,
    };
    for (const threads of options.threadCounts) {
      log(`Chromium worker, WASM, ${threads} thread(s)`);
      try {
        const outcome = await benchWorker(browserOptions, { ...base, backend: 'wasm', numThreads: threads });
        rows.push(outcome.row);
        webgpuAdapter = outcome.webgpuAdapter;
        chromiumVersion = outcome.chromiumVersion;
      } catch (error) {
        // A failed row is reported in the table, so the rows already measured are kept.
        log(`Chromium worker, WASM, ${threads} thread(s) failed: ${firstLine(error)}`);
        rows.push({ where: 'Chromium worker', backend: 'wasm', threads, precision: '-', encoderMs: [], decoderMs: [], note: `failed: ${firstLine(error)}` });
      }
    }

    const hasAdapter = !webgpuAdapter.startsWith('none');
    const runWebgpu = !options.skipWebgpu && hasAdapter && (options.forceWebgpu || !isSoftwareAdapter(webgpuAdapter));
    if (runWebgpu) {
      log(`Chromium worker, WebGPU (${webgpuAdapter})`);
      try {
        rows.push((await benchWorker(browserOptions, { ...base, backend: 'webgpu', numThreads: Math.max(...options.threadCounts) })).row);
      } catch (error) {
        rows.push({ where: 'Chromium worker', backend: 'webgpu', threads: 0, precision: '-', encoderMs: [], decoderMs: [], note: `failed: ${firstLine(error)}` });
      }
    } else if (options.gpu && !hasAdapter) {
      rows.push({ where: 'Chromium worker', backend: 'webgpu', threads: 0, precision: '-', encoderMs: [], decoderMs: [], note: `no adapter: ${webgpuAdapter}` });
    } else {
      log(`WebGPU row skipped (adapter: ${webgpuAdapter}; pass --webgpu to run it on a software adapter)`);
    }

    if (options.wasmVariants) {
      const threads = Math.max(...options.threadCounts);
      const available = WASM_VARIANTS.filter(entry => manifest.encoders.some(encoder => encoder.precision === entry.variant.precision));
      log(`WASM variants, ${threads} thread(s): ${available.map(entry => entry.label).join('; ')}`);
      try {
        const { outcomes, wasmThreads } = await benchWasmVariants(browserOptions, available, input.data, box1024, threads);
        const production = outcomes[0];
        variantLines.push(`| variant (${wasmThreads} WASM threads, one run each) | encoder (ms) | decoder (ms) | Dice vs first row |`, '|---|---|---|---|');
        for (const outcome of outcomes) {
          const agreement = production ? diceOfLogits(outcome.logits, production.logits).toFixed(5) : '-';
          variantLines.push(`| ${outcome.label} | ${outcome.encoderMs.toFixed(0)} | ${outcome.decoderMs.toFixed(1)} | ${agreement} |`);
        }
      } catch (error) {
        log(`WASM variants failed: ${firstLine(error)}`);
        variantLines.push(`WASM variants failed: ${firstLine(error)}`);
      }
    }
  } finally {
    await server.close();
  }

  const loadAfter = os.loadavg();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    chromium: chromiumVersion,
    chromiumArgs: options.chromiumArgs,
    onnxruntimeWeb: packageVersion('onnxruntime-web'),
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    torch: torchVersion,
    kernel: execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim(),
    webgpuAdapter,
    loadAverage1mBefore: loadBefore[0],
    loadAverage1mAfter: loadAfter[0],
  };
  const ratios = computeRatios(rows, options.threadCounts);
  const wasmDecoder = rows.filter(row => row.where === 'Chromium worker' && row.backend === 'wasm').map(row => summarize(row.decoderMs));

  const out = process.stdout;
  out.write(`Model: ${manifest.name}\nStarted: ${startedAt}\nMachine: ${JSON.stringify(machine, null, 2)}\n\n`);
  out.write(`${formatTable(rows)}\n\n`);
  out.write('| ratio of medians | value |\n|---|---|\n');
  for (const ratio of ratios) {
    out.write(`| ${ratio.label} | ${Number.isFinite(ratio.value) ? ratio.value.toFixed(2) : '-'} |\n`);
  }
  out.write('\n');
  for (const ratio of ratios.filter(candidate => candidate.label.startsWith('encoder') && candidate.label.endsWith('WASM / onnxruntime-node'))) {
    const met = ratio.value <= ENCODER_RATIO_TARGET;
    out.write(`Target WASM encoder <= ${ENCODER_RATIO_TARGET}x onnxruntime-node (${ratio.label}): ${met ? 'met' : 'not met'}, ${ratio.value.toFixed(2)}x\n`);
  }
  const slowestMedian = Math.max(...wasmDecoder.map(summary => summary.median));
  const slowestP95 = Math.max(...wasmDecoder.map(summary => summary.p95));
  out.write(
    `Target WASM decoder < ${DECODER_TARGET_MS} ms: ${slowestP95 < DECODER_TARGET_MS ? 'met' : 'not met'}, ` +
      `slowest median ${slowestMedian.toFixed(1)} ms, slowest p95 ${slowestP95.toFixed(1)} ms\n`
  );
  if (variantLines.length > 0) {
    out.write(`\n${variantLines.join('\n')}\n`);
  }

  const outDir = path.join(REPO_ROOT, 'build/bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, 'model.json'),
    `${JSON.stringify({ model: manifest.name, startedAt, machine, box: BOX, rows, ratios, variants: variantLines }, null, 2)}\n`
  );
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
