import { MedsamError } from '../MedsamError';
import { invertMonochrome1 } from './invertMonochrome1';
import type { ModalityImage } from './ModalityImage';

/** Photometric Interpretation (0028,0004) values that pre-processing accepts. */
export const SUPPORTED_PHOTOMETRIC_INTERPRETATIONS = ['MONOCHROME1', 'MONOCHROME2', 'RGB'] as const;

/**
 * Brings a decoded frame to "higher is brighter" grayscale or RGB:
 * MONOCHROME2 and RGB pass through, MONOCHROME1 is inverted. Decoders
 * already convert YBR_RCT/YBR_ICT (JPEG 2000) to RGB and the caller must
 * report RGB then. Every other value (PALETTE COLOR, YBR_FULL, YBR_FULL_422,
 * ...) raises `pixels/unsupported`, as does a sample count that does not
 * match the interpretation.
 */
export function applyPhotometricInterpretation(
  image: ModalityImage,
  photometricInterpretation: string,
): ModalityImage {
  const name = photometricInterpretation.trim().toUpperCase();
  const expectedSamples = name === 'RGB' ? 3 : 1;

  if (!(SUPPORTED_PHOTOMETRIC_INTERPRETATIONS as readonly string[]).includes(name)) {
    throw new MedsamError(
      'pixels/unsupported',
      `Photometric Interpretation '${photometricInterpretation}' is not supported: convert the frame to ` +
        `${SUPPORTED_PHOTOMETRIC_INTERPRETATIONS.join(', ')} first.`,
    );
  }
  if (image.samplesPerPixel !== expectedSamples) {
    throw new MedsamError(
      'pixels/unsupported',
      `Photometric Interpretation ${name} needs SamplesPerPixel ${expectedSamples}, ` +
        `but the frame has ${image.samplesPerPixel}.`,
    );
  }

  return name === 'MONOCHROME1' ? invertMonochrome1(image) : image;
}
