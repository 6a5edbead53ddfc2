import { repeatKeyBox } from '../../../src/workflow';
import { expectMedsamError } from '../preprocess/expectMedsamError';
import { axialSlice, axialSlices } from './axialSlices';

describe('repeatKeyBox', () => {
  const box = { x0: 10, y0: 20, x1: 12, y1: 23 };
  const series = axialSlices([5, 4, 3, 2, 1, 0]);
  const keyBox = { sopInstanceUid: '1.2.3.3', frameNumber: 1, box };
  const range = {
    first: { sopInstanceUid: '1.2.3.4', frameNumber: 1 },
    last: { sopInstanceUid: '1.2.3.1', frameNumber: 1 },
  };

  test('2x3 box on 4 slices', () => {
    const boxes = repeatKeyBox(series, keyBox, range);
    expect(boxes).toHaveLength(4);
    for (const entry of boxes) {
      expect(entry.box.x0).toBeCloseTo(10, 9);
      expect(entry.box.y0).toBeCloseTo(20, 9);
      expect(entry.box.x1).toBeCloseTo(12, 9);
      expect(entry.box.y1).toBeCloseTo(23, 9);
    }
  });

  test('range comes back in ascending position', () => {
    const boxes = repeatKeyBox(series, keyBox, range);
    expect(boxes.map(entry => entry.positionMm)).toEqual([1, 2, 3, 4]);
    expect(boxes.map(entry => entry.sliceIndex)).toEqual([4, 3, 2, 1]);
  });

  test('only the key slice is marked as key', () => {
    const boxes = repeatKeyBox(series, keyBox, range);
    expect(boxes.map(entry => entry.isKeySlice)).toEqual([false, true, false, false]);
  });

  test('range ends may come in either order', () => {
    const swapped = repeatKeyBox(series, keyBox, { first: range.last, last: range.first });
    expect(swapped.map(entry => entry.sliceIndex)).toEqual([4, 3, 2, 1]);
  });

  test('shifted grid gets the same patient rectangle', () => {
    const shifted = [axialSlice('a', 0), axialSlice('b', 1, { originMm: [0, -4] })];
    const boxes = repeatKeyBox(
      shifted,
      { sopInstanceUid: 'a', frameNumber: 1, box },
      { first: { sopInstanceUid: 'a', frameNumber: 1 }, last: { sopInstanceUid: 'b', frameNumber: 1 } }
    );
    expect(boxes[1]?.box.y0).toBeCloseTo(24, 9);
    expect(boxes[1]?.box.y1).toBeCloseTo(27, 9);
  });

  test('key slice outside the range is rejected', () => {
    const outside = { ...keyBox, sopInstanceUid: '1.2.3.0' };
    const error = expectMedsamError(() => repeatKeyBox(series, outside, range), 'box/invalid');
    expect(error.message).toContain('outside the range');
  });

  test('unknown range end is rejected', () => {
    const unknown = { ...range, last: { sopInstanceUid: '7.7', frameNumber: 1 } };
    expectMedsamError(() => repeatKeyBox(series, keyBox, unknown), 'box/invalid');
  });
});
