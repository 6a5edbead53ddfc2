/**
 * Normalised Gaussian kernel with radius `trunc(4 * sigma + 0.5)` samples,
 * the truncation scipy.ndimage.gaussian_filter uses by default (truncate=4.0).
 */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.trunc(4 * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  const exponentScale = -0.5 / (sigma * sigma);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const weight = Math.exp(exponentScale * k * k);
    kernel[k + radius] = weight;
    sum += weight;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

/**
 * Blurs a row-major `width x height` array with a separable Gaussian
 * (standard deviations in pixels along y and x; 0 skips that axis). Samples
 * outside the image count as 0, like scipy's mode 'constant' with cval 0,
 * which skimage's `resize(mode='constant')` passes to its anti-aliasing filter.
 */
export function gaussianBlur(
  data: Float64Array,
  width: number,
  height: number,
  sigmaYPixels: number,
  sigmaXPixels: number,
): Float64Array {
  let result = data;
  if (sigmaYPixels > 0) result = blurColumns(result, width, height, gaussianKernel(sigmaYPixels));
  if (sigmaXPixels > 0) result = blurRows(result, width, height, gaussianKernel(sigmaXPixels));
  return result;
}

function blurRows(data: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const out = new Float64Array(data.length);
  const radius = (kernel.length - 1) / 2;
  for (let y = 0; y < height; y++) {
    const offset = y * width;
    for (let x = 0; x < width; x++) {
      const first = Math.max(0, x - radius);
      const last = Math.min(width - 1, x + radius);
      let sum = 0;
      for (let s = first; s <= last; s++) {
        sum += (kernel[s - x + radius] as number) * (data[offset + s] as number);
      }
      out[offset + x] = sum;
    }
  }
  return out;
}

function blurColumns(data: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const out = new Float64Array(data.length);
  const radius = (kernel.length - 1) / 2;
  for (let y = 0; y < height; y++) {
    const first = Math.max(0, y - radius);
    const last = Math.min(height - 1, y + radius);
    const outOffset = y * width;
    for (let s = first; s <= last; s++) {
      const weight = kernel[s - y + radius] as number;
      const inOffset = s * width;
      for (let x = 0; x < width; x++) {
        out[outOffset + x] = (out[outOffset + x] as number) + weight * (data[inOffset + x] as number);
      }
    }
  }
  return out;
}
