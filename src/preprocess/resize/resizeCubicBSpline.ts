import { prefilterColumns, prefilterRows } from './cubicBSplinePrefilter';
import { gaussianBlur } from './gaussianBlur';

/**
 * Zero samples added on every side before the prefilter. scipy.ndimage.zoom
 * (1.10) pads by 12 for its `grid-constant` mode and then filters with mirror
 * boundaries; the same padding here gives the same coefficients.
 */
const PAD_PIXELS = 12;

/** Per-output-sample taps along one axis: 4 source indices and 4 weights each. */
export interface AxisPlan {
  /** First of the 4 source indices (in padded coordinates) for each output sample. */
  firstIndex: Int32Array;
  /** 4 weights per output sample. */
  weights: Float64Array;
  /**
   * True when the taps repeat every 2 outputs and each odd output starts 1
   * source sample after the even one before it, as for an exact 2x upscale
   * (512 to 1024). Even outputs use the weights of output 0, odd ones those
   * of output 1.
   */
  doubling: boolean;
}

const planCache = new Map<string, AxisPlan>();

/**
 * Largest coefficient buffer reused between calls: 8 MiB of float64, enough
 * for a padded 1000x1000 frame. In a Chromium worker, allocating it for
 * every 512x512 slice made two slices out of three about 5 ms slower. A
 * mammogram's 70 MB buffer is not held for the life of the worker.
 */
const MAX_REUSED_COEFFICIENTS = 1 << 20;

/** The coefficient buffer of the last call, or null while a resize is using it. */
let reusableCoefficients: Float64Array | null = new Float64Array(0);

/** Returns a zeroed buffer of `length` floats: the reusable one when its length matches and no resize is using it. */
function takeCoefficients(length: number): Float64Array {
  const reusable = reusableCoefficients;
  if (reusable === null || reusable.length !== length) return new Float64Array(length);
  reusableCoefficients = null;
  reusable.fill(0);
  return reusable;
}

/** Stores `buffer` for the next call when it is small enough. */
function returnCoefficients(buffer: Float64Array): void {
  if (buffer.length <= MAX_REUSED_COEFFICIENTS) reusableCoefficients = buffer;
}

/**
 * Plans cubic B-spline interpolation from `sourceLength` to `targetLength`
 * samples with pixel-centre alignment: output i samples the input at
 * (i + 0.5) * sourceLength / targetLength - 0.5, as skimage's resize does
 * through scipy's zoom with grid_mode=True.
 */
export function planAxis(sourceLength: number, targetLength: number): AxisPlan {
  const key = `${sourceLength}:${targetLength}`;
  const cached = planCache.get(key);
  if (cached) return cached;

  const scale = sourceLength / targetLength;
  const firstIndex = new Int32Array(targetLength);
  const weights = new Float64Array(targetLength * 4);

  for (let i = 0; i < targetLength; i++) {
    const position = (i + 0.5) * scale - 0.5 + PAD_PIXELS;
    const floor = Math.floor(position);
    const t = position - floor;
    const t2 = t * t;
    const t3 = t2 * t;
    const u = 1 - t;
    firstIndex[i] = floor - 1;
    weights[4 * i] = (u * u * u) / 6;
    weights[4 * i + 1] = (4 - 6 * t2 + 3 * t3) / 6;
    weights[4 * i + 2] = (1 + 3 * t + 3 * t2 - 3 * t3) / 6;
    weights[4 * i + 3] = t3 / 6;
  }

  const plan = { firstIndex, weights, doubling: isDoubling(firstIndex, weights) };
  if (planCache.size > 32) planCache.clear();
  planCache.set(key, plan);
  return plan;
}

function isDoubling(firstIndex: Int32Array, weights: Float64Array): boolean {
  if (firstIndex.length < 2 || firstIndex.length % 2 !== 0) return false;
  if (firstIndex[1] !== (firstIndex[0] as number) + 1) return false;
  for (let x = 0; x < firstIndex.length; x++) {
    const pattern = x & 1;
    if (firstIndex[x] !== (firstIndex[pattern] as number) + (x >> 1)) return false;
    for (let k = 0; k < 4; k++) {
      if (weights[4 * x + k] !== weights[4 * pattern + k]) return false;
    }
  }
  return true;
}

/** Receives each output row of `forEachResizedRow`; `row` is reused after the call returns. */
export type ResizedRowSink = (y: number, row: Float64Array) => void;

