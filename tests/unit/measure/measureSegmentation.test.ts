import { measureSegmentation } from '../../../src/measure';
import { axialSlices } from '../workflow/axialSlices';
import { expectMedsamError } from '../preprocess/expectMedsamError';
import { diskMask, rectangleMask } from './masks';

const SIZE = { columns: 16, rows: 16 };

describe('measureSegmentation', () => {
  test('disk of known area on one slice', () => {
    // A digital disk of radius 5 px has 81 pixels (Gauss circle count);
    // 81 px x 1 mm^2 x 2.5 mm = 202.5 mm^3.
    const slices = axialSlices([0, 2.5, 5], SIZE);
    const result = measureSegmentation(slices, [null, diskMask(SIZE, [7, 7], 5), null]);
    expect(result.voxelCount).toBe(81);
    expect(result.volumeMl).toBeCloseTo(0.2025, 12);
  });

  test('anisotropic spacing 0.5 x 2 mm', () => {
    // 4 x 3 px of 1 mm^2 on each of 2 slices 3 mm apart: 2 x 12 x 1 x 3 = 72 mm^3.
    const slices = axialSlices([0, 3], { ...SIZE, columnSpacingMm: 0.5, rowSpacingMm: 2 });
    const mask = rectangleMask(SIZE, [2, 5], [4, 6]);
    expect(measureSegmentation(slices, [mask, mask]).volumeMl).toBeCloseTo(0.072, 12);
  });

  test('anisotropic diameter uses x and y spacing', () => {
    // Columns 2..5 at 0.5 mm span 1.5 mm, rows 4..6 at 2 mm span 4 mm.
    const slices = axialSlices([0, 3], { ...SIZE, columnSpacingMm: 0.5, rowSpacingMm: 2 });
    const mask = rectangleMask(SIZE, [2, 5], [4, 6]);
    expect(measureSegmentation(slices, [mask, null]).longestDiameter?.lengthMm).toBeCloseTo(Math.hypot(1.5, 4), 12);
  });

  test('gap uses the distance between positions', () => {
    // Slabs 1, 2, 2, 1 mm (see computeSlabThicknessesMm); 10 px each: 60 mm^3.
    const slices = axialSlices([0, 1, 4, 5], SIZE);
    const mask = rectangleMask(SIZE, [0, 9], [0, 0]);
    expect(measureSegmentation(slices, [mask, mask, mask, mask]).volumeMl).toBeCloseTo(0.06, 12);
  });

  test('negative spacing gives the same volume', () => {
    const slices = axialSlices([0, -1, -4, -5], SIZE);
    const mask = rectangleMask(SIZE, [0, 9], [0, 0]);
    expect(measureSegmentation(slices, [mask, mask, mask, mask]).volumeMl).toBeCloseTo(0.06, 12);
  });

  test('longest diameter picks the widest slice', () => {
    const slices = axialSlices([0, 1, 2], SIZE);
    const result = measureSegmentation(slices, [
      rectangleMask(SIZE, [0, 3], [0, 0]),
      rectangleMask(SIZE, [0, 9], [0, 0]),
      rectangleMask(SIZE, [0, 5], [0, 0]),
    ]);
    expect(result.longestDiameter?.lengthMm).toBe(9);
    expect(result.longestDiameter?.slice.sliceIndex).toBe(1);
  });

  test('slice range in reversed storage order', () => {
    // Stored from z = 10 down to z = 0; masks on z = 2, 4 and 6 (indices 4, 3, 2).
    const slices = axialSlices([10, 8, 6, 4, 2, 0], SIZE);
    const mask = rectangleMask(SIZE, [1, 2], [1, 2]);
    const range = measureSegmentation(slices, [null, null, mask, mask, mask, null]).sliceRange;
    expect(range?.first).toMatchObject({ sliceIndex: 4, spatialIndex: 1, positionMm: 2, sopInstanceUid: '1.2.3.4' });
    expect(range?.last).toMatchObject({ sliceIndex: 2, spatialIndex: 3, positionMm: 6, sopInstanceUid: '1.2.3.2' });
    expect(range?.extentMm).toBe(4);
    expect(range?.sliceCount).toBe(3);
  });

  test('empty masks measure nothing', () => {
    const slices = axialSlices([0, 1], SIZE);
    const result = measureSegmentation(slices, [new Uint8Array(256), null]);
    expect(result).toEqual({ volumeMl: 0, voxelCount: 0, longestDiameter: null, sliceRange: null });
  });

  test('mask list of the wrong length is rejected', () => {
    expectMedsamError(() => measureSegmentation(axialSlices([0, 1], SIZE), [null]), 'mask/invalid');
  });

  test('mask of the wrong size is rejected', () => {
    const error = expectMedsamError(
      () => measureSegmentation(axialSlices([0, 1], SIZE), [new Uint8Array(10), null]),
      'mask/invalid'
    );
    expect(error.message).toContain('SOP Instance UID 1.2.3.0');
  });

  test('single slice is rejected', () => {
    expectMedsamError(() => measureSegmentation(axialSlices([0], SIZE), [null]), 'series/invalid');
  });

  test('aborted signal is rejected', () => {
    const controller = new AbortController();
    controller.abort();
    expectMedsamError(
      () => measureSegmentation(axialSlices([0, 1], SIZE), [null, null], { signal: controller.signal }),
      'inference/aborted'
    );
  });
});
