/**
 * Cubic B-spline interpolation prefilter (Unser, "Splines: a perfect fit for
 * signal and image processing", IEEE Signal Processing Magazine 1999):
 * turns samples into B-spline coefficients so that the spline passes through
 * the samples. One pole z = sqrt(3) - 2 with gain 6, one causal and one
 * anti-causal first-order recursion per line, and mirror-symmetric
 * boundaries (x[-k] = x[k]), the boundary scipy.ndimage 1.10 uses for its
 * `grid-constant` mode after padding (see `resizeCubicBSpline`).
 */

const POLE = Math.sqrt(3) - 2;
const GAIN = 6;
const ANTICAUSAL_SCALE = POLE / (POLE * POLE - 1);

/**
 * Weights of the exact mirror-boundary causal initial value for a line of
 * `n` samples: c[0] = sum_k weight[k] * x[k]. The sum runs over one period
 * (2n - 2 samples) of the mirrored signal, divided by 1 - z^(2n-2).
 */
function causalInitWeights(n: number): Float64Array {
  const weights = new Float64Array(n);
  const denominator = 1 - Math.pow(POLE, 2 * n - 2);
  weights[0] = 1 / denominator;
  for (let k = 1; k < n - 1; k++) {
    weights[k] = (Math.pow(POLE, k) + Math.pow(POLE, 2 * n - 2 - k)) / denominator;
  }
  if (n > 1) {
    weights[n - 1] = Math.pow(POLE, n - 1) / denominator;
  }
  return weights;
}

/** Returns the number of leading weights to use, dropping trailing weights below 1e-18. */
function significantLength(weights: Float64Array): number {
  let length = weights.length;
  while (length > 1 && Math.abs(weights[length - 1] as number) < 1e-18) length--;
  return length;
}

/**
 * Prefilters each row of a row-major `width x height` array in place. Four
 * rows run side by side, because one row's recursion is a serial chain of
 * dependent multiply-adds and four independent chains keep the CPU busy.
 */
export function prefilterRows(data: Float64Array, width: number, height: number): void {
  if (width < 2) return;
  const weights = causalInitWeights(width);
  const initLength = significantLength(weights);

  let row = 0;
  for (; row + 3 < height; row += 4) {
    prefilterFourRows(data, row * width, width, weights, initLength);
  }
  for (; row < height; row++) {
    prefilterRow(data, row * width, width, weights, initLength);
  }
}

function prefilterRow(data: Float64Array, start: number, width: number, weights: Float64Array, initLength: number): void {
  const end = start + width;
  let init = 0;
  for (let k = 0; k < initLength; k++) init += (weights[k] as number) * (data[start + k] as number);

  let causal = init * GAIN;
  data[start] = causal;
  for (let i = start + 1; i < end; i++) {
    causal = (data[i] as number) * GAIN + POLE * causal;
    data[i] = causal;
  }

  let anticausal = ANTICAUSAL_SCALE * (POLE * (data[end - 2] as number) + causal);
  data[end - 1] = anticausal;
  for (let i = end - 2; i >= start; i--) {
    anticausal = POLE * (anticausal - (data[i] as number));
    data[i] = anticausal;
  }
}

function prefilterFourRows(
  data: Float64Array,
  start: number,
  width: number,
  weights: Float64Array,
  initLength: number,
): void {
  const s0 = start;
  const s1 = start + width;
  const s2 = s1 + width;
  const s3 = s2 + width;

  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let k = 0; k < initLength; k++) {
    const weight = weights[k] as number;
    c0 += weight * (data[s0 + k] as number);
    c1 += weight * (data[s1 + k] as number);
    c2 += weight * (data[s2 + k] as number);
    c3 += weight * (data[s3 + k] as number);
  }
  c0 *= GAIN;
  c1 *= GAIN;
  c2 *= GAIN;
  c3 *= GAIN;
  data[s0] = c0;
  data[s1] = c1;
  data[s2] = c2;
  data[s3] = c3;

  for (let i = 1; i < width; i++) {
    c0 = (data[s0 + i] as number) * GAIN + POLE * c0;
    c1 = (data[s1 + i] as number) * GAIN + POLE * c1;
    c2 = (data[s2 + i] as number) * GAIN + POLE * c2;
    c3 = (data[s3 + i] as number) * GAIN + POLE * c3;
    data[s0 + i] = c0;
    data[s1 + i] = c1;
    data[s2 + i] = c2;
    data[s3 + i] = c3;
  }

  const last = width - 1;
  c0 = ANTICAUSAL_SCALE * (POLE * (data[s0 + last - 1] as number) + c0);
  c1 = ANTICAUSAL_SCALE * (POLE * (data[s1 + last - 1] as number) + c1);
  c2 = ANTICAUSAL_SCALE * (POLE * (data[s2 + last - 1] as number) + c2);
  c3 = ANTICAUSAL_SCALE * (POLE * (data[s3 + last - 1] as number) + c3);
  data[s0 + last] = c0;
  data[s1 + last] = c1;
  data[s2 + last] = c2;
  data[s3 + last] = c3;

  for (let i = last - 1; i >= 0; i--) {
    c0 = POLE * (c0 - (data[s0 + i] as number));
    c1 = POLE * (c1 - (data[s1 + i] as number));
    c2 = POLE * (c2 - (data[s2 + i] as number));
    c3 = POLE * (c3 - (data[s3 + i] as number));
    data[s0 + i] = c0;
    data[s1 + i] = c1;
    data[s2 + i] = c2;
    data[s3 + i] = c3;
  }
}

/**
 * Prefilters each column of a row-major `width x height` array in place.
 * The recursions run over whole rows at a time, so memory is read in order.
 */
export function prefilterColumns(data: Float64Array, width: number, height: number): void {
  if (height < 2) return;
  const weights = causalInitWeights(height);
  const initLength = significantLength(weights);
  const init = new Float64Array(width);

  for (let k = 0; k < initLength; k++) {
    const weight = weights[k] as number;
    const offset = k * width;
    for (let x = 0; x < width; x++) init[x] = (init[x] as number) + weight * (data[offset + x] as number);
  }
  for (let x = 0; x < width; x++) data[x] = (init[x] as number) * GAIN;

  for (let y = 1; y < height; y++) {
    const offset = y * width;
    const previous = offset - width;
    for (let x = 0; x < width; x++) {
      data[offset + x] = (data[offset + x] as number) * GAIN + POLE * (data[previous + x] as number);
    }
  }

  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    data[last + x] = ANTICAUSAL_SCALE * (POLE * (data[last - width + x] as number) + (data[last + x] as number));
  }
  for (let y = height - 2; y >= 0; y--) {
    const offset = y * width;
    const next = offset + width;
    for (let x = 0; x < width; x++) {
      data[offset + x] = POLE * ((data[next + x] as number) - (data[offset + x] as number));
    }
  }
}
