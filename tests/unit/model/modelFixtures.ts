/**
 * Helpers shared by the model tests: they generate ONNX models with the
 * Python tools in models/, read raw float32 dumps and compare masks.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MODELS_DIR = path.join(REPO_ROOT, 'models');

/** Relative path of the CT slice that the parity reference is computed on. */
export const REFERENCE_DICOM = 'ct-liver-3slice-dcmqi/image/01.dcm';

/** Returns the Python for models/ (MEDSAM_PYTHON or /usr/bin/python3), or throws if it is missing. */
export function pythonPath(): string {
  const python = process.env.MEDSAM_PYTHON ?? '/usr/bin/python3';
  if (!existsSync(python)) {
    throw new Error(
      `Python interpreter not found at ${python}. Install Debian's python3 with torch, onnx, ` +
        'numpy, pydicom and scikit-image, or set MEDSAM_PYTHON to an interpreter that has them.',
    );
  }
  return python;
}

/** Returns the data folder, or throws if the reference CT slice is not in it. */
export function dataDir(): string {
  const dir = process.env.MEDSAM_DATA_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'data');
  if (!existsSync(path.join(dir, REFERENCE_DICOM))) {
    throw new Error(
      `Test data not found: ${path.join(dir, REFERENCE_DICOM)} does not exist. ` +
        'Set MEDSAM_DATA_DIR to the data folder that contains it.',
    );
  }
  return dir;
}

/** Runs a script from models/ with the test Python and returns its stdout. */
export async function runModelScript(
  script: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const python = pythonPath();
  try {
    const { stdout } = await execFileAsync(python, [path.join(MODELS_DIR, script), ...args], {
      cwd: REPO_ROOT,
      env,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr, killed } = error as { stderr?: string; killed?: boolean };
    const reason = killed ? `timed out after ${timeoutMs} ms` : 'failed';
    throw new Error(`${python} models/${script} ${args.join(' ')} ${reason}:\n${stderr ?? String(error)}`);
  }
}

/** Throws a clear error unless the test Python can import torch and onnx. */
export async function requireTorchAndOnnx(): Promise<void> {
  const python = pythonPath();
  try {
    await execFileAsync(python, ['-c', 'import torch, onnx, pydicom, skimage'], { timeout: 60_000 });
  } catch (error) {
    throw new Error(
      `${python} cannot import torch, onnx, pydicom and scikit-image, which the model tests need: ` +
        `${(error as { stderr?: string }).stderr ?? String(error)}`,
    );
  }
}

export function readFloat32(file: string): Float32Array {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / Float32Array.BYTES_PER_ELEMENT);
}

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`Cannot compare arrays of length ${a.length} and ${b.length}.`);
  }
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return max;
}

/** Returns the fraction of logits above 0, i.e. of pixels with sigmoid > 0.5. */
export function foregroundFraction(logits: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < logits.length; i++) {
    count += (logits[i] as number) > 0 ? 1 : 0;
  }
  return count / logits.length;
}

/** Returns the Dice coefficient of the masks logits > 0; two empty masks give 1. */
export function diceOfLogits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let both = 0;
  let countA = 0;
  let countB = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = (a[i] as number) > 0;
    const inB = (b[i] as number) > 0;
    countA += inA ? 1 : 0;
    countB += inB ? 1 : 0;
    both += inA && inB ? 1 : 0;
  }
  return countA + countB === 0 ? 1 : (2 * both) / (countA + countB);
}
