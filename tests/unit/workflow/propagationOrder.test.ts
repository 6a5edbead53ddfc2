import { propagationOrder } from '../../../src/workflow';
import { expectMedsamError } from '../preprocess/expectMedsamError';
import { axialSlices } from './axialSlices';

describe('propagationOrder', () => {
  test('walks outwards from the start slice', () => {
    const order = propagationOrder(axialSlices([0, 1, 2, 3, 4]), 2);
    expect(order).toEqual({ ascending: [3, 4], descending: [1, 0] });
  });

  test('reversed storage order uses positions', () => {
    // Array index 1 is z = 3; above it only z = 4 (index 0).
    const order = propagationOrder(axialSlices([4, 3, 2, 1, 0]), 1);
    expect(order).toEqual({ ascending: [0], descending: [2, 3, 4] });
  });

  test('start at the lowest slice has no descending slices', () => {
    const order = propagationOrder(axialSlices([0, 2.5, 5]), 0);
    expect(order.descending).toEqual([]);
  });

  test('start index outside the series is rejected', () => {
    expectMedsamError(() => propagationOrder(axialSlices([0, 1]), 2), 'series/invalid');
  });
});
