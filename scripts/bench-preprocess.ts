/**
 * Benchmarks MedSAM pre-processing: one 512x512 CT slice and one
 * mammogram-sized 2560x3328 synthetic frame. Prints the median and the
 * minimum of N runs per stage after one warm-up run, and the load average,
 * because other processes on a shared machine inflate the median.
 * Run with `node scripts/bench-preprocess.cjs [--runs N]`.
 */
import { cpus, loadavg } from 'node:os';
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

/** Builds a CT-like slice in HU: air, a body disc with noise, a bright square. */
function syntheticCt(width: number, height: number): ModalityImage {
  const values = new Int16Array(width * height);
  let seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const dx = (x - width / 2) / width;
      const dy = (y - height / 2) / height;
      let hu = dx * dx + dy * dy < 0.16 ? 40 + ((seed >>> 16) % 80) - 40 : -1000;
      if (Math.abs(dx) < 0.05 && Math.abs(dy - 0.15) < 0.05) hu = 700;
      values[y * width + x] = hu;
    }
  }
  return { width, height, samplesPerPixel: 1, values };
}

/** Builds a mammogram-like 12-bit frame: zero background and a bright half-disc breast. */
function syntheticMammogram(width: number, height: number): ModalityImage {
  const values = new Uint16Array(width * height);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const dx = x / width;
      const dy = (y - height / 2) / height;
      values[y * width + x] = dx * dx + dy * dy < 0.36 ? 1500 + ((seed >>> 16) % 1000) : 0;
    }
  }
  return { width, height, samplesPerPixel: 1, values };
}

function benchmark(name: string, image: ModalityImage, policy: IntensityPolicy, runs: number): void {
  const uint8 = toUint8Image(image, policy);
  const intensity = time(runs, () => toUint8Image(image, policy));
  const resize = time(runs, () => resizeToUint8Planes(uint8, 1024, 1024));
  const total = time(runs, () => preprocessForMedsam(image, policy));
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
}
