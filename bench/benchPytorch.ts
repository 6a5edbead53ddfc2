import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import type { BenchRow } from './benchStats';

const execFileAsync = promisify(execFile);

export interface PytorchBenchOptions {
  python: string;
  /** Arguments that select the weights: ['--random-weights', '1', '--config', 'vit_b'] or ['--checkpoint', FILE]. */
  weightArgs: string[];
  dicomPath: string;
  boxPixels: { x0: number; y0: number; x1: number; y1: number };
  threads: number;
  runs: number;
  decoderRuns: number;
  timeoutMs: number;
}

interface PytorchTimes {
  threads: number;
  torch: string;
  encoderMs: number[];
  decoderMs: number[];
  maskFraction: number;
}

/** Runs bench/time_pytorch.py in its own process and returns its times as a row. */
export async function benchPytorch(options: PytorchBenchOptions): Promise<{ row: BenchRow; torchVersion: string }> {
  const { x0, y0, x1, y1 } = options.boxPixels;
  const args = [
    path.join(__dirname, 'time_pytorch.py'),
    ...options.weightArgs,
    '--threads',
    String(options.threads),
    '--runs',
    String(options.runs),
    '--decoder-runs',
    String(options.decoderRuns),
    '--dicom',
    options.dicomPath,
    '--box',
    [x0, y0, x1, y1].join(','),
  ];
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(options.python, args, { timeout: options.timeoutMs, maxBuffer: 1024 * 1024 }));
  } catch (error) {
    const { stderr, killed } = error as { stderr?: string; killed?: boolean };
    const reason = killed ? `timed out after ${options.timeoutMs} ms` : 'failed';
    throw new Error(`${options.python} bench/time_pytorch.py ${reason}:\n${stderr ?? String(error)}`);
  }
  const times = JSON.parse(stdout.trim().split('\n').pop() ?? '') as PytorchTimes;
  return {
    row: {
      where: 'PyTorch',
      backend: 'cpu',
      threads: times.threads,
      precision: 'fp32',
      encoderMs: times.encoderMs,
      decoderMs: times.decoderMs,
      note: `mask covers ${(100 * times.maskFraction).toFixed(1)}% of the 256x256 grid`,
    },
    torchVersion: times.torch,
  };
}
