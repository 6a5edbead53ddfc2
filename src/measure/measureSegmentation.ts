import { MedsamError, throwIfAborted } from '../MedsamError';
import { describeSlice } from '../workflow/describeSlice';
import { orderSlicesAlongNormal } from '../workflow/orderSlicesAlongNormal';
import type { SeriesSlice } from '../workflow/SeriesSlice';
import { computeSlabThicknessesMm } from './computeSlabThicknessesMm';
import { findLongestInPlaneDiameter } from './findLongestInPlaneDiameter';
import type { MeasuredSlice, SegmentationMeasurement, SliceDiameter } from './SegmentationMeasurement';

/**
 * Measures a segmentation over the slices of one series, where `masks[i]`
 * is the row-major mask of `slices[i]` (non-zero inside) or null for a
 * slice without one.
 *
 * - Volume: the sum over slices of mask pixels x row spacing x column
 *   spacing x slab thickness, in mL. The slab thickness comes from the
 *   distances between neighbouring slice positions along the normal (see
 *   `computeSlabThicknessesMm`), never from SliceThickness, which may
 *   differ from the spacing when slices overlap or leave gaps.
 * - Longest diameter: the longest distance between two mask pixel centres
 *   within one slice, with each slice's own row and column spacing (see
 *   `findLongestInPlaneDiameter`). For an axial series this is the longest
 *   axial diameter.
 * - Slice range: the first and last slice with mask pixels, in ascending
 *   position along the normal.
 *
 * Every slice of the series belongs in `slices`, masked or not, because the
 * slab thicknesses depend on the neighbours.
 *
 * Throws MedsamError `series/invalid` for fewer than two slices or invalid
 * slice geometry (see `orderSlicesAlongNormal`), `mask/invalid` for a mask
 * list or mask of the wrong length, and `inference/aborted` when `signal`
 * is aborted.
 */
export function measureSegmentation(
  slices: readonly SeriesSlice[],
  masks: readonly (Uint8Array | null | undefined)[],
  options: { signal?: AbortSignal } = {}
): SegmentationMeasurement {
  throwIfAborted(options.signal, 'Measuring the segmentation');
  if (masks.length !== slices.length) {
    throw new MedsamError(
      'mask/invalid',
      `Got ${masks.length} masks for ${slices.length} slices; pass one entry per slice, null where a slice has no mask.`
    );
  }
  const order = orderSlicesAlongNormal(slices);
  const thicknessesMm = computeSlabThicknessesMm(order.slices.map(entry => entry.positionMm));

  let volumeMm3 = 0;
  let voxelCount = 0;
  let first: MeasuredSlice | null = null;
  let last: MeasuredSlice | null = null;
  let sliceCount = 0;
  let longestDiameter: SliceDiameter | null = null;

  for (const [spatialIndex, { sliceIndex, positionMm }] of order.slices.entries()) {
    throwIfAborted(options.signal, 'Measuring the segmentation');
    const slice = slices[sliceIndex]!;
    const mask = masks[sliceIndex];
    if (!mask) {
      continue;
    }
    checkMask(mask, slice, sliceIndex);

    const count = countNonZero(mask);
    if (count === 0) {
      continue;
    }
    const { rowSpacingMm, columnSpacingMm } = slice.plane;
    voxelCount += count;
    volumeMm3 += count * rowSpacingMm * columnSpacingMm * thicknessesMm[spatialIndex]!;

    const measured: MeasuredSlice = {
      sopInstanceUid: slice.sopInstanceUid,
      frameNumber: slice.frameNumber,
      sliceIndex,
      spatialIndex,
      positionMm,
    };
    first ??= measured;
    last = measured;
    sliceCount++;

    const diameter = findLongestInPlaneDiameter(mask, slice, { columnSpacingMm, rowSpacingMm });
    if (diameter && (!longestDiameter || diameter.lengthMm > longestDiameter.lengthMm)) {
      longestDiameter = { ...diameter, slice: measured };
    }
  }

  return {
    volumeMl: volumeMm3 / 1000,
    voxelCount,
    longestDiameter,
    sliceRange: first && last ? { first, last, extentMm: last.positionMm - first.positionMm, sliceCount } : null,
  };
}

function checkMask(mask: Uint8Array, slice: SeriesSlice, sliceIndex: number): void {
  if (!(mask instanceof Uint8Array) || mask.length !== slice.rows * slice.columns) {
    throw new MedsamError(
      'mask/invalid',
      `The mask of ${describeSlice(sliceIndex, slice)} has ${mask.length} values, but its ` +
        `${slice.columns}x${slice.rows} image needs ${slice.rows * slice.columns}.`
    );
  }
}

function countNonZero(mask: Uint8Array): number {
  let count = 0;
  for (let index = 0; index < mask.length; index++) {
    if (mask[index] !== 0) {
      count++;
    }
  }
  return count;
}
