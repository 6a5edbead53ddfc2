/**
 * The inference pipeline on onnxruntime-node with the inscribed-ellipse
 * stand-in models, on a real CT slice: the same code path the worker runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

import { MedsamEngine, type OrtModule } from '../../../src/inference/MedsamEngine';
import { MedsamPipeline } from '../../../src/inference/MedsamPipeline';
import { parseModelManifest } from '../../../src/model/parseModelManifest';
import { applyModalityRescale, ctWindowPolicy, preprocessForMedsam } from '../../../src/preprocess';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { createImageKey } from '../../../src/protocol/workerMessages';
import { dataPath } from '../../helpers/dataDir';
import { dice } from '../../helpers/dice';
import { readDicomPixels } from '../../helpers/readDicomPixels';

const REPO_ROOT = path.resolve(__dirname, '../../..');

let pipeline: MedsamPipeline;
let engine: MedsamEngine;
let image: ModalityImage;

beforeAll(async () => {
  const modelDir = mkdtempSync(path.join(tmpdir(), 'medsam-standin-'));
  execFileSync('/usr/bin/python3', [path.join(REPO_ROOT, 'models/make_standin.py'), '--out', modelDir]);
  const manifest = parseModelManifest(JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')), modelDir);
  engine = await MedsamEngine.create({
    ort: ort as unknown as OrtModule,
    encoderBytes: readFileSync(path.join(modelDir, manifest.encoders[0]!.path)),
    decoderBytes: readFileSync(path.join(modelDir, manifest.decoder.path)),
    encoderSessionOptions: {},
    decoderSessionOptions: {},
  });
  pipeline = new MedsamPipeline(engine, 64 * 1024 * 1024);

  const pixels = await readDicomPixels(dataPath('ct-liver-3slice-dcmqi/image/01.dcm'));
  image = applyModalityRescale(
    { width: pixels.width, height: pixels.height, samplesPerPixel: 1, storedValues: pixels.storedValues },
    pixels.rescale
  );
});

/** Draws the ellipse inscribed in a box, sampled at pixel centres. */
function inscribedEllipse(width: number, height: number, box: { x0: number; y0: number; x1: number; y1: number }) {
  const mask = new Uint8Array(width * height);
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const rx = (box.x1 - box.x0) / 2;
  const ry = (box.y1 - box.y0) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      mask[y * width + x] = dx * dx + dy * dy <= 1 ? 1 : 0;
    }
  }
  return mask;
}

