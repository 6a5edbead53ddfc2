import { MedsamError } from '../MedsamError';
import type { InPlaneDiameter } from './SegmentationMeasurement';

/** A mask pixel centre in mm from the first pixel centre, with its indices. */
interface PointMm {
  x: number;
  y: number;
  column: number;
  row: number;
}

/**
 * Finds the longest distance between the centres of two non-zero pixels of
 * one row-major mask, with `columnSpacingMm` between columns (x) and
 * `rowSpacingMm` between rows (y). Returns null for an empty mask and a
 * length of 0 for a single pixel.
 *
 * The result is exact, not sampled: the farthest pair of a point set lies
 * on its convex hull, and every hull vertex is the leftmost or rightmost
 * mask pixel of its row. The function takes those at most 2 x rows
 * points, builds their hull (Andrew's monotone chain) and compares every
 * pair of hull vertices. Distances are between pixel centres, so a
 * segment n pixels long measures (n - 1) x spacing.
 *
 * Throws MedsamError `mask/invalid` when `mask` is not `columns * rows`
 * long, and `series/invalid` for a spacing that is not a positive number.
 */
export function findLongestInPlaneDiameter(
  mask: Uint8Array,
  size: { columns: number; rows: number },
  spacing: { columnSpacingMm: number; rowSpacingMm: number }
): InPlaneDiameter | null {
  const { columns, rows } = size;
  if (mask.length !== columns * rows) {
    throw new MedsamError(
      'mask/invalid',
      `The mask has ${mask.length} values, but a ${columns}x${rows} image needs ${columns * rows}.`
    );
  }
  for (const [name, value] of Object.entries(spacing)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new MedsamError('series/invalid', `The ${name} ${value} is invalid: expected a positive number of millimetres.`);
    }
  }

  const candidates = collectRowExtremes(mask, size, spacing);
  if (candidates.length === 0) {
    return null;
  }
  const hull = convexHull(candidates);

  let best = { lengthSquared: -1, from: hull[0]!, to: hull[0]! };
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    for (let j = i; j < hull.length; j++) {
      const b = hull[j]!;
      const lengthSquared = (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
      if (lengthSquared > best.lengthSquared) {
        best = { lengthSquared, from: a, to: b };
      }
    }
  }

  return {
    lengthMm: Math.sqrt(best.lengthSquared),
    from: { column: best.from.column, row: best.from.row },
    to: { column: best.to.column, row: best.to.row },
  };
}

/** Collects the leftmost and rightmost non-zero pixel of every row, in mm. */
function collectRowExtremes(
  mask: Uint8Array,
  { columns, rows }: { columns: number; rows: number },
  { columnSpacingMm, rowSpacingMm }: { columnSpacingMm: number; rowSpacingMm: number }
): PointMm[] {
  const points: PointMm[] = [];
  for (let row = 0; row < rows; row++) {
    const rowStart = row * columns;
    let left = -1;
    let right = -1;
    for (let column = 0; column < columns; column++) {
      if (mask[rowStart + column] !== 0) {
        if (left < 0) left = column;
        right = column;
      }
    }
    if (left < 0) {
      continue;
    }
    points.push({ x: left * columnSpacingMm, y: row * rowSpacingMm, column: left, row });
    if (right !== left) {
      points.push({ x: right * columnSpacingMm, y: row * rowSpacingMm, column: right, row });
    }
  }
  return points;
}

/** Andrew's monotone chain; collinear points are dropped, and one or two points come back as they are. */
function convexHull(points: PointMm[]): PointMm[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) {
    return sorted;
  }
  const turn = (o: PointMm, a: PointMm, b: PointMm): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

  const lower: PointMm[] = [];
  for (const point of sorted) {
    while (lower.length >= 2 && turn(lower[lower.length - 2]!, lower[lower.length - 1]!, point) <= 0) {
      lower.pop();
    }
    lower.push(point);
  }
  const upper: PointMm[] = [];
  for (let index = sorted.length - 1; index >= 0; index--) {
    const point = sorted[index]!;
    while (upper.length >= 2 && turn(upper[upper.length - 2]!, upper[upper.length - 1]!, point) <= 0) {
      upper.pop();
    }
    upper.push(point);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}
