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

/** Prefilters each row of a row-major `width x height` array in place. */
export function prefilterRows(data: Float64Array, width: number, height: number): void {
  if (width < 2) return;
  const weights = causalInitWeights(width);
  const initLength = significantLength(weights);
  const anticausalScale = POLE / (POLE * POLE - 1);

  for (let row = 0; row < height; row++) {
    const start = row * width;
    const end = start + width;

    let init = 0;
    for (let k = 0; k < initLength; k++) init += (weights[k] as number) * (data[start + k] as number);
    data[start] = init * GAIN;
    for (let i = start + 1; i < end; i++) {
      data[i] = (data[i] as number) * GAIN + POLE * (data[i - 1] as number);
    }

    data[end - 1] = anticausalScale * (POLE * (data[end - 2] as number) + (data[end - 1] as number));
    for (let i = end - 2; i >= start; i--) {
      data[i] = POLE * ((data[i + 1] as number) - (data[i] as number));
    }
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
  const anticausalScale = POLE / (POLE * POLE - 1);
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
    data[last + x] = anticausalScale * (POLE * (data[last - width + x] as number) + (data[last + x] as number));
  }
  for (let y = height - 2; y >= 0; y--) {
    const offset = y * width;
    const next = offset + width;
    for (let x = 0; x < width; x++) {
      data[offset + x] = POLE * ((data[next + x] as number) - (data[offset + x] as number));
    }
  }
}
