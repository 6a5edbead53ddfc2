/**
 * Times the MedSAM encoder and decoder in the browser worker (WASM with 1
 * and 2 threads, WebGPU where Chromium has an adapter) and in
 * onnxruntime-node at the same thread counts, on one real CT slice.
 *
 *   npm run bench:worker -- --model-dir build/models/vit-b [--runs 3] [--decoder-runs 20]
 *
 * Prints a table and writes the figures as JSON to build/bench/worker.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ortNode from 'onnxruntime-node';
import { chromium } from 'playwright-core';

import { MedsamEngine, type OrtModule } from '../src/inference/MedsamEngine';
import { parseModelManifest, selectEncoder } from '../src/model/parseModelManifest';
import { applyModalityRescale, boxToModelSpace, ctWindowPolicy, preprocessForMedsam } from '../src/preprocess';
import { CHROMIUM_ARGS } from '../tests/helpers/launchBrowser';
import { readDicomPixels } from '../tests/helpers/readDicomPixels';
import type { WorkerBenchRequest, WorkerBenchResult } from './workerBenchPage';

const REPO_ROOT = path.resolve(__dirname, '..');
// The liver lesion box of MedSAM's demo, scaled to this slice's region of the liver.
const BOX = { x0: 96, y0: 180, x1: 260, y1: 330 };

interface Row {
  where: string;
  backend: string;
  threads: number;
  precision: string;
  encoderMs: number[];
  decoderMs: number[];
  note: string;
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

async function loadSlice(dataDir: string) {
  const pixels = await readDicomPixels(path.join(dataDir, 'ct-liver-3slice-dcmqi/image/01.dcm'));
  return applyModalityRescale(
    { width: pixels.width, height: pixels.height, samplesPerPixel: 1, storedValues: pixels.storedValues },
    pixels.rescale
  );
}

async function benchNode(modelDir: string, image: Awaited<ReturnType<typeof loadSlice>>, threads: number, runs: number, decoderRuns: number): Promise<Row> {
  const manifest = parseModelManifest(JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')), modelDir);
  const encoderEntry = selectEncoder(manifest, 'wasm');
  const options = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
  const engine = await MedsamEngine.create({
    ort: ortNode as unknown as OrtModule,
    encoderBytes: readFileSync(path.join(modelDir, encoderEntry.path)),
    decoderBytes: readFileSync(path.join(modelDir, manifest.decoder.path)),
    encoderSessionOptions: options,
    decoderSessionOptions: options,
  });
  const input = preprocessForMedsam(image, ctWindowPolicy('soft-tissue'));
  const box1024 = boxToModelSpace(BOX, input.transform);
  const encoderMs: number[] = [];
  let embeddings: Float32Array = new Float32Array(0);
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    embeddings = await engine.encode(input.data);
    encoderMs.push(performance.now() - started);
  }
  const decoderMs: number[] = [];
  for (let run = 0; run < decoderRuns; run++) {
    const started = performance.now();
    await engine.decode(embeddings, box1024);
    decoderMs.push(performance.now() - started);
  }
  await engine.release();
  return { where: 'onnxruntime-node', backend: 'cpu', threads, precision: encoderEntry.precision, encoderMs, decoderMs, note: '' };
}

async function benchWorker(baseUrl: string, modelName: string, request: Omit<WorkerBenchRequest, 'modelBaseUrl' | 'wasmPaths'>): Promise<Row> {
  const browser = await chromium.launch({ executablePath: process.env.MEDSAM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/medsam/bench.html`);
    await page.waitForFunction(() => 'medsamWorkerBench' in globalThis);
    const result = (await page.evaluate(
      async args => (globalThis as unknown as { medsamWorkerBench: (r: unknown) => Promise<unknown> }).medsamWorkerBench(args),
      { ...request, modelBaseUrl: `${baseUrl}/medsam/models/${modelName}/`, wasmPaths: `${baseUrl}/medsam/ort/` }
    )) as WorkerBenchResult;
    const notes = [
      result.crossOriginIsolated ? '' : 'not cross-origin isolated',
      result.ready.fallbackReason ? `fallback: ${result.ready.fallbackReason}` : '',
    ].filter(Boolean);
    return {
      where: 'Chromium worker',
      backend: result.ready.backend,
      threads: result.ready.backend === 'wasm' ? result.ready.wasmThreads : 0,
      precision: result.ready.encoderPrecision,
      encoderMs: result.encoderMs,
      decoderMs: result.decoderMs,
      note: notes.join('; '),
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      'model-dir': { type: 'string' },
      runs: { type: 'string', default: '3' },
      'decoder-runs': { type: 'string', default: '20' },
      'skip-webgpu': { type: 'boolean', default: false },
    },
  });
  if (!values['model-dir']) {
    throw new Error('Missing --model-dir: the folder that model:import wrote (manifest.json and the ONNX files).');
  }
  const modelDir = path.resolve(values['model-dir']);
  const runs = Number(values.runs);
  const decoderRuns = Number(values['decoder-runs']);
  const dataDir = path.resolve(process.env.MEDSAM_DATA_DIR ?? path.join(REPO_ROOT, '../shared/data'));
  const image = await loadSlice(dataDir);

  // The viewer server: same headers and paths as in production.
  const { startViewerServer } = await import(path.join(REPO_ROOT, 'scripts/serve.mjs'));
  const { ensureOhifViewer } = await import(path.join(REPO_ROOT, 'scripts/ohif-viewer.mjs'));
  const server = await startViewerServer({
    ohifDir: await ensureOhifViewer(),
    modelDirs: { bench: modelDir },
    dicomweb: { url: 'http://127.0.0.1:9/dicom-web' },
    port: 0,
  });

  const rows: Row[] = [];
  try {
    const base = { width: image.width, height: image.height, values: Array.from(image.values), box: BOX, encoderRuns: runs, decoderRuns };
    for (const threads of [1, 2]) {
      rows.push(await benchNode(modelDir, image, threads, runs, decoderRuns));
      rows.push(await benchWorker(server.url, 'bench', { ...base, backend: 'wasm', numThreads: threads }));
    }
    if (!values['skip-webgpu']) {
      rows.push(await benchWorker(server.url, 'bench', { ...base, backend: 'auto', numThreads: 2 }));
    }
  } finally {
    await server.close();
  }

  const manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as { name: string };
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  process.stdout.write(`Model: ${manifest.name}\nMachine: ${machine}\n\n`);
  process.stdout.write('| where | backend | threads | encoder | encoder median / min / max (ms) | decoder median / min / max (ms) | note |\n');
  process.stdout.write('|---|---|---|---|---|---|---|\n');
  for (const row of rows) {
    const e = stats(row.encoderMs);
    const d = stats(row.decoderMs);
    process.stdout.write(
      `| ${row.where} | ${row.backend} | ${row.threads || '-'} | ${row.precision} | ${e.median.toFixed(0)} / ${e.min.toFixed(0)} / ${e.max.toFixed(0)} | ` +
        `${d.median.toFixed(1)} / ${d.min.toFixed(1)} / ${d.max.toFixed(1)} | ${row.note} |\n`
    );
  }
  const nodeBy = new Map(rows.filter(r => r.where === 'onnxruntime-node').map(r => [r.threads, stats(r.encoderMs).median]));
  for (const row of rows.filter(r => r.where !== 'onnxruntime-node' && r.backend === 'wasm')) {
    const ratio = stats(row.encoderMs).median / (nodeBy.get(row.threads) ?? Number.NaN);
    process.stdout.write(`\nWASM ${row.threads} thread(s) encoder / onnxruntime-node: ${ratio.toFixed(2)}x`);
  }
  process.stdout.write('\n');
  const outDir = path.join(REPO_ROOT, 'build/bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'worker.json'), JSON.stringify({ model: manifest.name, machine, rows }, null, 2));
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
