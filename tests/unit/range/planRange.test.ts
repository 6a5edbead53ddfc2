import type { KeyBoxEntry } from '../../../extension/src/range/listKeyBoxes';
import { planRange, type RangeSeries } from '../../../extension/src/range/planRange';
import { orderSlicesAlongNormal } from '../../../src/workflow';
import { axialSlices } from '../workflow/axialSlices';

// Stored top down with a gap: z = 10, 8, 6, 2, 0 mm (no slice at 4 mm).
const slices = axialSlices([10, 8, 6, 2, 0]);
const series: RangeSeries = {
  displaySetInstanceUID: 'display-set',
  imageIds: slices.map((_, index) => `image:${index}`),
  slices,
  order: orderSlicesAlongNormal(slices),
};

function key(sliceIndex: number, box = { x0: 10, y0: 10, x1: 30, y1: 30 }): KeyBoxEntry {
  const slice = slices[sliceIndex]!;
  return {
    annotationUID: `box-${sliceIndex}`,
    imageId: series.imageIds[sliceIndex]!,
    sliceIndex,
    positionMm: slice.plane.imagePositionPatient[2],
    sopInstanceUid: slice.sopInstanceUid,
    frameNumber: 1,
    box,
  };
}

describe('planRange', () => {
  test('interpolates between key slices in ascending z', () => {
    const plan = planRange(series, [key(4), key(0, { x0: 20, y0: 10, x1: 40, y1: 30 })], { mode: 'interpolate', repeatSlices: 0 });
    expect(plan.map(entry => entry.positionMm)).toEqual([0, 2, 6, 8, 10]);
    expect(plan.map(entry => entry.source)).toEqual(['key', 'interpolated', 'interpolated', 'interpolated', 'key']);
    // z = 6 mm is 60 % of the way from 0 to 10 mm.
    expect(plan[2]!.box).toEqual({ x0: 16, y0: 10, x1: 36, y1: 30 });
  });

  test('repeats one key box on each side', () => {
    const plan = planRange(series, [key(2)], { mode: 'interpolate', repeatSlices: 1 });
    expect(plan.map(entry => entry.imageId)).toEqual(['image:3', 'image:2', 'image:1']);
    expect(plan.map(entry => entry.source)).toEqual(['repeated', 'key', 'repeated']);
  });

  test('repeat range stops at the series end', () => {
    const plan = planRange(series, [key(0)], { mode: 'interpolate', repeatSlices: 3 });
    expect(plan.map(entry => entry.positionMm)).toEqual([2, 6, 8, 10]);
  });

  test('propagation leaves boxes between key slices open', () => {
    const plan = planRange(series, [key(3), key(1)], { mode: 'propagate', repeatSlices: 0 });
    expect(plan.map(entry => entry.source)).toEqual(['key', 'mask', 'key']);
    expect(plan[1]!.box).toBeNull();
  });

  test('no key box is rejected', () => {
    expect(() => planRange(series, [], { mode: 'interpolate', repeatSlices: 0 })).toThrow('There is no key box');
  });

  test('two key boxes on one slice are rejected', () => {
    expect(() => planRange(series, [key(1), key(1)], { mode: 'interpolate', repeatSlices: 0 })).toThrow('keep one box per slice');
  });
});
