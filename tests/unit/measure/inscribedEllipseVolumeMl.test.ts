import { inscribedEllipseVolumeMl } from '../../../src/measure';
import { expectMedsamError } from '../preprocess/expectMedsamError';

describe('inscribedEllipseVolumeMl', () => {
  test('one box with anisotropic pixels', () => {
    // 4 px x 0.5 mm and 2 px x 2 mm: semi-axes 1 and 2 mm, area 2 pi; x 3 mm.
    const volume = inscribedEllipseVolumeMl([{ x0: 10, y0: 5, x1: 14, y1: 7 }], {
      columnSpacingMm: 0.5,
      rowSpacingMm: 2,
      sliceSpacingMm: 3,
    });
    expect(volume).toBeCloseTo((6 * Math.PI) / 1000, 15);
  });

  test('boxes add up', () => {
    // Semi-axes 5 x 5 and 10 x 5 mm: 25 pi + 50 pi mm^2, x 2 mm.
    const volume = inscribedEllipseVolumeMl(
      [
        { x0: 0, y0: 0, x1: 10, y1: 10 },
        { x0: 0, y0: 0, x1: 20, y1: 10 },
      ],
      { columnSpacingMm: 1, rowSpacingMm: 1, sliceSpacingMm: 2 }
    );
    expect(volume).toBeCloseTo((150 * Math.PI) / 1000, 15);
  });

  test('no boxes give zero', () => {
    expect(inscribedEllipseVolumeMl([], { columnSpacingMm: 1, rowSpacingMm: 1, sliceSpacingMm: 1 })).toBe(0);
  });

  test('box with swapped corners is rejected', () => {
    expectMedsamError(
      () => inscribedEllipseVolumeMl([{ x0: 5, y0: 0, x1: 1, y1: 4 }], { columnSpacingMm: 1, rowSpacingMm: 1, sliceSpacingMm: 1 }),
      'box/invalid'
    );
  });

  test('zero slice spacing is rejected', () => {
    expectMedsamError(() => inscribedEllipseVolumeMl([], { columnSpacingMm: 1, rowSpacingMm: 1, sliceSpacingMm: 0 }), 'series/invalid');
  });
});