/**
 * Resizes one channel like skimage 0.19 `resize(image, shape, order=3,
 * mode='constant', cval=0, anti_aliasing=True, preserve_range=True,
 * clip=False)` and returns the float64 result. The steps are a Gaussian
 * anti-aliasing blur with sigma = (scale - 1) / 2 on each axis that
 * shrinks, zero padding, the cubic B-spline prefilter and a separable 4-tap
 * interpolation. Clipping and the uint8 cast are `resizeToUint8Planes`'s job.
 */
export function resizeCubicBSpline(
  source: Uint8Array | Float64Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
): Float64Array {
  const out = new Float64Array(targetWidth * targetHeight);
  forEachResizedRow(source, sourceWidth, sourceHeight, targetWidth, targetHeight, (y, row) => {
    out.set(row, y * targetWidth);
  });
  return out;
}

/**
 * Computes the same resize as `resizeCubicBSpline` one output row at a time,
 * so callers can convert rows without holding the float64 image.
 */
export function forEachResizedRow(
  source: Uint8Array | Float64Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
  sink: ResizedRowSink,
): void {
  const row = new Float64Array(targetWidth);
  resizeRows(source, sourceWidth, sourceHeight, targetWidth, targetHeight, (y, ring, taps) => {
    combineRows(ring, taps, row, targetWidth);
    sink(y, row);
  });
}

/** Float range of a resized channel before clipping. */
export interface ResizedRange {
  min: number;
  max: number;
}

/**
 * Resizes one 8-bit channel and writes trunc(clip(v, 0, high)) of every
 * output value into `out`, in one pass per row. Returns the float min and
 * max of the resized values before the clip, which the caller needs for
 * skimage's clip range.
 */
export function resizeChannelToUint8(
  source: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
  high: number,
  out: Uint8Array,
): ResizedRange {
  const range = { min: Infinity, max: -Infinity };
  resizeRows(
    source,
    sourceWidth,
    sourceHeight,
    targetWidth,
    targetHeight,
    (y, ring, taps) => combineRowsToUint8(ring, taps, targetWidth, high, out, y * targetWidth, range),
    (y, ring, taps) => combineRowPairToUint8(ring, taps, targetWidth, high, out, y * targetWidth, range),
  );
  return range;
}

/** Offsets of the 4 ring rows that one output row combines, and their y weights. */
interface RowTaps {
  r0: number;
  r1: number;
  r2: number;
  r3: number;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
}

/** Receives the ring buffer and the taps of output row `y`. */
type RowCombiner = (y: number, ring: Float64Array, taps: Readonly<RowTaps>) => void;

/**
 * Offsets of the 5 ring rows that output rows y and y + 1 of a doubling
 * plan combine: row y uses r0..r3 with the weights a0..a3, row y + 1 uses
 * r1..r4 with b0..b3.
 */
interface RowPairTaps {
  r0: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  a0: number;
  a1: number;
  a2: number;
  a3: number;
  b0: number;
  b1: number;
  b2: number;
  b3: number;
}

/** Receives the ring buffer and the taps of output rows `y` and `y + 1`. */
type RowPairCombiner = (y: number, ring: Float64Array, taps: Readonly<RowPairTaps>) => void;

/** Rows in the ring buffer of x-interpolated source rows: a power of two of at least 5. */
const RING_ROWS = 8;

/**
 * Runs the resize up to the last step: anti-aliasing, padding, prefilter,
 * and the x interpolation of the source rows that each output row needs.
 * The x-interpolated rows live in a ring buffer because each output row
 * needs 4 consecutive source rows and the first index never decreases.
 * `combine` does the y interpolation of each output row. When the y plan
 * is a doubling one and `combinePair` is given, it does each pair of
 * output rows instead, from the 5 source rows they share.
 */
function resizeRows(
  source: Uint8Array | Float64Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
  combine: RowCombiner,
  combinePair?: RowPairCombiner,
): void {
  const paddedWidth = sourceWidth + 2 * PAD_PIXELS;
  const paddedHeight = sourceHeight + 2 * PAD_PIXELS;
  const coefficients = takeCoefficients(paddedWidth * paddedHeight);
  try {
    interpolateRows(source, sourceWidth, sourceHeight, targetWidth, targetHeight, coefficients, combine, combinePair);
  } finally {
    returnCoefficients(coefficients);
  }
}