/** Compares two arrays byte for byte, because Jest's toEqual takes minutes on 3 million floats. */
function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('MedsamPipeline', () => {
  const intensity = ctWindowPolicy('soft-tissue');
  const box = { x0: 96, y0: 180, x1: 260, y1: 330 };

  test('returns the inscribed ellipse for a box on a real CT slice', async () => {
    const result = await pipeline.segment({ imageKey: createImageKey('ct-01', 1, intensity), image, intensity, box });
    expect(dice(result.mask, inscribedEllipse(image.width, image.height, box))).toBeGreaterThan(0.97);
  });

  test('reuses the embedding for a second box on the same image', async () => {
    const result = await pipeline.segment({
      imageKey: createImageKey('ct-01', 1, intensity),
      intensity,
      box: { x0: 10, y0: 10, x1: 100, y1: 80 },
    });
    expect(result.encoderMs).toBeNull();
  });

  test('encodes again when the CT window changes', async () => {
    const lung = ctWindowPolicy('lung');
    const result = await pipeline.segment({ imageKey: createImageKey('ct-01', 1, lung), image, intensity: lung, box });
    expect(result.encoderMs).not.toBeNull();
  });

  test('rejects a box request for an image it has never seen', async () => {
    await expect(
      pipeline.segment({ imageKey: createImageKey('unknown', 1, intensity), intensity, box })
    ).rejects.toThrow(/no pixels were sent/);
  });

  test('stops before encoding when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      pipeline.segment(
        { imageKey: createImageKey('ct-02', 1, intensity), image, intensity, box },
        { signal: controller.signal }
      )
    ).rejects.toMatchObject({ code: 'inference/aborted' });
  });

  test('fp16 storage halves the cache and keeps the mask', async () => {
    const fp32 = new MedsamPipeline(engine, 64 * 1024 * 1024);
    const fp16 = new MedsamPipeline(engine, 64 * 1024 * 1024, { storage: 'fp16' });
    const request = { imageKey: createImageKey('ct-01', 1, intensity), image, intensity, box };
    const fromFp32 = await fp32.segment(request);
    const fromFp16 = await fp16.segment(request);
    expect(fp16.cachedBytes).toBe(fp32.cachedBytes / 2);
    expect(fp16.cachedBytes).toBe(256 * 64 * 64 * 2);
    expect(Array.from(fromFp16.mask)).toEqual(Array.from(fromFp32.mask));
    const cachedRun = await fp16.segment({ imageKey: request.imageKey, intensity, box });
    expect(cachedRun.encoderMs).toBeNull();
    expect(Array.from(cachedRun.mask)).toEqual(Array.from(fromFp16.mask));
  });

  test('fp16 storage fits twice the slices in a budget', async () => {
    const budget = 3 * 256 * 64 * 64 * 4;
    const fp16 = new MedsamPipeline(engine, budget, { storage: 'fp16' });
    for (let slice = 0; slice < 8; slice++) {
      await fp16.segment({ imageKey: createImageKey(`ct-${slice}`, 1, intensity), image, intensity, box });
    }
    expect(fp16.cachedEmbeddings).toBe(6);
    expect(fp16.cachedBytes).toBeLessThanOrEqual(budget);
  });

  test('preencode encodes once, then a box runs only the decoder', async () => {
    const ahead = new MedsamPipeline(engine, 64 * 1024 * 1024);
    const input = { imageKey: createImageKey('ct-ahead', 1, intensity), image, intensity };
    await expect(ahead.preencode(input)).resolves.toBeGreaterThan(0);
    await expect(ahead.preencode(input)).resolves.toBeNull();
    const result = await ahead.segment({ imageKey: input.imageKey, intensity, box });
    expect(result.encoderMs).toBeNull();
    expect(dice(result.mask, inscribedEllipse(image.width, image.height, box))).toBeGreaterThan(0.97);
  });

  test('concurrent encodings keep separate inputs', async () => {
    const flipped: ModalityImage = { ...image, values: image.values.slice().reverse() };
    const runs: { atStart: Float32Array; atEnd: Float32Array }[] = [];
    const slowEngine = {
      async encode(input: Float32Array) {
        const atStart = input.slice();
        await new Promise(resolve => setTimeout(resolve, 30));
        runs.push({ atStart, atEnd: input.slice() });
        return engine.encode(input);
      },
      decode: (embeddings: Float32Array, box1024: Float32Array) => engine.decode(embeddings, box1024),
    } as unknown as MedsamEngine;
    const shared = new MedsamPipeline(slowEngine, 64 * 1024 * 1024);
    const lung = ctWindowPolicy('lung');
    await Promise.all([
      shared.preencode({ imageKey: createImageKey('ct-a', 1, intensity), image, intensity }),
      shared.preencode({ imageKey: createImageKey('ct-b', 1, intensity), image: flipped, intensity }),
    ]);
    // A third encoding after both settle reuses a buffer that held another slice.
    await shared.preencode({ imageKey: createImageKey('ct-c', 1, lung), image, intensity: lung });

    const expected = [
      preprocessForMedsam(image, intensity).data,
      preprocessForMedsam(flipped, intensity).data,
      preprocessForMedsam(image, lung).data,
    ];
    expect(runs).toHaveLength(3);
    runs.forEach((run, index) => {
      expect(sameFloats(run.atEnd, run.atStart)).toBe(true);
      expect(sameFloats(run.atStart, expected[index] as Float32Array)).toBe(true);
    });
  });

  test('a failed encoding leaves a usable input buffer', async () => {
    const inputs: Float32Array[] = [];
    let fail = true;
    const flakyEngine = {
      async encode(input: Float32Array) {
        inputs.push(input.slice());
        if (fail) throw new Error('encoder failed');
        return engine.encode(input);
      },
      decode: (embeddings: Float32Array, box1024: Float32Array) => engine.decode(embeddings, box1024),
    } as unknown as MedsamEngine;
    const flaky = new MedsamPipeline(flakyEngine, 64 * 1024 * 1024);
    const uniform: ModalityImage = { ...image, values: new Int16Array(image.values.length).fill(40) };

    // Pre-processing throws on uniform pixels, then the engine rejects.
    const flat = { imageKey: createImageKey('ct-flat', 1, intensity), image: uniform, intensity };
    await expect(flaky.preencode(flat)).rejects.toMatchObject({ code: 'pixels/constant' });
    await expect(flaky.preencode({ imageKey: createImageKey('ct-fail', 1, intensity), image, intensity })).rejects.toThrow('encoder failed');
    fail = false;
    const lung = ctWindowPolicy('lung');
    const ok = { imageKey: createImageKey('ct-ok', 1, lung), image, intensity: lung };
    await expect(flaky.preencode(ok)).resolves.toBeGreaterThanOrEqual(0);
    expect(inputs).toHaveLength(2);
    expect(sameFloats(inputs[1] as Float32Array, preprocessForMedsam(image, lung).data)).toBe(true);
  });
});
