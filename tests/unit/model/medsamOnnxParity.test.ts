/**
 * Parity of the exported tiny MedSAM (seeded random weights) in
 * onnxruntime-node against PyTorch on a pre-processed CT slice. beforeAll
 * runs models/import_checkpoint.py and models/reference_outputs.py with
 * /usr/bin/python3 (or MEDSAM_PYTHON), which need torch, onnx, pydicom and
 * scikit-image, and the data folder in MEDSAM_DATA_DIR.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

import { fromFloat16Bits, toFloat16Bits } from '../../../src/inference/float16';
import type { ModelManifest, ModelPrecision } from '../../../src/model/ModelManifest';
import { MEDSAM_IO } from '../../../src/model/ModelManifest';
import {
  dataDir,
  diceOfLogits,
  foregroundFraction,
  maxAbsDiff,
  readFloat32,
  requireTorchAndOnnx,
  runModelScript,
  sha256OfFile,
} from './modelFixtures';

const SEED = '1';
const FP32_TOLERANCE = 1e-3;
const FP32_MIN_DICE = 0.999;
const REDUCED_MIN_DICE = 0.98;
const SETUP_TIMEOUT_MS = 240_000;

interface Reference {
  input: Float32Array;
  boxes: Float32Array;
  embeddings: Float32Array;
  logits: Float32Array;
}

interface RunResult {
  embeddings: Float32Array;
  logits: Float32Array;
}

let workDir = '';
let modelDir = '';
let manifest: ModelManifest;
let reference: Reference;
const results = new Map<ModelPrecision, RunResult>();

async function runModel(encoderFile: string, decoder: ort.InferenceSession): Promise<RunResult> {
  const encoder = await ort.InferenceSession.create(path.join(modelDir, encoderFile), {
    intraOpNumThreads: 2,
  });
  try {
    const image = new ort.Tensor('float32', reference.input, [...MEDSAM_IO.encoderInput.shape]);
    const encoded = await encoder.run({ [MEDSAM_IO.encoderInput.name]: image });
    const embeddings = encoded[MEDSAM_IO.encoderOutput.name] as ort.Tensor;
    const boxes = new ort.Tensor('float32', reference.boxes, [...MEDSAM_IO.decoderBoxes.shape]);
    const decoded = await decoder.run({
      [MEDSAM_IO.decoderEmbeddings.name]: embeddings,
      [MEDSAM_IO.decoderBoxes.name]: boxes,
    });
    const logits = decoded[MEDSAM_IO.decoderOutput.name] as ort.Tensor;
    return { embeddings: embeddings.data as Float32Array, logits: logits.data as Float32Array };
  } finally {
    await encoder.release();
  }
}

function result(precision: ModelPrecision): RunResult {
  const found = results.get(precision);
  if (!found) {
    throw new Error(`No ${precision} encoder in the manifest: ${JSON.stringify(manifest.encoders)}`);
  }
  return found;
}

beforeAll(async () => {
  const env = { ...process.env, MEDSAM_DATA_DIR: dataDir() };
  await requireTorchAndOnnx();
  workDir = mkdtempSync(path.join(tmpdir(), 'medsam-parity-'));
  modelDir = path.join(workDir, 'model');
  const referenceDir = path.join(workDir, 'reference');

  const common = ['--random-weights', SEED, '--config', 'tiny', '--out'];
  await runModelScript('import_checkpoint.py', [...common, modelDir], SETUP_TIMEOUT_MS, env);
  await runModelScript('reference_outputs.py', [...common, referenceDir], SETUP_TIMEOUT_MS, env);

  manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  reference = {
    input: readFloat32(path.join(referenceDir, 'input.f32')),
    boxes: readFloat32(path.join(referenceDir, 'boxes.f32')),
    embeddings: readFloat32(path.join(referenceDir, 'embeddings.f32')),
    logits: readFloat32(path.join(referenceDir, 'logits.f32')),
  };

  const decoder = await ort.InferenceSession.create(path.join(modelDir, manifest.decoder.path));
  try {
    for (const entry of manifest.encoders) {
      results.set(entry.precision, await runModel(entry.path, decoder));
    }
  } finally {
    await decoder.release();
  }
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

describe('tiny MedSAM export, fp32', () => {
  test('embeddings match PyTorch', () => {
    expect(maxAbsDiff(result('fp32').embeddings, reference.embeddings)).toBeLessThan(FP32_TOLERANCE);
  });

  test('logits match PyTorch', () => {
    expect(maxAbsDiff(result('fp32').logits, reference.logits)).toBeLessThan(FP32_TOLERANCE);
  });

  test('mask Dice against PyTorch', () => {
    expect(diceOfLogits(result('fp32').logits, reference.logits)).toBeGreaterThanOrEqual(FP32_MIN_DICE);
  });

  test('reference mask is neither empty nor full', () => {
    // Dice is only informative when both classes are present.
    const fraction = foregroundFraction(reference.logits);
    expect(fraction).toBeGreaterThan(0.05);
    expect(fraction).toBeLessThan(0.95);
  });
});

describe('tiny MedSAM export, reduced precision', () => {
  test('manifest lists fp16 and int8 encoders', () => {
    expect(manifest.encoders.map((entry) => entry.precision)).toEqual(['fp32', 'fp16', 'int8']);
  });

  test.each<ModelPrecision>(['fp16', 'int8'])('%s mask Dice against PyTorch', (precision) => {
    expect(diceOfLogits(result(precision).logits, reference.logits)).toBeGreaterThanOrEqual(REDUCED_MIN_DICE);
  });

  test('fp16 logits stay close to PyTorch', () => {
    expect(maxAbsDiff(result('fp16').logits, reference.logits)).toBeLessThan(0.05);
  });
});

describe('tiny MedSAM decoder on fp16-stored embeddings', () => {
  let logits: Float32Array;

  beforeAll(async () => {
    // What MedsamPipeline decodes from when it keeps embeddings as fp16.
    const stored = fromFloat16Bits(toFloat16Bits(result('fp32').embeddings));
    const decoder = await ort.InferenceSession.create(path.join(modelDir, manifest.decoder.path));
    try {
      const decoded = await decoder.run({
        [MEDSAM_IO.decoderEmbeddings.name]: new ort.Tensor('float32', stored, [...MEDSAM_IO.decoderEmbeddings.shape]),
        [MEDSAM_IO.decoderBoxes.name]: new ort.Tensor('float32', reference.boxes, [...MEDSAM_IO.decoderBoxes.shape]),
      });
      logits = decoded[MEDSAM_IO.decoderOutput.name]!.data as Float32Array;
    } finally {
      await decoder.release();
    }
  }, SETUP_TIMEOUT_MS);

  test('mask Dice against fp32 embeddings', () => {
    expect(diceOfLogits(logits, result('fp32').logits)).toBeGreaterThanOrEqual(0.999);
  });

  test('logits stay close to fp32 embeddings', () => {
    expect(maxAbsDiff(logits, result('fp32').logits)).toBeLessThan(0.01);
  });
});

describe('tiny MedSAM manifest', () => {
  test('names the model as a stand-in', () => {
    expect(manifest.standIn).toBe(true);
    expect(manifest.name).toBe('Stand-in tiny ViT, seeded random weights (not MedSAM)');
    expect(manifest.source.randomWeightsSeed).toBe(Number(SEED));
    expect(manifest.source.checkpoint).toBeNull();
  });

  test('file hashes and sizes match', () => {
    for (const entry of [...manifest.encoders, manifest.decoder]) {
      const file = path.join(modelDir, entry.path);
      expect(existsSync(file)).toBe(true);
      expect(sha256OfFile(file)).toBe(entry.sha256);
      expect(readFileSync(file).byteLength).toBe(entry.bytes);
    }
  });

  test('io matches MEDSAM_IO', () => {
    expect(manifest.format).toBe('medsam-onnx/1');
    expect(manifest.io.encoder.inputs).toEqual([{ ...MEDSAM_IO.encoderInput, type: 'float32' }]);
    expect(manifest.io.encoder.outputs).toEqual([{ ...MEDSAM_IO.encoderOutput, type: 'float32' }]);
    expect(manifest.io.decoder.inputs).toEqual([
      { ...MEDSAM_IO.decoderEmbeddings, type: 'float32' },
      { ...MEDSAM_IO.decoderBoxes, type: 'float32' },
    ]);
    expect(manifest.io.decoder.outputs).toEqual([{ ...MEDSAM_IO.decoderOutput, type: 'float32' }]);
  });
});
