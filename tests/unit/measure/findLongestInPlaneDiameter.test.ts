import { findLongestInPlaneDiameter } from '../../../src/measure';
import { expectMedsamError } from '../preprocess/expectMedsamError';
import { diskMask, rectangleMask } from './masks';

const unitSpacing = { columnSpacingMm: 1, rowSpacingMm: 1 };

/** Longest centre-to-centre distance over all pairs of mask pixels, for comparison. */
function bruteForceDiameterMm(
  mask: Uint8Array,
  columns: number,
  spacing: { columnSpacingMm: number; rowSpacingMm: number }
): number {
  const points: [number, number][] = [];
  mask.forEach((value, index) => {
    if (value !== 0) {
      points.push([(index % columns) * spacing.columnSpacingMm, Math.floor(index / columns) * spacing.rowSpacingMm]);
    }
  });
  let best = 0;
  for (const a of points) {
    for (const b of points) {
      best = Math.max(best, Math.hypot(a[0] - b[0], a[1] - b[1]));
    }
  }
  return best;
}

/** Deterministic pseudo-random generator (mulberry32) for the random masks. */
function createRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('findLongestInPlaneDiameter', () => {
  test('rectangle mask gives its centre diagonal', () => {
    // Columns 2..5 and rows 1..3: centres 3 and 2 pixels apart, sqrt(9 + 4).
    const mask = rectangleMask({ columns: 10, rows: 8 }, [2, 5], [1, 3]);
    expect(findLongestInPlaneDiameter(mask, { columns: 10, rows: 8 }, unitSpacing)?.lengthMm).toBeCloseTo(Math.sqrt(13), 12);
  });

  test('anisotropic spacing 0.5 x 2 mm', () => {
    // Columns 0..4 at 0.5 mm span 2 mm, rows 0..2 at 2 mm span 4 mm: sqrt(4 + 16).
    const mask = rectangleMask({ columns: 10, rows: 8 }, [0, 4], [0, 2]);
    const diameter = findLongestInPlaneDiameter(mask, { columns: 10, rows: 8 }, { columnSpacingMm: 0.5, rowSpacingMm: 2 });
    expect(diameter?.lengthMm).toBeCloseTo(Math.sqrt(20), 12);
  });

  test('rectangle endpoints are opposite corners', () => {
    const mask = rectangleMask({ columns: 10, rows: 8 }, [2, 5], [1, 3]);
    const diameter = findLongestInPlaneDiameter(mask, { columns: 10, rows: 8 }, unitSpacing)!;
    const ends = [diameter.from, diameter.to].map(point => `${point.column},${point.row}`).sort();
    expect([['2,1', '5,3'], ['2,3', '5,1']]).toContainEqual(ends);
  });

  test('disk of radius 5 px measures 10 px', () => {
    // The farthest centres of a digital disk of radius 5 are (-5, 0) and (5, 0), or (-4, -3) and (4, 3).
    const mask = diskMask({ columns: 15, rows: 15 }, [7, 7], 5);
    expect(findLongestInPlaneDiameter(mask, { columns: 15, rows: 15 }, unitSpacing)?.lengthMm).toBeCloseTo(10, 12);
  });

  test('concave L shape uses its far corners', () => {
    const mask = new Uint8Array(8 * 6);
    mask[0] = 1; // (0, 0)
    mask[7] = 1; // (7, 0)
    mask[5 * 8 + 7] = 1; // (7, 5)
    expect(findLongestInPlaneDiameter(mask, { columns: 8, rows: 6 }, unitSpacing)?.lengthMm).toBeCloseTo(Math.sqrt(74), 12);
  });

  test('single column of pixels', () => {
    const mask = rectangleMask({ columns: 4, rows: 9 }, [2, 2], [1, 7]);
    expect(findLongestInPlaneDiameter(mask, { columns: 4, rows: 9 }, { columnSpacingMm: 1, rowSpacingMm: 0.5 })?.lengthMm).toBeCloseTo(3, 12);
  });

  test('single pixel measures 0', () => {
    const mask = rectangleMask({ columns: 4, rows: 4 }, [1, 1], [2, 2]);
    expect(findLongestInPlaneDiameter(mask, { columns: 4, rows: 4 }, unitSpacing)?.lengthMm).toBe(0);
  });

  test('empty mask returns null', () => {
    expect(findLongestInPlaneDiameter(new Uint8Array(16), { columns: 4, rows: 4 }, unitSpacing)).toBeNull();
  });

  test('matches all pairs on random masks', () => {
    const random = createRandom(7);
    const spacing = { columnSpacingMm: 0.7, rowSpacingMm: 1.9 };
    for (let trial = 0; trial < 20; trial++) {
      const mask = Uint8Array.from({ length: 17 * 13 }, () => (random() < 0.15 ? 1 : 0));
      const diameter = findLongestInPlaneDiameter(mask, { columns: 17, rows: 13 }, spacing);
      expect(diameter?.lengthMm ?? 0).toBeCloseTo(bruteForceDiameterMm(mask, 17, spacing), 9);
    }
  });

  test('wrong mask length is rejected', () => {
    expectMedsamError(() => findLongestInPlaneDiameter(new Uint8Array(15), { columns: 4, rows: 4 }, unitSpacing), 'mask/invalid');
  });

  test('zero spacing is rejected', () => {
    expectMedsamError(
      () => findLongestInPlaneDiameter(new Uint8Array(16), { columns: 4, rows: 4 }, { columnSpacingMm: 0, rowSpacingMm: 1 }),
      'series/invalid'
    );
  });
});
