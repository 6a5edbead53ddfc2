import { MedsamError } from '../MedsamError';
import type { ModalityImage } from './ModalityImage';

// The coefficients of DICOM PS3.3 C.7.6.3.1.2 (ITU-R BT.601 full range),
// rounded to float32 as pydicom 2.3.1's `_convert_YBR_FULL_to_RGB` stores them.
const CR_TO_RED = Math.fround(1.402);
const CB_TO_GREEN = Math.fround((-0.114 * 1.772) / 0.587);
const CR_TO_GREEN = Math.fround((-0.299 * 1.402) / 0.587);
const CB_TO_BLUE = Math.fround(1.772);

// Module-level aliases, because a lookup of the global `Math` inside the
// per-sample loop was about 100 times slower in jest's vm contexts (Node 20).
const { floor, fround } = Math;

/**
 * Converts an interleaved YBR_FULL frame with 8-bit samples to RGB with the
 * full-range equations of DICOM PS3.3 C.7.6.3.1.2:
 *
 *   R = Y + 1.402 (Cr - 128)
 *   G = Y - 0.344136 (Cb - 128) - 0.714136 (Cr - 128)
 *   B = Y + 1.772 (Cb - 128)
 *
 * each rounded half up (floor(x + 0.5)) and clamped to 0..255. The arithmetic
 * is float32 with one rounding per term added, which reproduces pydicom
 * 2.3.1's `convert_color_space(arr, 'YBR_FULL', 'RGB')` (numpy 1.24.2) for
 * all 2^24 inputs. Returns a new Uint8Array frame. Throws `pixels/unsupported`
 * for a sample that is not an integer in 0..255, because the equations are
 * defined for 8-bit samples only.
 */
export function convertYbrFullToRgb(image: ModalityImage): ModalityImage {
  const { values } = image;
  if (image.samplesPerPixel !== 3 || values.length !== image.width * image.height * 3) {
    throw new MedsamError(
      'pixels/invalid',
      `A YBR_FULL frame of ${image.width}x${image.height} needs ${image.width * image.height * 3} interleaved ` +
        `samples (SamplesPerPixel 3), but it has ${values.length} with SamplesPerPixel ${image.samplesPerPixel}.`,
    );
  }

  const rgb = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i += 3) {
    const y = sample8Bit(values, i);
    const cb = sample8Bit(values, i + 1) - 128;
    const cr = sample8Bit(values, i + 2) - 128;

    // Each product of an 8-bit integer and a float32 coefficient, and each
    // sum below, is exact in float64, so every Math.fround is the single
    // float32 rounding of a fused multiply-add.
    rgb[i] = roundAndClamp(fround(y + cr * CR_TO_RED));
    rgb[i + 1] = roundAndClamp(fround(fround(y + cb * CB_TO_GREEN) + cr * CR_TO_GREEN));
    rgb[i + 2] = roundAndClamp(fround(y + cb * CB_TO_BLUE));
  }

  return { width: image.width, height: image.height, samplesPerPixel: 3, values: rgb };
}

function sample8Bit(values: ModalityImage['values'], index: number): number {
  const v = values[index] as number;
  // The bitwise test holds only for integers in 0..255, so it also rejects NaN and fractions.
  if ((v & 0xff) !== v) {
    throw new MedsamError(
      'pixels/unsupported',
      `YBR sample ${v} at index ${index} is not an 8-bit value: the YBR_FULL to RGB conversion is defined ` +
        'for BitsAllocated 8 only. Convert the frame to RGB before pre-processing.',
    );
  }
  return v;
}

function roundAndClamp(value: number): number {
  const rounded = floor(fround(value + 0.5));
  if (rounded < 0) return 0;
  return rounded > 255 ? 255 : rounded;
}
