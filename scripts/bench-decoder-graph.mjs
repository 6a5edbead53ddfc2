#!/usr/bin/env node
// Entry point of `npm run bench:decoder-graph`: times the literal and the
// factored MedSAM decoder, and the element-wise kernels the decoder spends
// its time in, in onnxruntime-web's WebAssembly backend under Node.
//
// models/write_decoder_bench_graphs.py writes the graphs into a temporary
// folder (with /usr/bin/python3, or MEDSAM_PYTHON). Every graph then runs
// --runs times (default 20) after 3 warm-up runs, with each thread count of
// --threads (default 1,2), on inputs of uniform random values in [-1, 1) and
// a box inside the image.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from './bootstrap.mjs';
import { createLogger } from './lib/log.mjs';
import { runCommand } from './lib/runCommand.mjs';

const log = createLogger('medsam.bench');
const require = createRequire(import.meta.url);
const BOX_1024 = [100, 150, 600, 700];
const WARMUP_RUNS = 3;

function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '20' },
      threads: { type: 'string', default: '1,2' },
      // Internal: a child process times the graphs in this folder with one thread count.
      'graph-dir': { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const threads = values.threads.split(',').map(Number);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`Invalid --runs ${values.runs}: expected a positive integer.`);
  }
  if (threads.some(count => !Number.isInteger(count) || count < 1)) {
    throw new RangeError(`Invalid --threads ${values.threads}: expected positive integers separated by commas, e.g. 1,2.`);
  }
  return { runs, threads, graphDir: values['graph-dir'] };
}

function randomFeeds(ort, inputs) {
  const feeds = {};
  for (const { name, shape } of inputs) {
    const size = shape.reduce((product, length) => product * length, 1);
    const data = name === 'boxes' ? Float32Array.from(BOX_1024) : Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
    feeds[name] = new ort.Tensor('float32', data, shape);
  }
  return feeds;
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** Times one graph on a fresh session and returns the sorted run times in ms. */
async function timeGraph(ort, bytes, inputs, runs) {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  try {
    const feeds = randomFeeds(ort, inputs);
    for (let run = 0; run < WARMUP_RUNS; run++) {
      await session.run(feeds);
    }
    const times = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await session.run(feeds);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await session.release();
  }
}

/** Prints one table row per graph of `graphDir`, run with `threads` WebAssembly threads. */
async function timeGraphs(graphDir, threads, runs) {
  const listing = JSON.parse(await readFile(path.join(graphDir, 'graphs.json'), 'utf8'));
  const ort = require('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  for (const [file, inputs] of Object.entries(listing)) {
    const times = await timeGraph(ort, await readFile(path.join(graphDir, file)), inputs, runs);
    const [median, p95, min] = [percentile(times, 0.5), percentile(times, 0.95), times[0]].map(value => value.toFixed(1));
    process.stdout.write(`| ${file} | ${threads} | ${median} | ${p95} | ${min} |\n`);
  }
}

async function main(argv) {
  const { runs, threads, graphDir: givenGraphDir } = readOptions(argv);
  if (givenGraphDir) {
    await timeGraphs(givenGraphDir, threads[0], runs);
    return;
  }

  const graphDir = await mkdtemp(path.join(os.tmpdir(), 'medsam-decoder-graphs-'));
  try {
    const python = process.env.MEDSAM_PYTHON || '/usr/bin/python3';
    log.info(`writing the graphs with ${python} models/write_decoder_bench_graphs.py`);
    await runCommand(python, ['write_decoder_bench_graphs.py', '--out', graphDir], {
      cwd: path.join(REPO_ROOT, 'models'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const packageFile = path.join(REPO_ROOT, 'node_modules', 'onnxruntime-web', 'package.json');
    const { version } = JSON.parse(await readFile(packageFile, 'utf8'));
    const cpus = os.cpus();
    process.stdout.write(
      `onnxruntime-web ${version} (WebAssembly) under Node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model}), ` +
        `load average ${os.loadavg().map(value => value.toFixed(2)).join(' ')}, ${runs} runs after ${WARMUP_RUNS} warm-up runs\n\n`,
    );
    process.stdout.write('| graph | threads | median (ms) | p95 (ms) | min (ms) |\n|---|---|---|---|---|\n');
    // The thread count is fixed once the WebAssembly module has loaded, so each count runs in a process of its own.
    for (const count of threads) {
      await runCommand(process.execPath, [process.argv[1], '--runs', String(runs), '--threads', String(count), '--graph-dir', graphDir]);
    }
  } finally {
    await rm(graphDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  error => {
    log.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
