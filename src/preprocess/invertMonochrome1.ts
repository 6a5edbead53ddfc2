import type { ModalityImage, PixelValues } from './ModalityImage';

/**
 * Inverts a MONOCHROME1 frame so that higher values are brighter, because
 * MONOCHROME1 displays its minimum as white (DICOM PS3.3 C.7.6.3.1.2).
 * Each v becomes min + max - v over the frame's own range, so the values
 * stay in that range and in the same array type. Apply it to modality
 * values before choosing percentiles.
 */
export function invertMonochrome1(image: ModalityImage): ModalityImage {
  const { values } = image;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }

  const inverted = createLike(values);
  const sum = min + max;
  for (let i = 0; i < values.length; i++) inverted[i] = sum - (values[i] as number);
  return { ...image, values: inverted };
}

function createLike(values: PixelValues): PixelValues {
  const constructor = values.constructor as new (length: number) => PixelValues;
  return new constructor(values.length);
}
