/**
 * Embedding cache benchmark (`npm run bench:cache`): encodes 200 slices
 * through MedsamPipeline with the stand-in model in onnxruntime-node and
 * reports the cache's contents against its budget, for fp32 and fp16
 * storage. The stand-in's embeddings have the ViT-B size (256x64x64), so
 * the bytes are those of the real model. Options: --slices N (default 200),
 * --budget-mib N (default 512, the extension's default).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

import { MedsamEngine, type OrtModule } from '../src/inference/MedsamEngine';
import { MedsamPipeline, type EmbeddingPrecision } from '../src/inference/MedsamPipeline';
import { parseModelManifest } from '../src/model/parseModelManifest';
import { ctWindowPolicy } from '../src/preprocess/IntensityPolicy';
import { createImageKey } from '../src/protocol/workerMessages';
import { syntheticCt } from './syntheticImages';

const REPO_ROOT = path.resolve(__dirname, '..');

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} ${args[index + 1]} is invalid: use a positive integer.`);
  }
  return value;
}

async function main(args: string[]): Promise<void> {
  const slices = option(args, '--slices', 200);
  const budgetBytes = option(args, '--budget-mib', 512) * 1024 * 1024;
  const modelDir = path.join(REPO_ROOT, 'build/models/standin');
  const manifest = parseModelManifest(JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')), modelDir);
  const engine = await MedsamEngine.create({
    ort: ort as unknown as OrtModule,
    encoderBytes: readFileSync(path.join(modelDir, manifest.encoders[0]!.path)),
    decoderBytes: readFileSync(path.join(modelDir, manifest.decoder.path)),
    encoderSessionOptions: {},
    decoderSessionOptions: {},
  });
  const intensity = ctWindowPolicy('soft-tissue');
  const image = syntheticCt(512, 512);
  const box = { x0: 150, y0: 150, x1: 350, y1: 330 };

  process.stdout.write(
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ` +
      `${slices} slices, budget ${budgetBytes / 2 ** 20} MiB, model ${manifest.name}\n`
  );
  process.stdout.write('| storage | slices encoded | embeddings cached | cache MiB | budget MiB | within budget |\n|---|---|---|---|---|---|\n');
  for (const storage of ['fp32', 'fp16'] as EmbeddingPrecision[]) {
    const pipeline = new MedsamPipeline(engine, budgetBytes, { storage });
    let largest = 0;
    for (let slice = 0; slice < slices; slice++) {
      await pipeline.segment({ imageKey: createImageKey(`bench-slice-${slice}`, 1, intensity), image, intensity, box });
      largest = Math.max(largest, pipeline.cachedBytes);
    }
    process.stdout.write(
      `| ${storage} | ${slices} | ${pipeline.cachedEmbeddings} | ${(pipeline.cachedBytes / 2 ** 20).toFixed(0)} | ` +
        `${budgetBytes / 2 ** 20} | ${largest <= budgetBytes ? 'yes' : `no (peak ${(largest / 2 ** 20).toFixed(0)} MiB)`} |\n`
    );
    pipeline.clear();
  }
  await engine.release();
}

main(process.argv.slice(2)).catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
