import { execFileSync } from 'node:child_process';
import { VolumeStatistics } from '../../../src/preprocess/VolumeStatistics';
import { expectMedsamError } from './expectMedsamError';

/** numpy's 0.5th and 99.5th percentiles of the values above 0, from Debian's Python. */
function numpyPercentiles(frames: ArrayLike<number>[]): { low: number; high: number } {
  const values = frames.flatMap((frame) => Array.from(frame));
  const script =
    'import json, sys, numpy as np\n' +
    'v = np.array(json.load(sys.stdin), dtype=np.float64)\n' +
    'p = v[v > 0]\n' +
    'print(json.dumps([float(np.percentile(p, 0.5)), float(np.percentile(p, 99.5))]))\n';
  const output = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
  const [low, high] = JSON.parse(output) as [number, number];
  return { low, high };
}

/** Builds a frame of `length` pseudo-random values in [offset, offset + spread). */
function frame(length: number, seed: number, spread: number, offset = 0, step = 1): Float32Array {
  const values = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    values[i] = offset + Math.floor(((state >>> 8) % spread) / step) * step;
  }
  return values;
}

function addAll(statistics: VolumeStatistics, frames: Float32Array[]): VolumeStatistics {
  for (const values of frames) statistics.addFrame(values);
  return statistics;
}

describe('VolumeStatistics', () => {
  test('integral frames match numpy', () => {
    const frames = [frame(4000, 1, 900, -100), frame(4000, 2, 1500, -50), frame(4000, 3, 300)];
    const policy = addAll(new VolumeStatistics(), frames).percentilePolicy('volume');
    const expected = numpyPercentiles(frames);
    expect(policy.lowValue).toBe(expected.low);
    expect(policy.highValue).toBe(expected.high);
    expect(policy.source).toBe('volume');
  });

  test('non-integral frame after integral ones matches numpy', () => {
    const frames = [frame(3000, 4, 800), frame(3000, 5, 800), frame(3000, 6, 400, 0.25, 0.5)];
    const statistics = addAll(new VolumeStatistics(), frames);
    const policy = statistics.percentilePolicy('volume');
    const expected = numpyPercentiles(frames);
    expect(policy.lowValue).toBe(expected.low);
    expect(policy.highValue).toBe(expected.high);
  });

  test('frames after a non-integral one match numpy', () => {
    const frames = [frame(2000, 7, 50, 0.5), frame(2000, 8, 5000), frame(2000, 9, 70, -20)];
    const policy = addAll(new VolumeStatistics(), frames).percentilePolicy('volume');
    const expected = numpyPercentiles(frames);
    expect(policy.lowValue).toBe(expected.low);
    expect(policy.highValue).toBe(expected.high);
  });

  test('percentiles can be read between frames', () => {
    const frames = [frame(2000, 10, 600), frame(2000, 11, 1200)];
    const statistics = new VolumeStatistics();
    statistics.addFrame(frames[0] as Float32Array);
    const first = statistics.percentilePolicy('volume');
    statistics.addFrame(frames[1] as Float32Array);
    const both = statistics.percentilePolicy('volume');
    expect(first.highValue).toBe(numpyPercentiles([frames[0] as Float32Array]).high);
    expect(both.highValue).toBe(numpyPercentiles(frames).high);
    expect(statistics.frameCount).toBe(2);
  });

  test('range covers every frame', () => {
    const statistics = addAll(new VolumeStatistics(), [Float32Array.of(-1000, 20), Float32Array.of(5, 1381), Float32Array.of(0)]);
    expect(statistics.range()).toEqual({ min: -1000, max: 1381 });
  });

  test('range before any frame is rejected', () => {
    expect(expectMedsamError(() => new VolumeStatistics().range(), 'pixels/invalid').message).toMatch(/No frame/);
  });

  test('no positive value is rejected', () => {
    const statistics = addAll(new VolumeStatistics(), [new Float32Array(16), Float32Array.of(-3, -1)]);
    expect(expectMedsamError(() => statistics.percentilePolicy('volume'), 'pixels/constant').message).toMatch(/above 0 in the volume/);
  });

  test('NaN is rejected with the frame', () => {
    const statistics = new VolumeStatistics();
    statistics.addFrame(Float32Array.of(1, 2));
    expect(expectMedsamError(() => statistics.addFrame(Float32Array.of(1, Number.NaN)), 'pixels/invalid').message).toMatch(/Frame 2 has the value NaN/);
  });

  test('too many non-integral values make percentiles unavailable', () => {
    const statistics = new VolumeStatistics({ maxKeptValues: 100 });
    statistics.addFrame(frame(60, 12, 40, 0.5));
    statistics.addFrame(frame(60, 13, 40, 0.5));
    expect(expectMedsamError(() => statistics.percentilePolicy('volume'), 'pixels/unsupported').message).toMatch(/more than the 100/);
    expect(statistics.range().max).toBeGreaterThan(0);
  });

  test('integral values are not limited by maxKeptValues', () => {
    const frames = [frame(500, 14, 300), frame(500, 15, 300)];
    const policy = addAll(new VolumeStatistics({ maxKeptValues: 10 }), frames).percentilePolicy('volume');
    expect(policy.highValue).toBe(numpyPercentiles(frames).high);
  });
});
