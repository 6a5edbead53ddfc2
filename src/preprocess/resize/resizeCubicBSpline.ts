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
}

const planCache = new Map<string, AxisPlan>();

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

  const plan = { firstIndex, weights };
  if (planCache.size > 32) planCache.clear();
  planCache.set(key, plan);
  return plan;
}

/**
 * Resizes one channel like skimage 0.19 `resize(image, shape, order=3,
 * mode='constant', cval=0, anti_aliasing=True, preserve_range=True,
 * clip=False)`: a Gaussian anti-aliasing blur with sigma = (scale - 1) / 2 on
 * each axis that shrinks, zero padding, the cubic B-spline prefilter and a
 * separable 4-tap interpolation. Computes in float64; clipping and the uint8
 * cast are the caller's (see `resizeToUint8Planes`).
 */
export function resizeCubicBSpline(
  source: Uint8Array | Float64Array,
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
): Float64Array {
  const scaleY = sourceHeight / targetHeight;
  const scaleX = sourceWidth / targetWidth;
  const sigmaY = Math.max(0, (scaleY - 1) / 2);
  const sigmaX = Math.max(0, (scaleX - 1) / 2);

  let input: Uint8Array | Float64Array = source;
  if (sigmaY > 0 || sigmaX > 0) {
    input = gaussianBlur(Float64Array.from(source), sourceWidth, sourceHeight, sigmaY, sigmaX);
  }

  const paddedWidth = sourceWidth + 2 * PAD_PIXELS;
  const paddedHeight = sourceHeight + 2 * PAD_PIXELS;
  const coefficients = padWithZeros(input, sourceWidth, sourceHeight);
  prefilterRows(coefficients, paddedWidth, paddedHeight);
  prefilterColumns(coefficients, paddedWidth, paddedHeight);

  const planX = planAxis(sourceWidth, targetWidth);
  const planY = planAxis(sourceHeight, targetHeight);
  const firstRow = planY.firstIndex[0] as number;
  const lastRow = (planY.firstIndex[targetHeight - 1] as number) + 3;

  const horizontal = interpolateRows(coefficients, paddedWidth, firstRow, lastRow, planX, targetWidth);
  return interpolateColumns(horizontal, firstRow, planY, targetWidth, targetHeight);
}

function padWithZeros(source: Uint8Array | Float64Array, width: number, height: number): Float64Array {
  const paddedWidth = width + 2 * PAD_PIXELS;
  const padded = new Float64Array(paddedWidth * (height + 2 * PAD_PIXELS));
  for (let y = 0; y < height; y++) {
    const row = source.subarray(y * width, (y + 1) * width);
    padded.set(row, (y + PAD_PIXELS) * paddedWidth + PAD_PIXELS);
  }
  return padded;
}

/** Interpolates along x for padded rows firstRow..lastRow; returns (lastRow - firstRow + 1) x targetWidth. */
function interpolateRows(
  coefficients: Float64Array,
  paddedWidth: number,
  firstRow: number,
  lastRow: number,
  plan: AxisPlan,
  targetWidth: number,
): Float64Array {
  const { firstIndex, weights } = plan;
  const out = new Float64Array((lastRow - firstRow + 1) * targetWidth);
  for (let row = firstRow; row <= lastRow; row++) {
    const inOffset = row * paddedWidth;
    const outOffset = (row - firstRow) * targetWidth;
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
  return out;
}

/** Interpolates along y. `rows` contains the x-interpolated padded rows, starting at `firstRow`. */
function interpolateColumns(
  rows: Float64Array,
  firstRow: number,
  plan: AxisPlan,
  targetWidth: number,
  targetHeight: number,
): Float64Array {
  const { firstIndex, weights } = plan;
  const out = new Float64Array(targetWidth * targetHeight);
  for (let y = 0; y < targetHeight; y++) {
    const r0 = ((firstIndex[y] as number) - firstRow) * targetWidth;
    const r1 = r0 + targetWidth;
    const r2 = r1 + targetWidth;
    const r3 = r2 + targetWidth;
    const w0 = weights[4 * y] as number;
    const w1 = weights[4 * y + 1] as number;
    const w2 = weights[4 * y + 2] as number;
    const w3 = weights[4 * y + 3] as number;
    const outOffset = y * targetWidth;
    for (let x = 0; x < targetWidth; x++) {
      out[outOffset + x] =
        w0 * (rows[r0 + x] as number) +
        w1 * (rows[r1 + x] as number) +
        w2 * (rows[r2 + x] as number) +
        w3 * (rows[r3 + x] as number);
    }
  }
  return out;
}
