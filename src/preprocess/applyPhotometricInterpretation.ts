import { MedsamError } from '../MedsamError';
import { applyPaletteColorLut } from './applyPaletteColorLut';
import { convertYbrFullToRgb } from './convertYbrFullToRgb';
import { expandYbrFull422 } from './expandYbrFull422';
import { invertMonochrome1 } from './invertMonochrome1';
import type { ModalityImage } from './ModalityImage';
import type { PaletteColorLut } from './PaletteColorLut';

/** Photometric Interpretation (0028,0004) values that pre-processing accepts. */
export const SUPPORTED_PHOTOMETRIC_INTERPRETATIONS = [
  'MONOCHROME1',
  'MONOCHROME2',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'PALETTE COLOR',
] as const;

export interface PhotometricOptions {
  /** The Palette Color Lookup Tables, required for PALETTE COLOR and ignored otherwise. */
  paletteColorLut?: PaletteColorLut;
}

/**
 * Brings a decoded frame to "higher is brighter" grayscale or RGB:
 * MONOCHROME2 and RGB pass through, MONOCHROME1 is inverted, YBR_FULL is
 * converted to RGB (`convertYbrFullToRgb`), and PALETTE COLOR is mapped
 * through `options.paletteColorLut` (`applyPaletteColorLut`).
 *
 * Pass the interpretation of the values as decoded, which is not always the
 * stored one. JPEG decoders convert YBR_FULL and YBR_FULL_422 (JPEG
 * baseline, libjpeg-turbo) and JPEG 2000 decoders convert YBR_RCT and
 * YBR_ICT to RGB, so pass RGB for their output. A YBR_FULL_422 frame with
 * width x height x 2 samples is uncompressed 4:2:2, which is expanded first
 * (`expandYbrFull422`). One with width x height x 3 samples is taken as
 * already upsampled.
 *
 * Every other value raises `pixels/unsupported`, as does a sample count
 * that does not match the interpretation. PALETTE COLOR without its tables
 * raises `pixels/invalid`.
 */
export function applyPhotometricInterpretation(
  image: ModalityImage,
  photometricInterpretation: string,
  options: PhotometricOptions = {},
): ModalityImage {
  const name = photometricInterpretation.trim().toUpperCase();

  if (!(SUPPORTED_PHOTOMETRIC_INTERPRETATIONS as readonly string[]).includes(name)) {
    throw new MedsamError('pixels/unsupported', unsupportedMessage(photometricInterpretation, name));
  }

  const expectedSamples = name === 'MONOCHROME1' || name === 'MONOCHROME2' || name === 'PALETTE COLOR' ? 1 : 3;
  if (image.samplesPerPixel !== expectedSamples) {
    throw new MedsamError(
      'pixels/unsupported',
      `Photometric Interpretation ${name} needs SamplesPerPixel ${expectedSamples}, ` +
        `but the frame has ${image.samplesPerPixel}.`,
    );
  }

  switch (name) {
    case 'MONOCHROME1':
      return invertMonochrome1(image);
    case 'YBR_FULL':
      return convertYbrFullToRgb(image);
    case 'YBR_FULL_422': {
      const subsampled = image.values.length === image.width * image.height * 2;
      return convertYbrFullToRgb(subsampled ? expandYbrFull422(image) : image);
    }
    case 'PALETTE COLOR':
      if (options.paletteColorLut === undefined) {
        throw new MedsamError(
          'pixels/invalid',
          'Photometric Interpretation PALETTE COLOR needs its Red, Green and Blue Palette Color Lookup Tables: ' +
            'pass the descriptors and data as options.paletteColorLut.',
        );
      }
      return applyPaletteColorLut(image, options.paletteColorLut);
    default:
      return image;
  }
}

function unsupportedMessage(photometricInterpretation: string, name: string): string {
  const supported = SUPPORTED_PHOTOMETRIC_INTERPRETATIONS.join(', ');
  if (name === 'YBR_RCT' || name === 'YBR_ICT') {
    return (
      `Photometric Interpretation ${name} is not supported: it occurs only in JPEG 2000, whose decoders ` +
        'apply the inverse colour transform, so pass RGB for the decoded frame.'
    );
  }
  return (
    `Photometric Interpretation '${photometricInterpretation}' is not supported: convert the frame to ` +
    `one of ${supported} first.`
  );
}
