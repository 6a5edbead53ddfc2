import { computeSlabThicknessesMm } from '../../../src/measure';
import { expectMedsamError } from '../preprocess/expectMedsamError';

describe('computeSlabThicknessesMm', () => {
  test('uniform spacing gives the spacing', () => {
    expect(computeSlabThicknessesMm([0, 2.5, 5])).toEqual([2.5, 2.5, 2.5]);
  });

  test('end slices get the distance to their neighbour', () => {
    expect(computeSlabThicknessesMm([0, 1, 3])).toEqual([1, 1.5, 2]);
  });

  test('gap is shared by its two neighbours', () => {
    // Slices at 2 and 3 mm are missing: the 1 mm and 4 mm slices each take half of the 3 mm gap.
    expect(computeSlabThicknessesMm([0, 1, 4, 5])).toEqual([1, 2, 2, 1]);
  });

  test('slabs sum to the stack extent', () => {
    // From half a spacing below the first slice to half above the last: 0.5 + 10 + 1.5.
    const total = computeSlabThicknessesMm([0, 1, 4, 7, 10]).reduce((sum, value) => sum + value, 0);
    expect(total).toBeCloseTo(12, 12);
  });

  test('single slice is rejected', () => {
    expectMedsamError(() => computeSlabThicknessesMm([3]), 'series/invalid');
  });

  test('descending positions are rejected', () => {
    expectMedsamError(() => computeSlabThicknessesMm([0, 2, 1]), 'series/invalid');
  });
});
