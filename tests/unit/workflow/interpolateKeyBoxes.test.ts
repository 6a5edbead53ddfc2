import { interpolateKeyBoxes, type KeyBox, type SeriesSlice } from '../../../src/workflow';
import { expectMedsamError } from '../preprocess/expectMedsamError';
import { axialSlice, axialSlices } from './axialSlices';

function key(slice: SeriesSlice, box: KeyBox['box']): KeyBox {
  return { sopInstanceUid: slice.sopInstanceUid, frameNumber: slice.frameNumber, box };
}

function expectBoxClose(actual: KeyBox['box'] | undefined, expected: KeyBox['box']): void {
  expect(actual).toBeDefined();
  expect(actual!.x0).toBeCloseTo(expected.x0, 9);
  expect(actual!.y0).toBeCloseTo(expected.y0, 9);
  expect(actual!.x1).toBeCloseTo(expected.x1, 9);
  expect(actual!.y1).toBeCloseTo(expected.y1, 9);
}

describe('interpolateKeyBoxes', () => {
  // Key boxes on z = 0 (2x3 pixels) and z = 3 (2x9 pixels), 1 mm apart.
  // Between them t = z / 3: x0 = 10 + 6t, x1 = 12 + 6t, y1 = 23 + 6t.
  const fourSlices = axialSlices([0, 1, 2, 3]);
  const bottomBox = { x0: 10, y0: 20, x1: 12, y1: 23 };
  const topBox = { x0: 16, y0: 20, x1: 18, y1: 29 };

  test('2x3 box to 2x9 box on 4 slices', () => {
    const boxes = interpolateKeyBoxes(fourSlices, [key(fourSlices[0]!, bottomBox), key(fourSlices[3]!, topBox)]);
    expect(boxes.map(entry => entry.positionMm)).toEqual([0, 1, 2, 3]);
    expectBoxClose(boxes[1]?.box, { x0: 12, y0: 20, x1: 14, y1: 25 });
    expectBoxClose(boxes[2]?.box, { x0: 14, y0: 20, x1: 16, y1: 27 });
  });

  test('key slices keep their boxes unchanged', () => {
    const boxes = interpolateKeyBoxes(fourSlices, [key(fourSlices[3]!, topBox), key(fourSlices[0]!, bottomBox)]);
    expect(boxes[0]?.box).toEqual(bottomBox);
    expect(boxes[3]?.box).toEqual(topBox);
    expect(boxes.map(entry => entry.isKeySlice)).toEqual([true, false, false, true]);
  });

  test('reversed storage order sorts by position', () => {
    const reversed = axialSlices([3, 2, 1, 0]);
    const boxes = interpolateKeyBoxes(reversed, [key(reversed[3]!, bottomBox), key(reversed[0]!, topBox)]);
    expect(boxes.map(entry => entry.sliceIndex)).toEqual([3, 2, 1, 0]);
    expect(boxes.map(entry => entry.sopInstanceUid)).toEqual(['1.2.3.3', '1.2.3.2', '1.2.3.1', '1.2.3.0']);
    expectBoxClose(boxes[1]?.box, { x0: 12, y0: 20, x1: 14, y1: 25 });
  });

  test('shuffled array order sorts by position', () => {
    const shuffled = axialSlices([2, 0, 3, 1]);
    const boxes = interpolateKeyBoxes(shuffled, [key(shuffled[1]!, bottomBox), key(shuffled[2]!, topBox)]);
    expect(boxes.map(entry => entry.sliceIndex)).toEqual([1, 3, 0, 2]);
    expectBoxClose(boxes[2]?.box, { x0: 14, y0: 20, x1: 16, y1: 27 });
  });

  test('gap weights by distance, not slice count', () => {
    // z = 2 and 3 are missing: t = z / 5 gives x1 = 10 + 10t.
    const withGap = axialSlices([0, 1, 4, 5]);
    const boxes = interpolateKeyBoxes(withGap, [
      key(withGap[0]!, { x0: 0, y0: 0, x1: 10, y1: 10 }),
      key(withGap[3]!, { x0: 0, y0: 0, x1: 20, y1: 10 }),
    ]);
    expectBoxClose(boxes[1]?.box, { x0: 0, y0: 0, x1: 12, y1: 10 });
    expectBoxClose(boxes[2]?.box, { x0: 0, y0: 0, x1: 18, y1: 10 });
  });

  test('uneven spacing weights by distance', () => {
    // Positions 0, 0.5, 2, 4: t = 0.125 and 0.5 for the inner slices.
    const uneven = axialSlices([0, 0.5, 2, 4]);
    const boxes = interpolateKeyBoxes(uneven, [
      key(uneven[0]!, { x0: 0, y0: 0, x1: 8, y1: 8 }),
      key(uneven[3]!, { x0: 8, y0: 0, x1: 16, y1: 8 }),
    ]);
    expectBoxClose(boxes[1]?.box, { x0: 1, y0: 0, x1: 9, y1: 8 });
    expectBoxClose(boxes[2]?.box, { x0: 4, y0: 0, x1: 12, y1: 8 });
  });

  test('negative spacing returns ascending positions', () => {
    // Stored from z = 0 down to z = -7.5 in steps of -2.5 mm.
    const descending = axialSlices([0, -2.5, -5, -7.5]);
    const boxes = interpolateKeyBoxes(descending, [
      key(descending[0]!, { x0: 30, y0: 30, x1: 40, y1: 40 }),
      key(descending[3]!, { x0: 0, y0: 0, x1: 10, y1: 10 }),
    ]);
    expect(boxes.map(entry => entry.positionMm)).toEqual([-7.5, -5, -2.5, 0]);
    // z = -5 lies 1/3 of the way from z = -7.5 to z = 0.
    expectBoxClose(boxes[1]?.box, { x0: 10, y0: 10, x1: 20, y1: 20 });
  });

  test('flipped normal orders along that normal', () => {
    // Column cosines [0, -1, 0] make the normal [0, 0, -1], so position = -z.
    const flipped = axialSlices([0, 1, 2], { columnCosines: [0, -1, 0] });
    const boxes = interpolateKeyBoxes(flipped, [
      key(flipped[0]!, { x0: 0, y0: 0, x1: 4, y1: 4 }),
      key(flipped[2]!, { x0: 0, y0: 0, x1: 8, y1: 4 }),
    ]);
    expect(boxes.map(entry => entry.sliceIndex)).toEqual([2, 1, 0]);
    expect(boxes.map(entry => entry.positionMm)).toEqual([-2, -1, 0]);
  });

  test('nothing beyond the first and last key slice', () => {
    const series = axialSlices([0, 1, 2, 3, 4, 5]);
    const boxes = interpolateKeyBoxes(series, [key(series[1]!, bottomBox), key(series[4]!, topBox)]);
    expect(boxes.map(entry => entry.sliceIndex)).toEqual([1, 2, 3, 4]);
  });

  test('three key boxes interpolate piecewise', () => {
    const series = axialSlices([0, 1, 2, 3, 4]);
    const boxes = interpolateKeyBoxes(series, [
      key(series[0]!, { x0: 0, y0: 0, x1: 10, y1: 10 }),
      key(series[2]!, { x0: 0, y0: 0, x1: 20, y1: 10 }),
      key(series[4]!, { x0: 0, y0: 0, x1: 12, y1: 10 }),
    ]);
    expectBoxClose(boxes[1]?.box, { x0: 0, y0: 0, x1: 15, y1: 10 });
    expectBoxClose(boxes[3]?.box, { x0: 0, y0: 0, x1: 16, y1: 10 });
  });

  test('single key box returns only its slice', () => {
    const boxes = interpolateKeyBoxes(fourSlices, [key(fourSlices[2]!, bottomBox)]);
    expect(boxes).toEqual([
      {
        sopInstanceUid: '1.2.3.2',
        frameNumber: 1,
        sliceIndex: 2,
        positionMm: 2,
        box: bottomBox,
        isKeySlice: true,
      },
    ]);
  });

  test('shifted pixel grid projects through patient space', () => {
    // The middle slice's first pixel centre is 5 mm further along x, so
    // the same patient rectangle starts 5 pixels further left.
    const series = [axialSlice('a', 0), axialSlice('b', 1, { originMm: [5, 0] }), axialSlice('c', 2)];
    const box = { x0: 20, y0: 20, x1: 30, y1: 30 };
    const boxes = interpolateKeyBoxes(series, [key(series[0]!, box), key(series[2]!, box)]);
    expectBoxClose(boxes[1]?.box, { x0: 15, y0: 20, x1: 25, y1: 30 });
  });

  test('finer pixel spacing scales the box', () => {
    // 0.5 mm columns: the corner at x = 20 px (19.5 mm from the first pixel centre) is x = 39.5 px.
    const series = [axialSlice('a', 0), axialSlice('b', 1, { columnSpacingMm: 0.5, columns: 128 }), axialSlice('c', 2)];
    const box = { x0: 20, y0: 20, x1: 30, y1: 30 };
    const boxes = interpolateKeyBoxes(series, [key(series[0]!, box), key(series[2]!, box)]);
    expectBoxClose(boxes[1]?.box, { x0: 39.5, y0: 20, x1: 59.5, y1: 30 });
  });

  test('projected box is clipped to the image', () => {
    const series = [axialSlice('a', 0), axialSlice('b', 1, { originMm: [-10, 0] }), axialSlice('c', 2)];
    const box = { x0: 50, y0: 20, x1: 60, y1: 30 };
    const boxes = interpolateKeyBoxes(series, [key(series[0]!, box), key(series[2]!, box)]);
    expectBoxClose(boxes[1]?.box, { x0: 60, y0: 20, x1: 64, y1: 30 });
  });

  test('tilted slice is rejected', () => {
    const tilted = axialSlice('tilted', 1, { columnCosines: [0, Math.cos(0.1), Math.sin(0.1)] });
    const series = [axialSlice('a', 0), tilted, axialSlice('c', 2)];
    const error = expectMedsamError(
      () => interpolateKeyBoxes(series, [key(series[0]!, bottomBox), key(series[2]!, topBox)]),
      'series/invalid'
    );
    expect(error.message).toContain('SOP Instance UID tilted');
    expect(error.message).toContain('5.73 degrees');
  });

  test('empty key list is rejected', () => {
    expectMedsamError(() => interpolateKeyBoxes(fourSlices, []), 'box/invalid');
  });

  test('key box on unknown slice is rejected', () => {
    const error = expectMedsamError(
      () => interpolateKeyBoxes(fourSlices, [{ sopInstanceUid: '9.9', frameNumber: 1, box: bottomBox }]),
      'box/invalid'
    );
    expect(error.message).toContain('SOP Instance UID 9.9');
  });

  test('key box past the image is rejected', () => {
    const error = expectMedsamError(
      () => interpolateKeyBoxes(fourSlices, [key(fourSlices[0]!, { x0: 60, y0: 0, x1: 65, y1: 4 })]),
      'box/invalid'
    );
    expect(error.message).toContain('x1: 65');
  });

  test('key box with swapped corners is rejected', () => {
    expectMedsamError(
      () => interpolateKeyBoxes(fourSlices, [key(fourSlices[0]!, { x0: 12, y0: 20, x1: 10, y1: 23 })]),
      'box/invalid'
    );
  });

  test('key box with NaN corner is rejected', () => {
    expectMedsamError(
      () => interpolateKeyBoxes(fourSlices, [key(fourSlices[0]!, { x0: Number.NaN, y0: 20, x1: 10, y1: 23 })]),
      'box/invalid'
    );
  });

  test('two key boxes on one slice are rejected', () => {
    expectMedsamError(
      () => interpolateKeyBoxes(fourSlices, [key(fourSlices[1]!, bottomBox), key(fourSlices[1]!, topBox)]),
      'box/invalid'
    );
  });

  test('two slices at one position are rejected', () => {
    const series = [axialSlice('a', 0), axialSlice('b', 1), axialSlice('c', 1)];
    const error = expectMedsamError(
      () => interpolateKeyBoxes(series, [key(series[0]!, bottomBox), key(series[2]!, topBox)]),
      'series/invalid'
    );
    expect(error.message).toContain('same position');
  });

  test('repeated SOP Instance UID and frame is rejected', () => {
    const series = [axialSlice('a', 0), axialSlice('a', 1)];
    expectMedsamError(() => interpolateKeyBoxes(series, [key(series[0]!, bottomBox)]), 'series/invalid');
  });

  test('non-positive pixel spacing is rejected', () => {
    const series = [axialSlice('a', 0, { rowSpacingMm: 0 }), axialSlice('b', 1)];
    expectMedsamError(() => interpolateKeyBoxes(series, [key(series[1]!, bottomBox)]), 'series/invalid');
  });

  test('frames of one instance are told apart', () => {
    const frames: SeriesSlice[] = [0, 1, 2].map(z => ({ ...axialSlice('multi', z), frameNumber: z + 1 }));
    const boxes = interpolateKeyBoxes(frames, [key(frames[0]!, bottomBox), key(frames[2]!, bottomBox)]);
    expect(boxes.map(entry => entry.frameNumber)).toEqual([1, 2, 3]);
  });
});
