import { MedsamError } from '../../../src/MedsamError';
import { logitsToMask } from '../../../src/preprocess/logitsToMask';
import type { MedsamTransform } from '../../../src/preprocess/MedsamTransform';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { createRandom } from './syntheticImages';

/**
 * Pixels whose torch probability lies this close to 0.5 may threshold
 * differently, because torch's vectorised kernel may round in another order
 * than the scalar float32 arithmetic here.
 */
const THRESHOLD_MARGIN = 1e-6;

const SIZES: Array<{ name: string; width: number; height: number }> = [
  { name: 'ct-512', width: 512, height: 512 },
  { name: 'non-square-169x211', width: 169, height: 211 },
  { name: 'smaller-than-logits-100x60', width: 100, height: 60 },
  { name: 'large-1760', width: 1760, height: 1760 },
];

/** Smooth random logits in about -8..8 so the mask has regions and edges. */
function randomLogits(seed: number): Float32Array {
  const random = createRandom(seed);
  const logits = new Float32Array(256 * 256);
  const phases = [random() * 6, random() * 6, random() * 6];
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 256; x++) {
      const wave = Math.sin(x / 17 + (phases[0] as number)) + Math.cos(y / 23 + (phases[1] as number));
      logits[y * 256 + x] = 4 * wave + 2 * (random() - 0.5) + Math.sin((x + y) / 9 + (phases[2] as number));
    }
  }
  return logits;
}

describe('logitsToMask', () => {
  let results: Map<string, ReferenceResult>;
  const logits = new Map<string, Float32Array>();

  beforeAll(() => {
    const batch = new ReferenceBatch();
    try {
      SIZES.forEach((size, index) => {
        const values = randomLogits(index + 11);
        logits.set(size.name, values);
        batch.addCase({
          name: size.name,
          kind: 'mask',
          logits: batch.addArray(values, [256, 256]),
          imageWidth: size.width,
          imageHeight: size.height,
        });
      });
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 60_000);

  it.each(SIZES)('matches torch interpolate and threshold for $name', (size) => {
    const transform: MedsamTransform = { imageWidth: size.width, imageHeight: size.height, inputSize: 1024 };
    const actual = logitsToMask(logits.get(size.name) as Float32Array, transform);
    const reference = results.get(size.name) as ReferenceResult;
    const expected = reference.arrays.mask as Uint8Array;
    const probability = reference.arrays.probability as Float32Array;

    expect(actual.length).toBe(size.width * size.height);
    let unexplained = 0;
    for (let i = 0; i < actual.length; i++) {
      if (actual[i] !== expected[i] && Math.abs((probability[i] as number) - 0.5) > THRESHOLD_MARGIN) unexplained++;
    }
    expect(unexplained).toBe(0);
  });

  it('produces both classes on the test logits', () => {
    const mask = logitsToMask(randomLogits(11), { imageWidth: 512, imageHeight: 512, inputSize: 1024 });
    const ones = mask.reduce((sum, v) => sum + v, 0);
    expect(ones).toBeGreaterThan(0);
    expect(ones).toBeLessThan(mask.length);
  });

  it('rejects logits of the wrong length', () => {
    let caught: unknown;
    try {
      logitsToMask(new Float32Array(100), { imageWidth: 512, imageHeight: 512, inputSize: 1024 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MedsamError);
  });
});
