import type { PixelBox } from '../../../src/protocol/workerMessages';
import {
  propagateFromMask,
  type KeyBox,
  type PropagationOptions,
  type PropagationRequest,
  type SeriesSlice,
} from '../../../src/workflow';
import { expectMedsamError } from '../preprocess/expectMedsamError';
import { axialSlices } from './axialSlices';

const SIZE = 20;

/** Lesion extent per z (mm): inclusive first and last column and row, or absent. */
const LESION_BY_Z: ReadonlyMap<number, [number, number]> = new Map([
  [1, [8, 9]],
  [2, [7, 10]],
  [3, [6, 11]],
  [4, [7, 10]],
  [5, [8, 9]],
]);

/** Stands in for MedSAM: returns the lesion pixels whose centres lie inside the box. */
function segment(slice: SeriesSlice, box: PixelBox, emptyAtZ: ReadonlySet<number>): Uint8Array {
  const mask = new Uint8Array(SIZE * SIZE);
  const z = slice.plane.imagePositionPatient[2];
  const extent = LESION_BY_Z.get(z);
  if (!extent || emptyAtZ.has(z)) {
    return mask;
  }
  for (let y = extent[0]; y <= extent[1]; y++) {
    for (let x = extent[0]; x <= extent[1]; x++) {
      if (x + 0.5 > box.x0 && x + 0.5 < box.x1 && y + 0.5 > box.y0 && y + 0.5 < box.y1) {
        mask[y * SIZE + x] = 1;
      }
    }
  }
  return mask;
}

/** Drives the plan to the end and returns its requests with each slice's z. */
function drive(
  slices: SeriesSlice[],
  keyBoxes: KeyBox[],
  options: PropagationOptions,
  emptyAtZ: ReadonlySet<number> = new Set()
): (PropagationRequest & { z: number })[] {
  const requests: (PropagationRequest & { z: number })[] = [];
  const plan = propagateFromMask(slices, keyBoxes, options);
  for (let step = plan.next(); !step.done; ) {
    const slice = slices[step.value.sliceIndex]!;
    requests.push({ ...step.value, z: slice.plane.imagePositionPatient[2] });
    step = plan.next(segment(slice, step.value.box, emptyAtZ));
  }
  return requests;
}

describe('propagateFromMask', () => {
  // Stored top down, so array index = 6 - z.
  const slices = axialSlices([6, 5, 4, 3, 2, 1, 0], { rows: SIZE, columns: SIZE });
  const keyAt = (z: number, box: PixelBox): KeyBox => ({ sopInstanceUid: `1.2.3.${6 - z}`, frameNumber: 1, box });
  const wideBox = { x0: 4, y0: 4, x1: 16, y1: 16 };
  const threeKeys = [keyAt(1, wideBox), keyAt(5, wideBox), keyAt(3, wideBox)];

  test('starts on the middle key slice', () => {
    const requests = drive(slices, threeKeys, { marginPx: 1 });
    expect(requests[0]).toMatchObject({ z: 3, source: 'key', direction: 'start', box: wideBox });
  });

  test('visits ascending then descending slices', () => {
    const requests = drive(slices, threeKeys, { marginPx: 1 });
    expect(requests.map(entry => entry.z)).toEqual([3, 4, 5, 2, 1]);
  });

  test('unmarked slice gets previous mask box plus margin', () => {
    // The z = 3 mask covers columns and rows 6..11, corners 6..12, plus 1 px.
    const requests = drive(slices, threeKeys, { marginPx: 1 });
    const above = requests.find(entry => entry.z === 4);
    expect(above).toMatchObject({ source: 'mask', direction: 'ascending' });
    expect(above?.box.x0).toBeCloseTo(5, 9);
    expect(above?.box.y0).toBeCloseTo(5, 9);
    expect(above?.box.x1).toBeCloseTo(13, 9);
    expect(above?.box.y1).toBeCloseTo(13, 9);
  });

  test('descending direction restarts from the start mask', () => {
    const requests = drive(slices, threeKeys, { marginPx: 1 });
    const below = requests.find(entry => entry.z === 2);
    expect(below?.direction).toBe('descending');
    expect(below?.box.x1).toBeCloseTo(13, 9);
  });

  test('key slices are prompted with their key box', () => {
    const requests = drive(slices, threeKeys, { marginPx: 1 });
    expect(requests.filter(entry => entry.source === 'key').map(entry => entry.z)).toEqual([3, 5, 1]);
  });

  test('until-empty goes past the key range', () => {
    // z = 6 and z = 0, the ends of the series, return empty masks.
    const requests = drive(slices, threeKeys, { marginPx: 1, extent: 'until-empty' });
    expect(requests.map(entry => entry.z)).toEqual([3, 4, 5, 6, 2, 1, 0]);
  });

  test('until-empty with one key box', () => {
    const requests = drive(slices, [keyAt(3, wideBox)], { marginPx: 0, extent: 'until-empty' });
    expect(requests.map(entry => entry.z)).toEqual([3, 4, 5, 6, 2, 1, 0]);
  });

  test('empty mask stops after the lesion', () => {
    // The z = 6 mask is empty, so z = 7 and z = 8 get no request.
    const tall = axialSlices([0, 1, 2, 3, 4, 5, 6, 7, 8], { rows: SIZE, columns: SIZE });
    const key = { sopInstanceUid: '1.2.3.3', frameNumber: 1, box: wideBox };
    const plan = propagateFromMask(tall, [key], { marginPx: 0, extent: 'until-empty' });
    const zs: number[] = [];
    for (let step = plan.next(); !step.done; ) {
      const slice = tall[step.value.sliceIndex]!;
      zs.push(slice.plane.imagePositionPatient[2]);
      step = plan.next(segment(slice, step.value.box, new Set()));
    }
    expect(zs).toEqual([3, 4, 5, 6, 2, 1, 0]);
  });

  test('empty mask skips to the next key slice', () => {
    // Two key boxes: the start is the lower one (z = 1). The z = 3 mask is
    // empty, so z = 4 gets no request and z = 5 is prompted with its key box.
    const requests = drive(slices, [keyAt(1, wideBox), keyAt(5, wideBox)], { marginPx: 1 }, new Set([3]));
    expect(requests.map(entry => `${entry.z}:${entry.source}`)).toEqual(['1:key', '2:mask', '3:mask', '5:key']);
  });

  test('start slice can be chosen', () => {
    const requests = drive(slices, threeKeys, { marginPx: 1, startSliceIndex: 6 - 5 });
    expect(requests.map(entry => entry.z)).toEqual([5, 4, 3, 2, 1]);
  });

  test('start slice without key box is rejected', () => {
    expectMedsamError(() => propagateFromMask(slices, threeKeys, { marginPx: 1, startSliceIndex: 0 }), 'box/invalid');
  });

  test('negative margin is rejected', () => {
    expectMedsamError(() => propagateFromMask(slices, threeKeys, { marginPx: -2 }), 'box/invalid');
  });

  test('mask of the wrong size is rejected', () => {
    const plan = propagateFromMask(slices, threeKeys, { marginPx: 1 });
    plan.next();
    const error = expectMedsamError(() => plan.next(new Uint8Array(10)), 'mask/invalid');
    expect(error.message).toContain('400 values (20x20)');
  });

  test('missing mask is rejected', () => {
    const plan = propagateFromMask(slices, threeKeys, { marginPx: 1 });
    plan.next();
    expectMedsamError(() => plan.next(), 'mask/invalid');
  });
});
