import type { Uint8Image } from '../Uint8Image';
import { forEachResizedRow } from './resizeCubicBSpline';

/**
 * Resizes an 8-bit image to `targetWidth x targetHeight` the way MedSAM's
 * `skimage.transform.resize(img, (1024, 1024), order=3, mode='constant',
 * preserve_range=True, anti_aliasing=True).astype(np.uint8)` does, and
 * returns one plane per channel (1 for grayscale, whose 3 model channels are
 * identical, 3 for RGB).
 *
 * Overshoot: skimage's default clip=True limits the float result to the
 * input's [min, max] over all channels. The range is widened to include
 * cval 0 when the input minimum is above 0 and the result reaches 0, which
 * happens because the zero padding pulls the border down. The cast then
 * truncates toward zero. Values therefore never wrap, and this function
 * reproduces both steps.
 */
export function resizeToUint8Planes(
  image: Uint8Image,
  targetWidth: number,
  targetHeight: number,
): Uint8Array[] {
  const { width, height, samplesPerPixel, data } = image;
  const channels = splitChannels(data, samplesPerPixel);

  let inputMin = 255;
  let inputMax = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < inputMin) inputMin = v;
    if (v > inputMax) inputMax = v;
  }

  // Rows are first clipped to [0, inputMax]. Whether the low bound is 0 or
  // inputMin depends on the minimum over all channels, known only at the end.
  let outputMin = Infinity;
  let outputMax = -Infinity;
  const planes = channels.map((channel) => {
    const plane = new Uint8Array(targetWidth * targetHeight);
    forEachResizedRow(channel, width, height, targetWidth, targetHeight, (y, row) => {
      const range = clipRowToUint8(row, inputMax, plane, y * targetWidth);
      if (range.min < outputMin) outputMin = range.min;
      if (range.max > outputMax) outputMax = range.max;
    });
    return plane;
  });

  const keepsZero = inputMin > 0 && outputMin <= 0 && outputMax >= 0;
  if (inputMin > 0 && !keepsZero) {
    // trunc(clip(v, 0, max)) raised to inputMin equals trunc(clip(v, inputMin, max)) for integer inputMin.
    for (const plane of planes) {
      for (let i = 0; i < plane.length; i++) {
        if ((plane[i] as number) < inputMin) plane[i] = inputMin;
      }
    }
  }
  return planes;
}

/**
 * Writes trunc(clip(v, 0, high)) for one row and returns the row's float
 * min and max. Uint8Array stores ToUint8(v), which truncates toward zero.
 */
function clipRowToUint8(
  row: Float64Array,
  high: number,
  out: Uint8Array,
  offset: number,
): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let x = 0; x < row.length; x++) {
    const v = row[x] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < 0) out[offset + x] = 0;
    else if (v > high) out[offset + x] = high;
    else out[offset + x] = v;
  }
  return { min, max };
}

function splitChannels(data: Uint8Array, samplesPerPixel: 1 | 3): Uint8Array[] {
  if (samplesPerPixel === 1) return [data];
  const pixels = data.length / 3;
  const planes = [new Uint8Array(pixels), new Uint8Array(pixels), new Uint8Array(pixels)];
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < 3; c++) {
      (planes[c] as Uint8Array)[i] = data[3 * i + c] as number;
    }
  }
  return planes;
}