/** `resizeRows` with its zeroed coefficient buffer of the padded size. */
function interpolateRows(
  source: Uint8Array | Float64Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
  coefficients: Float64Array,
  combine: RowCombiner,
  combinePair: RowPairCombiner | undefined,
): void {
  const scaleY = sourceHeight / targetHeight;
  const scaleX = sourceWidth / targetWidth;
  const sigmaY = Math.max(0, (scaleY - 1) / 2);
  const sigmaX = Math.max(0, (scaleX - 1) / 2);
  const paddedWidth = sourceWidth + 2 * PAD_PIXELS;
  const paddedHeight = sourceHeight + 2 * PAD_PIXELS;
  const interior = { data: coefficients, offset: PAD_PIXELS * paddedWidth + PAD_PIXELS, stride: paddedWidth };
  if (sigmaY > 0 || sigmaX > 0) {
    gaussianBlur(source, sourceWidth, sourceHeight, sigmaY, sigmaX, interior);
  } else {
    for (let y = 0; y < sourceHeight; y++) {
      coefficients.set(source.subarray(y * sourceWidth, (y + 1) * sourceWidth), interior.offset + y * paddedWidth);
    }
  }
  prefilterRows(coefficients, paddedWidth, paddedHeight);
  prefilterColumns(coefficients, paddedWidth, paddedHeight);

  const planX = planAxis(sourceWidth, targetWidth);
  const planY = planAxis(sourceHeight, targetHeight);
  const ring = new Float64Array(RING_ROWS * targetWidth);
  const ringRows = new Int32Array(RING_ROWS).fill(-1);
  const { weights } = planY;
  const slotOffset = (sourceRow: number) => (sourceRow & (RING_ROWS - 1)) * targetWidth;
  const loadRows = (first: number, count: number) => {
    for (let k = 0; k < count; k++) {
      const sourceRow = first + k;
      const slot = sourceRow & (RING_ROWS - 1);
      if (ringRows[slot] !== sourceRow) {
        interpolateRow(coefficients, sourceRow * paddedWidth, planX, ring, slot * targetWidth, targetWidth);
        ringRows[slot] = sourceRow;
      }
    }
  };

  if (combinePair && planY.doubling) {
    // A doubling plan repeats the weights of rows 0 and 1 for every pair.
    const weightAt = (index: number) => weights[index] as number;
    const pair: RowPairTaps = {
      r0: 0,
      r1: 0,
      r2: 0,
      r3: 0,
      r4: 0,
      a0: weightAt(0),
      a1: weightAt(1),
      a2: weightAt(2),
      a3: weightAt(3),
      b0: weightAt(4),
      b1: weightAt(5),
      b2: weightAt(6),
      b3: weightAt(7),
    };
    for (let y = 0; y < targetHeight; y += 2) {
      const first = planY.firstIndex[y] as number;
      loadRows(first, 5);
      pair.r0 = slotOffset(first);
      pair.r1 = slotOffset(first + 1);
      pair.r2 = slotOffset(first + 2);
      pair.r3 = slotOffset(first + 3);
      pair.r4 = slotOffset(first + 4);
      combinePair(y, ring, pair);
    }
    return;
  }

  const taps: RowTaps = { r0: 0, r1: 0, r2: 0, r3: 0, w0: 0, w1: 0, w2: 0, w3: 0 };
  for (let y = 0; y < targetHeight; y++) {
    const first = planY.firstIndex[y] as number;
    loadRows(first, 4);
    taps.r0 = slotOffset(first);
    taps.r1 = slotOffset(first + 1);
    taps.r2 = slotOffset(first + 2);
    taps.r3 = slotOffset(first + 3);
    taps.w0 = weights[4 * y] as number;
    taps.w1 = weights[4 * y + 1] as number;
    taps.w2 = weights[4 * y + 2] as number;
    taps.w3 = weights[4 * y + 3] as number;
    combine(y, ring, taps);
  }
}

/** Interpolates one padded coefficient row along x into `out` at `outOffset`. */
function interpolateRow(
  coefficients: Float64Array,
  inOffset: number,
  plan: AxisPlan,
  out: Float64Array,
  outOffset: number,
  targetWidth: number,
): void {
  const { firstIndex, weights } = plan;
  if (plan.doubling) {
    interpolateDoubling(coefficients, inOffset, plan, out, outOffset, targetWidth);
    return;
  }
  for (let x = 0; x < targetWidth; x++) {
    const i = inOffset + (firstIndex[x] as number);
    const w = 4 * x;
    out[outOffset + x] =
      (weights[w] as number) * (coefficients[i] as number) +
      (weights[w + 1] as number) * (coefficients[i + 1] as number) +
      (weights[w + 2] as number) * (coefficients[i + 2] as number) +
      (weights[w + 3] as number) * (coefficients[i + 3] as number);
  }
}

