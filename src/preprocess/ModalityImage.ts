import { MedsamError } from '../MedsamError';

/** Typed arrays accepted as pixel values. */
export type PixelValues =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/**
 * One frame in modality units: Hounsfield units for CT (RescaleSlope and
 * RescaleIntercept already applied, see `applyModalityRescale`), the stored
 * values for modalities without a rescale. Colour frames are interleaved
 * RGB (`R0 G0 B0 R1 ...`, PlanarConfiguration 0). Rows run top to bottom.
 */
export interface ModalityImage {
  /** Columns, in pixels. */
  width: number;
  /** Rows, in pixels. */
  height: number;
  samplesPerPixel: 1 | 3;
  /** `width * height * samplesPerPixel` values. */
  values: PixelValues;
}

/**
 * Checks the geometry of `image` and that every value is finite.
 * Throws `MedsamError` `pixels/invalid` or `pixels/unsupported`.
 */
export function assertValidModalityImage(image: ModalityImage): void {
  const { width, height, samplesPerPixel, values } = image;

  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MedsamError(
      'pixels/invalid',
      `Image size ${width}x${height} is invalid: width and height must be positive integers.`,
    );
  }

  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new MedsamError(
      'pixels/unsupported',
      `SamplesPerPixel ${String(samplesPerPixel)} is not supported: expected 1 (grayscale) or 3 (RGB).`,
    );
  }

  const expected = width * height * samplesPerPixel;
  if (values.length !== expected) {
    throw new MedsamError(
      'pixels/invalid',
      `Pixel data has ${values.length} values but ${width}x${height}x${samplesPerPixel} needs ${expected}: ` +
        'the frame is truncated or the geometry is wrong.',
    );
  }

  if (values instanceof Float32Array || values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) {
        throw new MedsamError(
          'pixels/invalid',
          `Pixel value at index ${i} is ${String(values[i])}: every value must be finite.`,
        );
      }
    }
  }
}
