import type { Uint8Image } from '../Uint8Image';
import { resizeCubicBSpline } from './resizeCubicBSpline';

/**
 * Resizes an 8-bit image to `targetWidth x targetHeight` the way MedSAM's
 * `skimage.transform.resize(img, (1024, 1024), order=3, mode='constant',
 * preserve_range=True, anti_aliasing=True).astype(np.uint8)` does, and
 * returns one plane per channel (1 for grayscale, whose 3 model channels are
 * identical, 3 for RGB).
 *
 * Overshoot: skimage's default clip=True limits the float result to the
 * input's [min, max] over all channels, widened to include cval 0 when the
 * input minimum is above 0 and the result reaches 0 (the zero padding pulls
 * the border down). The cast then truncates toward zero. Values therefore
 * never wrap, and this function reproduces both steps.
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

  const resized = channels.map((channel) => resizeCubicBSpline(channel, width, height, targetWidth, targetHeight));

  let outputMin = Infinity;
  let outputMax = -Infinity;
  for (const plane of resized) {
    for (let i = 0; i < plane.length; i++) {
      const v = plane[i] as number;
      if (v < outputMin) outputMin = v;
      if (v > outputMax) outputMax = v;
    }
  }

  const keepsZero = inputMin > 0 && outputMin <= 0 && outputMax >= 0;
  const low = keepsZero ? 0 : inputMin;
  const high = inputMax;

  return resized.map((plane) => {
    const out = new Uint8Array(plane.length);
    for (let i = 0; i < plane.length; i++) {
      const v = plane[i] as number;
      // Uint8Array stores ToUint8(v), which truncates toward zero because v is within 0..255 here.
      if (v < low) out[i] = low;
      else if (v > high) out[i] = high;
      else out[i] = v;
    }
    return out;
  });
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
