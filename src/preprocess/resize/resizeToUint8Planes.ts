import type { Uint8Image } from '../Uint8Image';
import { resizeChannelToUint8 } from './resizeCubicBSpline';

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
  return resizeToUint8PlanesWithRange(image, targetWidth, targetHeight).planes;
}

/** The planes of `resizeToUint8Planes` and their smallest and largest value over all channels. */
export interface ResizedPlanes {
  planes: Uint8Array[];
  min: number;
  max: number;
}

/**
 * `resizeToUint8Planes`, also returning the planes' min and max, so that
 * the tensor's min-max needs no further pass over the 1024 image. Pass
 * `outputPlanes` (one per channel, `targetWidth * targetHeight` bytes each)
 * to write into them instead of allocating.
 */
export function resizeToUint8PlanesWithRange(
  image: Uint8Image,
  targetWidth: number,
  targetHeight: number,
  outputPlanes?: Uint8Array[],
): ResizedPlanes {
  const { width, height, samplesPerPixel, data } = image;
  if (
    outputPlanes !== undefined &&
    (outputPlanes.length !== samplesPerPixel || outputPlanes.some((plane) => plane.length !== targetWidth * targetHeight))
  ) {
    const sizes = outputPlanes.length > 0 ? ` of ${outputPlanes.map((plane) => plane.length).join(', ')} bytes` : '';
    throw new RangeError(
      `Invalid output planes for a ${targetWidth}x${targetHeight} resize: expected ${samplesPerPixel} output plane(s) ` +
        `of ${targetWidth * targetHeight} bytes, got ${outputPlanes.length}${sizes}. Pass one plane per channel, or none.`,
    );
  }
  const channels = splitChannels(data, samplesPerPixel);
  const { min: inputMin, max: inputMax } = uint8Range(data);

  // Rows are first clipped to [0, inputMax]. Whether the low bound is 0 or
  // inputMin depends on the minimum over all channels, known only at the end.
  let outputMin = Infinity;
  let outputMax = -Infinity;
  const planes = channels.map((channel, index) => {
    const plane = outputPlanes?.[index] ?? new Uint8Array(targetWidth * targetHeight);
    const range = resizeChannelToUint8(channel, width, height, targetWidth, targetHeight, inputMax, plane);
    if (range.min < outputMin) outputMin = range.min;
    if (range.max > outputMax) outputMax = range.max;
    return plane;
  });

  const keepsZero = inputMin > 0 && outputMin <= 0 && outputMax >= 0;
  const raiseTo = inputMin > 0 && !keepsZero ? inputMin : 0;
  if (raiseTo > 0) {
    // trunc(clip(v, 0, max)) raised to inputMin equals trunc(clip(v, inputMin, max)) for integer inputMin.
    for (const plane of planes) {
      for (let i = 0; i < plane.length; i++) {
        if ((plane[i] as number) < raiseTo) plane[i] = raiseTo;
      }
    }
  }

  // Clip, truncation and raise are monotonic, so they map the float extremes to the plane extremes.
  const toStored = (v: number) => Math.max(raiseTo, Math.trunc(Math.min(Math.max(v, 0), inputMax)));
  return { planes, min: toStored(outputMin), max: toStored(outputMax) };
}

/** Min and max of 8-bit samples, from a table of the values present (no data-dependent branches per sample). */
function uint8Range(data: Uint8Array): { min: number; max: number } {
  const present = new Uint8Array(256);
  for (let i = 0; i < data.length; i++) present[data[i] as number] = 1;
  let min = 0;
  while (min < 255 && present[min] === 0) min++;
  let max = 255;
  while (max > 0 && present[max] === 0) max--;
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
