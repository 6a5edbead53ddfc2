import { forEachResizedRow, planAxis, resizeChannelToUint8, resizeCubicBSpline } from '../../../src/preprocess/resize/resizeCubicBSpline';
import type { Uint8Image } from '../../../src/preprocess/Uint8Image';
import { resizeToUint8PlanesWithRange } from '../../../src/preprocess/resize/resizeToUint8Planes';
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

  // The uint8 path combines the rows of a doubling y plan in pairs, and the
  // float path one by one. Both must give the same bytes and float range.
  it.each([
    { name: '2x on both axes', width: 64, height: 64, targetWidth: 128, targetHeight: 128 },
    { name: '2x on y only', width: 45, height: 30, targetWidth: 77, targetHeight: 60 },
    { name: 'no doubling', width: 45, height: 31, targetWidth: 77, targetHeight: 60 },
  ])('uint8 resize equals clipped floats ($name)', ({ width, height, targetWidth, targetHeight }) => {
    const image = syntheticUint8(width, height, 7);
    const high = 200;
    const floats = resizeCubicBSpline(image, width, height, targetWidth, targetHeight);
    const bytes = new Uint8Array(targetWidth * targetHeight);
    const range = resizeChannelToUint8(image, width, height, targetWidth, targetHeight, high, bytes);

    const expected = new Uint8Array(floats.length);
    let min = Infinity;
    let max = -Infinity;
    floats.forEach((v, i) => {
      min = Math.min(min, v);
      max = Math.max(max, v);
      expected[i] = Math.trunc(Math.min(Math.max(v, 0), high));
    });
    expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
    expect(range).toEqual({ min, max });
    expect(max).toBeGreaterThan(high);
  });

  test('a nested resize gets its own coefficients', () => {
    const outer = syntheticUint8(40, 30, 11);
    const inner = syntheticUint8(40, 30, 12);
    const expectedOuter = resizeCubicBSpline(outer, 40, 30, 80, 60);
    const expectedInner = resizeCubicBSpline(inner, 40, 30, 80, 60);

    const rows = new Float64Array(80 * 60);
    let nested: Float64Array | undefined;
    forEachResizedRow(outer, 40, 30, 80, 60, (y, row) => {
      if (y === 0) nested = resizeCubicBSpline(inner, 40, 30, 80, 60);
      rows.set(row, y * 80);
    });
    expect(Buffer.from(rows.buffer).equals(Buffer.from(expectedOuter.buffer))).toBe(true);
    expect(Buffer.from((nested as Float64Array).buffer).equals(Buffer.from(expectedInner.buffer))).toBe(true);
  });
});

describe('resizeToUint8PlanesWithRange', () => {
  const image: Uint8Image = {
    width: 40,
    height: 30,
    samplesPerPixel: 1,
    data: syntheticUint8(40, 30, 3),
    applied: { policy: { kind: 'rgb' }, mappedLowValue: 0, mappedHighValue: 255 },
  };

  test('writes into the planes it is given', () => {
    const plane = new Uint8Array(80 * 60);
    const resized = resizeToUint8PlanesWithRange(image, 80, 60, [plane]);
    expect(resized.planes[0]).toBe(plane);
    expect(Buffer.from(plane).equals(Buffer.from(resizeToUint8PlanesWithRange(image, 80, 60).planes[0] as Uint8Array))).toBe(true);
  });

  test('rejects planes of the wrong number or size', () => {
    expect(() => resizeToUint8PlanesWithRange(image, 80, 60, [new Uint8Array(80 * 59)])).toThrow(
      /expected 1 output plane\(s\) of 4800 bytes, got 1 of 4720 bytes/,
    );
    expect(() => resizeToUint8PlanesWithRange(image, 80, 60, [])).toThrow(RangeError);
    expect(() => resizeToUint8PlanesWithRange(image, 80, 60, [])).toThrow(/got 0\. Pass one plane per channel/);
  });
});
