import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { preprocessForMedsam } from '../../../src/preprocess/preprocessForMedsam';
import { resizeToUint8Planes } from '../../../src/preprocess/resize/resizeToUint8Planes';
import { toUint8Image } from '../../../src/preprocess/toUint8Image';
import type { ReferenceResult } from '../../reference/runMedsamReference';
import { compareArrays } from './compareTensors';

/**
 * Tolerance after the resize. The uint8 image before the resize must match
 * exactly. skimage resizes the (H, W, 3) array with a 3-D spline whose 64-term
 * sums round differently from this separable 2-D code, so where the exact
 * result is an integer (plateaus, mostly 255) the uint8 cast can land one
 * level apart. Measured: 0 differing elements for the upscaled gray files,
 * up to 0.54% for upscaled colour ultrasound (PALETTE COLOR 800x600), and
 * 0.52% of tensor elements for the downscaled 1760x1760 CR. The reference's
 * own three channels of that gray image disagree at 1.35% of pixels for the
 * same reason. So the tensor may differ by at most one uint8 level,
 * 1 / (max - min) of the 1024 image (1/255 for a full-range image), on at
 * most 1% of its elements.
 */
export const MAX_DIFFERING_FRACTION = 0.01;

export interface ParityOutcome {
  uint8Differing: number;
  uint8_1024Differing: number;
  uint8_1024MaxDifference: number;
  uint8_1024Elements: number;
  tensorMaxDifference: number;
  tensorDiffering: number;
  tensorElements: number;
  /** One uint8 level in the tensor: 1 / (max - min) of the reference 1024 image. */
  tensorLevel: number;
}

/** Runs the TypeScript path on `image` and compares every stage with the reference outputs. */
export function compareWithReference(
  image: ModalityImage,
  policy: IntensityPolicy,
  reference: ReferenceResult,
): ParityOutcome {
  const uint8 = toUint8Image(image, policy);
  const planes = resizeToUint8Planes(uint8, 1024, 1024);
  const input = preprocessForMedsam(image, policy);

  const expected1024 = reference.arrays.uint8_1024 as Uint8Array;
  const actual1024 = planes.length === 1 ? (planes[0] as Uint8Array) : interleave(planes);
  const uint8_1024 = compareArrays(actual1024, expected1024);
  const tensor = compareArrays(input.data, reference.arrays.tensor as Float32Array);

  let min = 255;
  let max = 0;
  for (const v of expected1024) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  return {
    uint8Differing: compareArrays(uint8.data, reference.arrays.uint8 as Uint8Array).differing,
    uint8_1024Differing: uint8_1024.differing,
    uint8_1024MaxDifference: uint8_1024.maxDifference,
    uint8_1024Elements: expected1024.length,
    tensorMaxDifference: tensor.maxDifference,
    tensorDiffering: tensor.differing,
    tensorElements: input.data.length,
    tensorLevel: 1 / Math.max(max - min, 1e-8),
  };
}

function interleave(planes: Uint8Array[]): Uint8Array {
  const pixels = (planes[0] as Uint8Array).length;
  const out = new Uint8Array(pixels * planes.length);
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < planes.length; c++) out[planes.length * i + c] = (planes[c] as Uint8Array)[i] as number;
  }
  return out;
}

/** Checks a parity outcome against the stated tolerances, one assertion per condition. */
export function expectParity(outcome: ParityOutcome): void {
  expect(outcome.uint8Differing).toBe(0);
  expect(outcome.uint8_1024MaxDifference).toBeLessThanOrEqual(1);
  expect(outcome.uint8_1024Differing / outcome.uint8_1024Elements).toBeLessThanOrEqual(MAX_DIFFERING_FRACTION);
  // 1e-7 covers the float32 rounding of the level itself.
  expect(outcome.tensorMaxDifference).toBeLessThanOrEqual(outcome.tensorLevel + 1e-7);
  expect(outcome.tensorDiffering / outcome.tensorElements).toBeLessThanOrEqual(MAX_DIFFERING_FRACTION);
}
