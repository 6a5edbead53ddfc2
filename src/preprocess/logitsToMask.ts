import { MedsamError } from '../MedsamError';
import type { MedsamTransform } from './MedsamTransform';

/** Side of MedSAM's low-resolution mask logits ([1, 1, 256, 256]). */
export const MEDSAM_LOGITS_SIZE = 256;

/**
 * Turns MedSAM's 256x256 mask logits into a binary mask of the original
 * image: sigmoid, bilinear resize to imageHeight x imageWidth with
 * align_corners=False (torch.nn.functional.interpolate semantics: source
 * coordinate (i + 0.5) * 256 / size - 0.5, clamped at 0, the last row and
 * column repeated), then probability > 0.5. Arithmetic is float32 like
 * torch's CPU kernel. Returns imageHeight * imageWidth bytes of 0 or 1, rows
 * top to bottom.
 */
export function logitsToMask(logits: Float32Array, transform: MedsamTransform): Uint8Array {
  const size = MEDSAM_LOGITS_SIZE;
  if (logits.length !== size * size) {
    throw new MedsamError(
      'inference/failed',
      `Mask logits have ${logits.length} values, expected ${size}x${size} = ${size * size}.`,
    );
  }

  const probabilities = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const logit = logits[i] as number;
    if (Number.isNaN(logit)) {
      throw new MedsamError('inference/failed', `Mask logit at index ${i} is NaN: the model output is invalid.`);
    }
    probabilities[i] = 1 / (1 + Math.exp(-logit));
  }

  const { imageWidth, imageHeight } = transform;
  const columns = bilinearTaps(size, imageWidth);
  const rows = bilinearTaps(size, imageHeight);
  const f = Math.fround;
  const mask = new Uint8Array(imageWidth * imageHeight);

  for (let y = 0; y < imageHeight; y++) {
    const top = (rows.index0[y] as number) * size;
    const bottom = (rows.index1[y] as number) * size;
    const wy0 = rows.weight0[y] as number;
    const wy1 = rows.weight1[y] as number;
    for (let x = 0; x < imageWidth; x++) {
      const left = columns.index0[x] as number;
      const right = columns.index1[x] as number;
      const wx0 = columns.weight0[x] as number;
      const wx1 = columns.weight1[x] as number;
      const upper = f(f(wx0 * (probabilities[top + left] as number)) + f(wx1 * (probabilities[top + right] as number)));
      const lower = f(
        f(wx0 * (probabilities[bottom + left] as number)) + f(wx1 * (probabilities[bottom + right] as number)),
      );
      const value = f(f(wy0 * upper) + f(wy1 * lower));
      mask[y * imageWidth + x] = value > 0.5 ? 1 : 0;
    }
  }
  return mask;
}

interface BilinearTaps {
  index0: Int32Array;
  index1: Int32Array;
  weight0: Float32Array;
  weight1: Float32Array;
}

/** Source indices and float32 weights for align_corners=False linear resampling. */
function bilinearTaps(sourceLength: number, targetLength: number): BilinearTaps {
  const f = Math.fround;
  const scale = f(sourceLength / targetLength);
  const taps: BilinearTaps = {
    index0: new Int32Array(targetLength),
    index1: new Int32Array(targetLength),
    weight0: new Float32Array(targetLength),
    weight1: new Float32Array(targetLength),
  };
  for (let i = 0; i < targetLength; i++) {
    const source = Math.max(f(f(scale * f(i + 0.5)) - 0.5), 0);
    const index0 = Math.trunc(source);
    const index1 = index0 < sourceLength - 1 ? index0 + 1 : index0;
    const lambda1 = f(source - index0);
    taps.index0[i] = index0;
    taps.index1[i] = index1;
    taps.weight1[i] = lambda1;
    taps.weight0[i] = f(1 - lambda1);
  }
  return taps;
}
