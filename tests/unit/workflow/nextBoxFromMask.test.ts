import { nextBoxFromMask } from '../../../src/workflow';
import { expectMedsamError } from '../preprocess/expectMedsamError';

/** A width x height mask with ones on columns x0..x1 and rows y0..y1, inclusive. */
function rectangleMask(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = y0; y <= y1; y++) {
    mask.fill(1, y * width + x0, y * width + x1 + 1);
  }
  return mask;
}

describe('nextBoxFromMask', () => {
  test('rectangle without margin gives its pixel corners', () => {
    // Columns 3..5 and rows 2..3 cover corners x 3..6 and y 2..4.
    expect(nextBoxFromMask(rectangleMask(10, 8, 3, 2, 5, 3), 10, 8, 0)).toEqual({ x0: 3, y0: 2, x1: 6, y1: 4 });
  });

  test('margin grows every side', () => {
    expect(nextBoxFromMask(rectangleMask(10, 8, 3, 2, 5, 3), 10, 8, 1)).toEqual({ x0: 2, y0: 1, x1: 7, y1: 5 });
  });

  test('margin is clipped to the image', () => {
    expect(nextBoxFromMask(rectangleMask(10, 8, 1, 0, 8, 6), 10, 8, 3)).toEqual({ x0: 0, y0: 0, x1: 10, y1: 8 });
  });

  test('scattered pixels give their bounding box', () => {
    const mask = new Uint8Array(10 * 8);
    mask[1 * 10 + 7] = 1;
    mask[6 * 10 + 2] = 255;
    expect(nextBoxFromMask(mask, 10, 8, 0)).toEqual({ x0: 2, y0: 1, x1: 8, y1: 7 });
  });

  test('empty mask returns null', () => {
    expect(nextBoxFromMask(new Uint8Array(80), 10, 8, 2)).toBeNull();
  });

  test('wrong mask length is rejected', () => {
    const error = expectMedsamError(() => nextBoxFromMask(new Uint8Array(79), 10, 8, 2), 'mask/invalid');
    expect(error.message).toContain('79');
  });

  test('negative margin is rejected', () => {
    expectMedsamError(() => nextBoxFromMask(new Uint8Array(80), 10, 8, -1), 'box/invalid');
  });
});
