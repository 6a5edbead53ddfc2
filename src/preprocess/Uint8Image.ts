import type { IntensityPolicy } from './IntensityPolicy';

/** The intensity mapping as applied to one frame. */
export interface AppliedIntensity {
  policy: IntensityPolicy;
  /** Modality value that maps to 0 (after clipping). */
  mappedLowValue: number;
  /** Modality value that maps to 255 (after clipping). */
  mappedHighValue: number;
}

/** An 8-bit frame as MedSAM's pre-processing produces it before the resize. */
export interface Uint8Image {
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  /** `height * width * samplesPerPixel` bytes, rows top to bottom, RGB interleaved. */
  data: Uint8Array;
  applied: AppliedIntensity;
}