/**
 * Computes `interpolateRow` for a doubling plan. Each pair of outputs
 * reads 5 consecutive coefficients once and uses the two weight sets held
 * in locals. The products and sums are the same, in the same order, so the
 * result is identical.
 */
function interpolateDoubling(
  coefficients: Float64Array,
  inOffset: number,
  plan: AxisPlan,
  out: Float64Array,
  outOffset: number,
  targetWidth: number,
): void {
  const { firstIndex, weights } = plan;
  const a0 = weights[0] as number;
  const a1 = weights[1] as number;
  const a2 = weights[2] as number;
  const a3 = weights[3] as number;
  const b0 = weights[4] as number;
  const b1 = weights[5] as number;
  const b2 = weights[6] as number;
  const b3 = weights[7] as number;
  let i = inOffset + (firstIndex[0] as number);
  for (let x = 0; x < targetWidth; x += 2, i++) {
    const c0 = coefficients[i] as number;
    const c1 = coefficients[i + 1] as number;
    const c2 = coefficients[i + 2] as number;
    const c3 = coefficients[i + 3] as number;
    const c4 = coefficients[i + 4] as number;
    out[outOffset + x] = a0 * c0 + a1 * c1 + a2 * c2 + a3 * c3;
    out[outOffset + x + 1] = b0 * c1 + b1 * c2 + b2 * c3 + b3 * c4;
  }
}

/** Combines the 4 ring rows of `taps` with their y weights into `out`. */
function combineRows(ring: Float64Array, taps: Readonly<RowTaps>, out: Float64Array, targetWidth: number): void {
  const { r0, r1, r2, r3, w0, w1, w2, w3 } = taps;
  for (let x = 0; x < targetWidth; x++) {
    out[x] =
      w0 * (ring[r0 + x] as number) +
      w1 * (ring[r1 + x] as number) +
      w2 * (ring[r2 + x] as number) +
      w3 * (ring[r3 + x] as number);
  }
}

/**
 * `combineRows` followed by trunc(clip(v, 0, high)) into `out` at `outOffset`,
 * widening `range` to the row's float min and max. Uint8Array stores
 * ToUint8(v), which truncates toward zero.
 */
function combineRowsToUint8(
  ring: Float64Array,
  taps: Readonly<RowTaps>,
  targetWidth: number,
  high: number,
  out: Uint8Array,
  outOffset: number,
  range: ResizedRange,
): void {
  const { r0, r1, r2, r3, w0, w1, w2, w3 } = taps;
  let min = range.min;
  let max = range.max;
  for (let x = 0; x < targetWidth; x++) {
    let v =
      w0 * (ring[r0 + x] as number) +
      w1 * (ring[r1 + x] as number) +
      w2 * (ring[r2 + x] as number) +
      w3 * (ring[r3 + x] as number);
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < 0) v = 0;
    else if (v > high) v = high;
    out[outOffset + x] = v;
  }
  range.min = min;
  range.max = max;
}

/**
 * `combineRowsToUint8` for output rows y and y + 1 of a doubling plan, in
 * one pass that loads each of the 5 shared ring values once. Each output
 * value is the same sum of the same products in the same order, so both
 * rows are bit for bit those of two `combineRowsToUint8` calls.
 */
function combineRowPairToUint8(
  ring: Float64Array,
  taps: Readonly<RowPairTaps>,
  targetWidth: number,
  high: number,
  out: Uint8Array,
  outOffset: number,
  range: ResizedRange,
): void {
  const { r0, r1, r2, r3, r4, a0, a1, a2, a3, b0, b1, b2, b3 } = taps;
  const nextRow = outOffset + targetWidth;
  let min = range.min;
  let max = range.max;
  for (let x = 0; x < targetWidth; x++) {
    const c0 = ring[r0 + x] as number;
    const c1 = ring[r1 + x] as number;
    const c2 = ring[r2 + x] as number;
    const c3 = ring[r3 + x] as number;
    const c4 = ring[r4 + x] as number;
    let v = a0 * c0 + a1 * c1 + a2 * c2 + a3 * c3;
    let u = b0 * c1 + b1 * c2 + b2 * c3 + b3 * c4;
    if (v < min) min = v;
    if (v > max) max = v;
    if (u < min) min = u;
    if (u > max) max = u;
    if (v < 0) v = 0;
    else if (v > high) v = high;
    if (u < 0) u = 0;
    else if (u > high) u = high;
    out[outOffset + x] = v;
    out[nextRow + x] = u;
  }
  range.min = min;
  range.max = max;
}
