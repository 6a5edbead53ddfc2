import type { ImagePlane } from '../../../src/geometry/worldToImagePixel';
import type { SeriesSlice } from '../../../src/workflow';

/** In-plane grid of a test slice; every field has a default. */
export interface TestGrid {
  rows?: number;
  columns?: number;
  rowSpacingMm?: number;
  columnSpacingMm?: number;
  /** x and y of ImagePositionPatient, mm. Default [0, 0]. */
  originMm?: [number, number];
  rowCosines?: ImagePlane['rowCosines'];
  columnCosines?: ImagePlane['columnCosines'];
}

/**
 * Builds axial slices at the given z positions (mm), in the given array
 * order, with UIDs `1.2.3.<array index>`. Defaults: 64x64 pixels of 1 mm,
 * ImageOrientationPatient [1, 0, 0, 0, 1, 0], first pixel centre at x = y = 0.
 */
export function axialSlices(zPositionsMm: readonly number[], grid: TestGrid = {}): SeriesSlice[] {
  return zPositionsMm.map((z, index) => axialSlice(`1.2.3.${index}`, z, grid));
}

/** Builds one axial slice at `z` mm with the given grid. */
export function axialSlice(sopInstanceUid: string, z: number, grid: TestGrid = {}): SeriesSlice {
  const [x, y] = grid.originMm ?? [0, 0];
  return {
    sopInstanceUid,
    frameNumber: 1,
    rows: grid.rows ?? 64,
    columns: grid.columns ?? 64,
    plane: {
      imagePositionPatient: [x, y, z],
      rowCosines: grid.rowCosines ?? [1, 0, 0],
      columnCosines: grid.columnCosines ?? [0, 1, 0],
      rowSpacingMm: grid.rowSpacingMm ?? 1,
      columnSpacingMm: grid.columnSpacingMm ?? 1,
    },
  };
}
