import { planAxis, resizeCubicBSpline } from '../../../src/preprocess/resize/resizeCubicBSpline';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { syntheticUint8 } from './syntheticImages';

// Float64 B-spline arithmetic in a different summation order than scipy's
// C code; the differences measured are below 1e-12 on a 0..255 scale.
const FLOAT_TOLERANCE = 1e-9;

const SHAPES: Array<{ name: string; width: number; height: number; targetWidth: number; targetHeight: number }> = [
  { name: 'upscale-square', width: 64, height: 64, targetWidth: 128, targetHeight: 128 },
  { name: 'upscale-non-square', width: 37, height: 23, targetWidth: 100, targetHeight: 71 },
  { name: 'downscale-both', width: 150, height: 210, targetWidth: 64, targetHeight: 64 },
  { name: 'downscale-one-axis', width: 40, height: 300, targetWidth: 128, targetHeight: 128 },
  { name: 'tiny-3x3', width: 3, height: 3, targetWidth: 1024, targetHeight: 1024 },
];

describe('resizeCubicBSpline', () => {
  let results: Map<string, ReferenceResult>;
  const inputs = new Map<string, Uint8Array>();

  beforeAll(() => {
    const batch = new ReferenceBatch();
    try {
      SHAPES.forEach((shape, index) => {
        const image = syntheticUint8(shape.width, shape.height, index + 1);
        inputs.set(shape.name, image);
        batch.addCase({
          name: shape.name,
          kind: 'resize',
          image: batch.addArray(image, [shape.height, shape.width]),
          targetShape: [shape.targetHeight, shape.targetWidth],
        });
      });
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 60_000);

  it.each(SHAPES)('matches skimage resize for $name', (shape) => {
    const image = inputs.get(shape.name) as Uint8Array;
    const actual = resizeCubicBSpline(image, shape.width, shape.height, shape.targetWidth, shape.targetHeight);
    const expected = results.get(shape.name)?.arrays.resized as Float64Array;

    expect(actual.length).toBe(expected.length);
    let maxDifference = 0;
    for (let i = 0; i < actual.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs((actual[i] as number) - (expected[i] as number)));
    }
    expect(maxDifference).toBeLessThan(FLOAT_TOLERANCE);
  });

  test('exact 2x upscales take the doubling path', () => {
    // upscale-square (64 to 128) above runs it against skimage.
    expect(planAxis(64, 128).doubling).toBe(true);
    expect(planAxis(512, 1024).doubling).toBe(true);
  });

  test('other scales take the general path', () => {
    expect(planAxis(37, 100).doubling).toBe(false);
    expect(planAxis(300, 1024).doubling).toBe(false);
    expect(planAxis(1024, 1024).doubling).toBe(false);
  });
});
