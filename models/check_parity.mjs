// Compares the ONNX encoders in a model folder with PyTorch reference outputs
// in onnxruntime-node, and prints one JSON object to stdout.
//
// Usage: node models/check_parity.mjs MODEL_DIR REFERENCE_DIR
//
// MODEL_DIR contains decoder.onnx and encoder{,.fp16,.int8}.onnx (missing
// variants are skipped). REFERENCE_DIR is written by medsam/reference.py.
// Every encoder's embeddings go through the fp32 decoder. The fp32 encoder is
// compared with PyTorch, and fp16/int8 with both PyTorch and the fp32 ONNX
// output. Masks are logits > 0, which is sigmoid > 0.5.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const ENCODERS = { fp32: 'encoder.onnx', fp16: 'encoder.fp16.onnx', int8: 'encoder.int8.onnx' };

function readFloat32(path) {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function maxAbsDiff(a, b) {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i] - b[i]));
  }
  return max;
}

function dice(a, b) {
  let both = 0;
  let countA = 0;
  let countB = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = a[i] > 0;
    const inB = b[i] > 0;
    countA += inA;
    countB += inB;
    both += inA && inB;
  }
  return countA + countB === 0 ? 1 : (2 * both) / (countA + countB);
}

function foregroundFraction(logits) {
  let count = 0;
  for (const value of logits) {
    count += value > 0;
  }
  return count / logits.length;
}

async function main() {
  const [modelDir, referenceDir] = process.argv.slice(2);
  if (!modelDir || !referenceDir) {
    throw new Error('Usage: node models/check_parity.mjs MODEL_DIR REFERENCE_DIR');
  }
  const options = { intraOpNumThreads: Number(process.env.MEDSAM_ORT_THREADS ?? 2) };
  const input = new ort.Tensor('float32', readFloat32(join(referenceDir, 'input.f32')), [1, 3, 1024, 1024]);
  const boxes = new ort.Tensor('float32', readFloat32(join(referenceDir, 'boxes.f32')), [1, 4]);
  const torchEmbeddings = readFloat32(join(referenceDir, 'embeddings.f32'));
  const torchLogits = readFloat32(join(referenceDir, 'logits.f32'));
  const decoder = await ort.InferenceSession.create(join(modelDir, 'decoder.onnx'), options);

  const results = { torch: { logitsForegroundFraction: foregroundFraction(torchLogits) } };
  let fp32Logits = null;
  for (const [precision, file] of Object.entries(ENCODERS)) {
    const path = join(modelDir, file);
    if (!existsSync(path)) {
      continue;
    }
    const encoder = await ort.InferenceSession.create(path, options);
    const started = performance.now();
    const { image_embeddings: embeddings } = await encoder.run({ image: input });
    const encoderMs = performance.now() - started;
    const { low_res_logits: logits } = await decoder.run({ image_embeddings: embeddings, boxes });
    await encoder.release();

    const entry = {
      encoderMs: Math.round(encoderMs),
      embeddingsMaxAbsDiffTorch: maxAbsDiff(embeddings.data, torchEmbeddings),
      logitsMaxAbsDiffTorch: maxAbsDiff(logits.data, torchLogits),
      diceTorch: dice(logits.data, torchLogits),
    };
    if (precision === 'fp32') {
      fp32Logits = logits.data;
    } else if (fp32Logits) {
      entry.logitsMaxAbsDiffFp32 = maxAbsDiff(logits.data, fp32Logits);
      entry.diceFp32 = dice(logits.data, fp32Logits);
    }
    results[precision] = entry;
  }
  process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
}

main().catch((error) => {
  process.stderr.write(`check_parity failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
