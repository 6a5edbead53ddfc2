import { MedsamError } from '../MedsamError';

/**
 * Computes the thickness of the slab that each slice stands for, from slice
 * positions along the normal in ascending order (mm): half the distance to
 * the previous slice plus half the distance to the next one. The first and
 * last slice of the series have one neighbour only and get the full
 * distance to it, as if the spacing continued past the series' ends. Over a
 * gap each neighbour takes half of the gap, so the slabs tile the whole
 * stack from half a spacing below the first slice to half a spacing above
 * the last.
 *
 * Throws MedsamError `series/invalid` for fewer than two positions or
 * positions that do not strictly ascend.
 */
export function computeSlabThicknessesMm(positionsMm: readonly number[]): number[] {
  if (positionsMm.length < 2) {
    throw new MedsamError(
      'series/invalid',
      `A volume needs at least 2 slices to know the slice spacing, got ${positionsMm.length}.`
    );
  }
  for (let index = 1; index < positionsMm.length; index++) {
    const previous = positionsMm[index - 1]!;
    const current = positionsMm[index]!;
    if (!(current > previous)) {
      throw new MedsamError(
        'series/invalid',
        `Slice position ${current} mm at rank ${index} does not follow ${previous} mm; expected ascending positions along the normal.`
      );
    }
  }

  const last = positionsMm.length - 1;
  return positionsMm.map((position, index) => {
    if (index === 0) {
      return positionsMm[1]! - position;
    }
    if (index === last) {
      return position - positionsMm[last - 1]!;
    }
    return (positionsMm[index + 1]! - positionsMm[index - 1]!) / 2;
  });
}
