/**
 * The stand-in models of models/make_standin.py in onnxruntime-node: the
 * decoder's mask must be the ellipse inscribed in the box. beforeAll runs the
 * generator with /usr/bin/python3 (or MEDSAM_PYTHON), which needs numpy and onnx.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';

import type { ModelManifest } from '../../../src/model/ModelManifest';
import { MEDSAM_IO } from '../../../src/model/ModelManifest';
import { runModelScript } from './modelFixtures';

const GRID = 256; // low-resolution logits are GRID x GRID
const STRIDE = 4; // 1024 / GRID input pixels per logit pixel
const INPUT_SIZE = 1024;

type Box = [number, number, number, number];

let workDir = '';
let manifest: ModelManifest;
let encoder: ort.InferenceSession;
let decoder: ort.InferenceSession;
let embeddings: ort.Tensor;

async function decode(box: Box): Promise<Float32Array> {
  const boxes = new ort.Tensor('float32', Float32Array.from(box), [1, 4]);
  const output = await decoder.run({
    [MEDSAM_IO.decoderEmbeddings.name]: embeddings,
    [MEDSAM_IO.decoderBoxes.name]: boxes,
  });
  return (output[MEDSAM_IO.decoderOutput.name] as ort.Tensor).data as Float32Array;
}

/** Returns the logit of the grid pixel whose area contains (x, y) in 1024 space. */
function logitAt(logits: Float32Array, x: number, y: number): number {
  const column = Math.min(GRID - 1, Math.floor(x / STRIDE));
  const row = Math.min(GRID - 1, Math.floor(y / STRIDE));
  return logits[row * GRID + column] as number;
}

function countPositive(values: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    count += (values[i] as number) > 0 ? 1 : 0;
  }
  return count;
}

/**
 * Upsamples GRID x GRID logits to 1024 x 1024 with bilinear interpolation
 * (align_corners=False, edges clamped) after a sigmoid, as MedSAM's
 * post-processing does, and thresholds at 0.5.
 */
function upsampledMask(logits: Float32Array): Uint8Array {
  const probability = Float32Array.from(logits, (value) => 1 / (1 + Math.exp(-value)));
  const mask = new Uint8Array(INPUT_SIZE * INPUT_SIZE);
  const source = (i: number): [number, number, number] => {
    const position = Math.max(0, (i + 0.5) / STRIDE - 0.5);
    const low = Math.min(GRID - 1, Math.floor(position));
    return [low, Math.min(GRID - 1, low + 1), position - low];
  };
  const at = (row: number, column: number): number => probability[row * GRID + column] as number;
  for (let y = 0; y < INPUT_SIZE; y++) {
    const [row0, row1, fy] = source(y);
    for (let x = 0; x < INPUT_SIZE; x++) {
      const [col0, col1, fx] = source(x);
      const top = at(row0, col0) * (1 - fx) + at(row0, col1) * fx;
      const bottom = at(row1, col0) * (1 - fx) + at(row1, col1) * fx;
      mask[y * INPUT_SIZE + x] = top * (1 - fy) + bottom * fy > 0.5 ? 1 : 0;
    }
  }
  return mask;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'medsam-standin-'));
  await runModelScript('make_standin.py', ['--out', workDir], 60_000);
  manifest = JSON.parse(readFileSync(path.join(workDir, 'manifest.json'), 'utf8')) as ModelManifest;
  const encoderEntry = manifest.encoders[0];
  if (!encoderEntry) {
    throw new Error('The stand-in manifest lists no encoder.');
  }
  encoder = await ort.InferenceSession.create(path.join(workDir, encoderEntry.path));
  decoder = await ort.InferenceSession.create(path.join(workDir, manifest.decoder.path));

  const pixels = new Float32Array(3 * INPUT_SIZE * INPUT_SIZE).fill(0.5);
  const image = new ort.Tensor('float32', pixels, [1, 3, INPUT_SIZE, INPUT_SIZE]);
  const encoded = await encoder.run({ [MEDSAM_IO.encoderInput.name]: image });
  embeddings = encoded[MEDSAM_IO.encoderOutput.name] as ort.Tensor;
}, 60_000);

