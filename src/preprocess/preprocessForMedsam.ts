import { MedsamError, throwIfAborted } from '../MedsamError';
import type { IntensityPolicy } from './IntensityPolicy';
import type { ModalityImage } from './ModalityImage';
import { MEDSAM_INPUT_SIZE, type MedsamTransform } from './MedsamTransform';
import { resizeToUint8PlanesWithRange, type ResizedPlanes } from './resize/resizeToUint8Planes';
import { toUint8Image } from './toUint8Image';
import type { AppliedIntensity } from './Uint8Image';

/** MedSAM's image tensor and what post-processing needs to undo it. */
export interface MedsamInput {
  /** [1, 3, 1024, 1024] float32, channel-major, values in [0, 1]. */
  data: Float32Array;
  dims: [1, 3, 1024, 1024];
  transform: MedsamTransform;
  /** The intensity policy and value range that produced the 8-bit image. */
  applied: AppliedIntensity;
}

/** Lower bound of the min-max denominator, as in MedSAM's inference script. */
const MIN_RANGE = 1e-8;

/**
 * The resized gray plane, kept between calls: allocating 1 MiB per slice
 * adds garbage collections to a range run. It is safe to share because
 * `preprocessForMedsam` is synchronous and done with the plane when it returns.
 */
let grayPlane: Uint8Array | undefined;

/**
 * Builds MedSAM's image input from one frame. First the intensity mapping
 * to uint8 (`toUint8Image`), then gray repeated to 3 channels and the cubic
 * B-spline resize to 1024x1024 with the uint8 cast (`resizeToUint8Planes`).
 * Last, a min-max of the whole 1024x1024x3 array to [0, 1], with the
 * denominator clipped at 1e-8. There is no padding and no ImageNet mean/std.
 *
 * Pass `output` (3 * 1024 * 1024 floats) to reuse one buffer across slices
 * instead of allocating 12 MiB per call.
 *
 * Throws `MedsamError` for invalid or uniform pixels (see `toUint8Image`)
 * and `inference/aborted` when `signal` is aborted between stages.
 */
export function preprocessForMedsam(
  image: ModalityImage,
  policy: IntensityPolicy,
  options: { signal?: AbortSignal; output?: Float32Array } = {},
): MedsamInput {
  const { signal, output } = options;
  const size = MEDSAM_INPUT_SIZE;
  if (output !== undefined && output.length !== 3 * size * size) {
    throw new MedsamError(
      'config/invalid',
      `Output buffer has ${output.length} floats, expected 3 x ${size} x ${size} = ${3 * size * size}.`,
    );
  }
  throwIfAborted(signal, 'MedSAM pre-processing');

  const uint8 = toUint8Image(image, policy);
  throwIfAborted(signal, 'MedSAM pre-processing');

  const planes = uint8.samplesPerPixel === 1 ? [(grayPlane ??= new Uint8Array(size * size))] : undefined;
  const resized = resizeToUint8PlanesWithRange(uint8, size, size, planes);
  throwIfAborted(signal, 'MedSAM pre-processing');

  const data = toNormalizedTensor(resized, size * size, output ?? new Float32Array(3 * size * size));
  return {
    data,
    dims: [1, 3, size, size],
    transform: { imageWidth: image.width, imageHeight: image.height, inputSize: size },
    applied: uint8.applied,
  };
}

/** Writes the min-max over all planes to [0, 1]. A single gray plane is repeated into all 3 channels. */
function toNormalizedTensor({ planes, min, max }: ResizedPlanes, planeSize: number, data: Float32Array): Float32Array {
  // Float64 division then rounding to float32, as numpy then torch's .float() do.
  const range = Math.max(max - min, MIN_RANGE);
  const lookup = new Float32Array(256);
  for (let v = 0; v < 256; v++) lookup[v] = (v - min) / range;

  for (let c = 0; c < planes.length; c++) {
    const plane = planes[c] as Uint8Array;
    const offset = c * planeSize;
    for (let i = 0; i < planeSize; i++) data[offset + i] = lookup[plane[i] as number] as number;
  }
  if (planes.length === 1) {
    data.copyWithin(planeSize, 0, planeSize);
    data.copyWithin(2 * planeSize, 0, planeSize);
  }
  return data;
}
