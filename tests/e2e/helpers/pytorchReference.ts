/**
 * PyTorch reference outputs for the parity tests: runs
 * models/reference_outputs.py and reads the raw float32 files it writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { readFloat32, runModelScript } from '../../unit/model/modelFixtures';

export interface PytorchReference {
  /** Pre-processed image [1, 3, 1024, 1024] in [0, 1]. */
  input: Float32Array;
  /** Box [1, 4] in 1024 space. */
  boxes: Float32Array;
  /** [1, 256, 64, 64] */
  embeddings: Float32Array;
  /** [1, 1, 256, 256] */
  logits: Float32Array;
  /** The box in the DICOM's pixels (x0, y0, x1, y1). */
  boxPixels: [number, number, number, number];
}

export interface PytorchReferenceOptions {
  seed: number;
  config: 'tiny' | 'vit_b';
  dataDir: string;
  outDir: string;
  timeoutMs: number;
}

/**
 * Runs models/reference_outputs.py with seeded weights on the default CT
 * slice of `dataDir` (the liver slice and its box) and returns its outputs.
 */
export async function computePytorchReference(options: PytorchReferenceOptions): Promise<PytorchReference> {
  await runModelScript(
    'reference_outputs.py',
    ['--random-weights', String(options.seed), '--config', options.config, '--out', options.outDir],
    options.timeoutMs,
    { ...process.env, MEDSAM_DATA_DIR: options.dataDir },
  );
  const description = JSON.parse(readFileSync(path.join(options.outDir, 'reference.json'), 'utf8')) as {
    boxPixels: [number, number, number, number];
  };
  return {
    input: readFloat32(path.join(options.outDir, 'input.f32')),
    boxes: readFloat32(path.join(options.outDir, 'boxes.f32')),
    embeddings: readFloat32(path.join(options.outDir, 'embeddings.f32')),
    logits: readFloat32(path.join(options.outDir, 'logits.f32')),
    boxPixels: description.boxPixels,
  };
}

/** Encodes a float32 array's bytes as base64, the format of the bench page's parity function. */
export function float32ToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** Decodes base64 float32 bytes into a Float32Array with its own buffer. */
export function base64ToFloat32(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
