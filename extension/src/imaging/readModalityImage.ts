import { MedsamError } from '../../../src/MedsamError';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import type { CornerstoneImage } from '../cornerstoneTypes';

/**
 * Copies the pixels of a cached Cornerstone image into modality units.
 *
 * The DICOM image loader applies RescaleSlope/Intercept itself when
 * pre-scaling is on (`preScale.scaled`). The values are then already HU for
 * CT, so they are not rescaled a second time. Colour images may arrive as RGBA
 * and are reduced to RGB.
 */
export function readModalityImage(image: CornerstoneImage): ModalityImage {
  const width = image.columns;
  const height = image.rows;
  const pixels = image.getPixelData();
  const components = image.color ? (image.numberOfComponents ?? Math.round(pixels.length / (width * height))) : 1;

  if (components !== 1 && components !== 3 && components !== 4) {
    throw new MedsamError(
      'pixels/unsupported',
      `Image ${image.imageId} has ${components} values per pixel; MedSAM takes grayscale or RGB images.`
    );
  }
  if (pixels.length !== width * height * components) {
    throw new MedsamError(
      'pixels/invalid',
      `Image ${image.imageId} has ${pixels.length} pixel values, but ${width}x${height}x${components} needs ` +
        `${width * height * components}: the frame is truncated.`
    );
  }

  if (components === 1) {
    const alreadyScaled = image.preScale?.scaled === true;
    const slope = alreadyScaled ? 1 : (image.slope ?? 1);
    const intercept = alreadyScaled ? 0 : (image.intercept ?? 0);
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) {
      values[i] = (pixels[i] as number) * slope + intercept;
    }
    return { width, height, samplesPerPixel: 1, values };
  }

  const values = new Float32Array(width * height * 3);
  for (let pixel = 0, source = 0; pixel < width * height; pixel++, source += components) {
    values[pixel * 3] = pixels[source] as number;
    values[pixel * 3 + 1] = pixels[source + 1] as number;
    values[pixel * 3 + 2] = pixels[source + 2] as number;
  }
  return { width, height, samplesPerPixel: 3, values };
}
