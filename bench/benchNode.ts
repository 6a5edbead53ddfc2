import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ortNode from 'onnxruntime-node';

import { MedsamEngine, type OrtModule } from '../src/inference/MedsamEngine';
import { parseModelManifest, selectEncoder } from '../src/model/parseModelManifest';
import type { BenchRow } from './benchStats';

/**
 * Times the encoder that the worker would pick on WASM, and the decoder, in
 * onnxruntime-node's CPU backend with `threads` intra-op threads, through the
 * same MedsamEngine the worker uses.
 */
export async function benchNode(
  modelDir: string,
  input: Float32Array,
  box1024: Float32Array,
  threads: number,
  runs: number,
  decoderRuns: number
): Promise<BenchRow> {
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
  try {
    const encoderMs: number[] = [];
    let embeddings: Float32Array = new Float32Array(0);
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      embeddings = await engine.encode(input);
      encoderMs.push(performance.now() - started);
    }
    const decoderMs: number[] = [];
    for (let run = 0; run < decoderRuns; run++) {
      const started = performance.now();
      await engine.decode(embeddings, box1024);
      decoderMs.push(performance.now() - started);
    }
    return { where: 'onnxruntime-node', backend: 'cpu', threads, precision: encoderEntry.precision, encoderMs, decoderMs, note: '' };
  } finally {
    await engine.release();
  }
}