afterAll(async () => {
  try {
    await encoder?.release();
    await decoder?.release();
  } finally {
    if (workDir) {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
});

describe('stand-in manifest', () => {
  test('names the model as a stand-in', () => {
    expect(manifest.name).toBe('Stand-in: inscribed-ellipse decoder (not MedSAM)');
    expect(manifest.standIn).toBe(true);
  });

  test('encoder output has the MedSAM embedding shape', () => {
    expect(embeddings.dims).toEqual(MEDSAM_IO.encoderOutput.shape);
  });

  test('decoder keeps the embeddings input', () => {
    expect(decoder.inputNames).toEqual([MEDSAM_IO.decoderEmbeddings.name, MEDSAM_IO.decoderBoxes.name]);
  });
});

const BOXES: Array<[string, Box]> = [
  ['wide box', [200, 300, 800, 700]],
  ['thin tall box', [100, 100, 160, 900]],
  ['off-centre small box', [600, 40, 700, 120]],
  ['whole image', [0, 0, 1024, 1024]],
];

describe.each(BOXES)('stand-in decoder, %s', (_label, box) => {
  const [x0, y0, x1, y1] = box;
  const centreX = (x0 + x1) / 2;
  const centreY = (y0 + y1) / 2;
  let logits: Float32Array;

  beforeAll(async () => {
    logits = await decode(box);
  });

  test('output shape', () => {
    expect(logits.length).toBe(GRID * GRID);
  });

  test('centre is positive', () => {
    expect(logitAt(logits, centreX, centreY)).toBeGreaterThan(0);
  });

  test('box corners are negative', () => {
    for (const [x, y] of [[x0, y0], [x1, y0], [x0, y1], [x1, y1]] as const) {
      expect(logitAt(logits, x + (x === x0 ? 1 : -1), y + (y === y0 ? 1 : -1))).toBeLessThan(0);
    }
  });

  test('mask area is pi * rx * ry', () => {
    const expected = (Math.PI * ((x1 - x0) / 2 / STRIDE) * ((y1 - y0) / 2 / STRIDE));
    expect(Math.abs(countPositive(logits) - expected) / expected).toBeLessThan(0.02);
  });

  test('upsampled mask matches the ellipse', () => {
    const mask = upsampledMask(logits);
    const radiusX = (x1 - x0) / 2;
    const radiusY = (y1 - y0) / 2;
    let wrong = 0;
    let inside = 0;
    for (let y = 0; y < INPUT_SIZE; y++) {
      for (let x = 0; x < INPUT_SIZE; x++) {
        const dx = (x + 0.5 - centreX) / radiusX;
        const dy = (y + 0.5 - centreY) / radiusY;
        const expected = dx * dx + dy * dy < 1 ? 1 : 0;
        inside += expected;
        wrong += expected === mask[y * INPUT_SIZE + x] ? 0 : 1;
      }
    }
    // Pixels on the boundary may go either way, so 1% of the ellipse area may differ.
    expect(wrong / inside).toBeLessThan(0.01);
  });
});

describe('stand-in speed', () => {
  test('decodes in under 100 ms in onnxruntime-node', async () => {
    await decode([200, 300, 800, 700]);
    const started = performance.now();
    await decode([210, 310, 790, 690]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  test('encodes and decodes in under a second in onnxruntime-web WASM', async () => {
    const box: Box = [200, 300, 800, 700];
    const script = path.join(__dirname, 'runStandinWasm.cjs');
    const { stdout } = await promisify(execFile)(process.execPath, [script, workDir, ...box.map(String)], {
      timeout: 60_000,
    });
    const timing = JSON.parse(stdout) as { encoderMs: number; decoderMs: number; positive: number };

    expect(timing.encoderMs + timing.decoderMs).toBeLessThan(1000);
    expect(timing.positive).toBe(countPositive(await decode(box)));
  }, 60_000);
});
