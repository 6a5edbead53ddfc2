/**
 * Normalised Gaussian kernel with radius `trunc(4 * sigma + 0.5)` samples,
 * the truncation scipy.ndimage.gaussian_filter uses by default (truncate=4.0).
 * The exponent and the normalising sum follow numpy's evaluation order
 * (`-0.5 / sigma**2 * x**2`, pairwise summation) so that plateaus blur to
 * the same float64 values as in scipy.
 */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.trunc(4 * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  const exponentScale = -0.5 / (sigma * sigma);
  for (let k = -radius; k <= radius; k++) {
    kernel[k + radius] = Math.exp(exponentScale * (k * k));
  }
  const sum = numpyPairwiseSum(kernel);
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

/**
 * Sums like numpy's pairwise summation for arrays of up to 128 values:
 * a plain loop below 8 values, otherwise 8 interleaved partial sums.
 */
function numpyPairwiseSum(values: Float64Array): number {
  const n = values.length;
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i] as number;
    return sum;
  }
  if (n > 128) throw new RangeError(`Kernel of ${n} taps is longer than this summation supports (128).`);

  const partial = Array.from(values.subarray(0, 8));
  let i = 8;
  for (; i < n - (n % 8); i += 8) {
    for (let j = 0; j < 8; j++) partial[j] = (partial[j] as number) + (values[i + j] as number);
  }
  const [p0, p1, p2, p3, p4, p5, p6, p7] = partial as [number, number, number, number, number, number, number, number];
  let sum = p0 + p1 + (p2 + p3) + (p4 + p5 + (p6 + p7));
  for (; i < n; i++) sum += values[i] as number;
  return sum;
}

/** Destination of a blur: `width x height` values written at `offset` with `stride` per row. */
export interface BlurTarget {
  data: Float64Array;
  offset: number;
  stride: number;
}

/**
 * Blurs a row-major `width x height` image with a separable Gaussian
 * (standard deviations in pixels along y, then x, as scipy filters axis 0
 * first; 0 skips that axis) and writes the result into `target`. Samples
 * outside the image count as 0, like scipy's mode 'constant' with cval 0,
 * which skimage's `resize(mode='constant')` passes to its anti-aliasing
 * filter. The symmetric sums pair taps, outermost first, the way scipy's
 * correlate1d does.
 */
export function gaussianBlur(
  source: Uint8Array | Float64Array,
  width: number,
  height: number,
  sigmaYPixels: number,
  sigmaXPixels: number,
  target: BlurTarget,
): void {
  let columnsBlurred: Uint8Array | Float64Array = source;
  if (sigmaYPixels > 0) {
    const blurred = new Float64Array(width * height);
    blurColumns(source, width, height, gaussianKernel(sigmaYPixels), blurred);
    columnsBlurred = blurred;
  }

  if (sigmaXPixels > 0) {
    blurRows(columnsBlurred, width, height, gaussianKernel(sigmaXPixels), target);
    return;
  }
  for (let y = 0; y < height; y++) {
    target.data.set(columnsBlurred.subarray(y * width, (y + 1) * width), target.offset + y * target.stride);
  }
}

function blurColumns(
  source: Uint8Array | Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  out: Float64Array,
): void {
  const radius = (kernel.length - 1) / 2;
  const center = kernel[radius] as number;
  for (let y = 0; y < height; y++) {
    const outOffset = y * width;
    const inOffset = y * width;
    for (let x = 0; x < width; x++) out[outOffset + x] = (source[inOffset + x] as number) * center;

    for (let j = radius; j >= 1; j--) {
      const weight = kernel[radius + j] as number;
      const above = y - j >= 0 ? (y - j) * width : -1;
      const below = y + j < height ? (y + j) * width : -1;
      if (above >= 0 && below >= 0) {
        for (let x = 0; x < width; x++) {
          out[outOffset + x] =
            (out[outOffset + x] as number) + ((source[above + x] as number) + (source[below + x] as number)) * weight;
        }
      } else if (above >= 0 || below >= 0) {
        const only = above >= 0 ? above : below;
        for (let x = 0; x < width; x++) {
          out[outOffset + x] = (out[outOffset + x] as number) + (source[only + x] as number) * weight;
        }
      }
    }
  }
}

function blurRows(
  source: Uint8Array | Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
  target: BlurTarget,
): void {
  const radius = (kernel.length - 1) / 2;
  const center = kernel[radius] as number;
  const { data, offset, stride } = target;

  for (let y = 0; y < height; y++) {
    const inOffset = y * width;
    const outOffset = offset + y * stride;
    for (let x = 0; x < width; x++) {
      const i = inOffset + x;
      let sum = (source[i] as number) * center;
      if (x >= radius && x + radius < width) {
        for (let j = radius; j >= 1; j--) {
          sum += ((source[i - j] as number) + (source[i + j] as number)) * (kernel[radius + j] as number);
        }
      } else {
        for (let j = radius; j >= 1; j--) {
          const left = x - j >= 0 ? (source[i - j] as number) : 0;
          const right = x + j < width ? (source[i + j] as number) : 0;
          sum += (left + right) * (kernel[radius + j] as number);
        }
      }
      data[outOffset + x] = sum;
    }
  }
}
