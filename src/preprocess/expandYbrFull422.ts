import { MedsamError } from '../MedsamError';
import type { ModalityImage, PixelValues } from './ModalityImage';

/**
 * Expands an uncompressed YBR_FULL_422 frame to YBR_FULL. As stored
 * (DICOM PS3.3 C.7.6.3.1.2, PlanarConfiguration 0), each pair of pixels in a
 * row is `Y0 Y1 Cb Cr`, with the chroma sampled at the first pixel, so a frame
 * has width x height x 2 samples. Both pixels of a pair get the pair's Cb and
 * Cr, without interpolation, as pydicom 2.3.1's `expand_ybr422` does. Returns
 * an interleaved `Y Cb Cr` frame of the same array type. Throws
 * `pixels/invalid` for an odd width or a sample count that is not
 * width x height x 2.
 */
export function expandYbrFull422(image: ModalityImage): ModalityImage {
  const { width, height, values } = image;
  const pixels = width * height;

  if (width % 2 !== 0) {
    throw new MedsamError(
      'pixels/invalid',
      `YBR_FULL_422 frame has ${width} columns: 4:2:2 chroma subsampling needs an even number of columns.`,
    );
  }
  if (values.length !== pixels * 2) {
    throw new MedsamError(
      'pixels/invalid',
      `Uncompressed YBR_FULL_422 frame of ${width}x${height} needs ${pixels * 2} samples ` +
        `(Y0 Y1 Cb Cr per pixel pair), but it has ${values.length}.`,
    );
  }

  const constructor = values.constructor as new (length: number) => PixelValues;
  const expanded = new constructor(pixels * 3);
  for (let pair = 0; pair < pixels / 2; pair++) {
    const source = 4 * pair;
    const target = 6 * pair;
    const cb = values[source + 2] as number;
    const cr = values[source + 3] as number;
    expanded[target] = values[source] as number;
    expanded[target + 1] = cb;
    expanded[target + 2] = cr;
    expanded[target + 3] = values[source + 1] as number;
    expanded[target + 4] = cb;
    expanded[target + 5] = cr;
  }

  return { width, height, samplesPerPixel: 3, values: expanded };
}
