/**
 * Benchmarks MedSAM pre-processing: one 512x512 CT slice and one
 * mammogram-sized 2560x3328 synthetic frame. Prints the median and the
 * minimum of N runs per stage after one warm-up run, and the load average,
 * because other processes on a shared machine inflate the median.
 * With `--worker`, the same function is also timed in a dedicated worker
 * of headless Chromium on dist/medsam/bench.html (build it first with
 * `npm run build`). `--samples` also prints every worker run's time in
 * order, which shows periodic stalls such as garbage collections.
 * Run with `node scripts/bench-preprocess.cjs [--runs N] [--worker] [--samples]`.
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { benchPreprocessInWorker } from '../bench/benchBrowser';
import { syntheticCt, syntheticMammogram } from '../bench/syntheticImages';
import { ctWindowPolicy, type IntensityPolicy } from '../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../src/preprocess/ModalityImage';
import { preprocessForMedsam } from '../src/preprocess/preprocessForMedsam';
import { resizeToUint8Planes } from '../src/preprocess/resize/resizeToUint8Planes';
import { toUint8Image } from '../src/preprocess/toUint8Image';
import { computePercentilePolicy } from '../src/preprocess/computePercentilePolicy';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Timing {
  median: number;
  min: number;
}

function time(runs: number, action: () => unknown): Timing {
  action();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    action();
    samples.push(performance.now() - start);
  }
  return { median: median(samples), min: Math.min(...samples) };
}

function format(timing: Timing): string {
  return `${timing.median.toFixed(1).padStart(6)} ms (min ${timing.min.toFixed(1).padStart(6)})`;
}

function benchmark(name: string, image: ModalityImage, policy: IntensityPolicy, runs: number): void {
  const uint8 = toUint8Image(image, policy);
  const intensity = time(runs, () => toUint8Image(image, policy));
  const resize = time(runs, () => resizeToUint8Planes(uint8, 1024, 1024));
  // One reused input tensor, as MedsamPipeline keeps.
  const output = new Float32Array(3 * 1024 * 1024);
  const total = time(runs, () => preprocessForMedsam(image, policy, { output }));
  process.stdout.write(`${name}\n`);
  process.stdout.write(`  toUint8Image                 ${format(intensity)}\n`);
  process.stdout.write(`  resizeToUint8Planes to 1024  ${format(resize)}\n`);
  process.stdout.write(`  preprocessForMedsam (total)  ${format(total)}\n`);
}

export async function main(args: string[]): Promise<void> {
  const runsIndex = args.indexOf('--runs');
  const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 9;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs ${args[runsIndex + 1]} is invalid: use a positive integer.`);
  }

  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  process.stdout.write(
    `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
      `load average ${load}, median and min of ${runs} runs\n`,
  );
  benchmark('CT 512x512 soft tissue', syntheticCt(512, 512), ctWindowPolicy('soft-tissue'), runs);

  const mammogram = syntheticMammogram(2560, 3328);
  const mammogramRuns = Math.min(runs, 5);
  const percentiles = time(mammogramRuns, () => computePercentilePolicy(mammogram.values, 'slice'));
  process.stdout.write(`MG 2560x3328 computePercentilePolicy ${format(percentiles)}\n`);
  benchmark('MG 2560x3328 synthetic, slice percentiles', mammogram, computePercentilePolicy(mammogram.values, 'slice'), mammogramRuns);

  if (args.includes('--worker')) {
    await benchmarkInWorker(runs, mammogramRuns, args.includes('--samples'));
  }
}

/** Serves dist/medsam like the viewer does and times `preprocessForMedsam` in a Chromium worker. */
async function benchmarkInWorker(ctRuns: number, mammogramRuns: number, printSamples: boolean): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const { startViewerServer } = await import(path.join(root, 'scripts/serve.mjs'));
  const { ensureOhifViewer } = await import(path.join(root, 'scripts/ohif-viewer.mjs'));
  const server = await startViewerServer({
    ohifDir: await ensureOhifViewer(),
    // Nothing listens there: the benchmark page makes no DICOMweb request.
    dicomweb: { url: 'http://127.0.0.1:9/dicom-web' },
    port: 0,
  });
  try {
    const { CHROMIUM_ARGS } = await import('../tests/helpers/launchBrowser');
    const { timings, chromiumVersion } = await benchPreprocessInWorker(
      { executablePath: process.env.MEDSAM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, baseUrl: server.url },
      { ctRuns, mammogramRuns }
    );
    process.stdout.write(`Chromium ${chromiumVersion} dedicated worker, preprocessForMedsam (total)\n`);
    for (const { name, samples } of timings) {
      process.stdout.write(`  ${name.padEnd(32)}${format({ median: median(samples), min: Math.min(...samples) })}\n`);
      if (printSamples) {
        process.stdout.write(`    runs in order (ms): ${samples.map(sample => sample.toFixed(1)).join(' ')}\n`);
      }
    }
  } finally {
    await server.close();
  }
}
