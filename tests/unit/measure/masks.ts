/** Builds a columns x rows mask with ones on the inclusive column and row ranges. */
export function rectangleMask(
  size: { columns: number; rows: number },
  columnRange: [number, number],
  rowRange: [number, number]
): Uint8Array {
  const mask = new Uint8Array(size.columns * size.rows);
  for (let row = rowRange[0]; row <= rowRange[1]; row++) {
    mask.fill(1, row * size.columns + columnRange[0], row * size.columns + columnRange[1] + 1);
  }
  return mask;
}

/** Builds a columns x rows mask of the pixels within `radius` pixels of the centre pixel (centre to centre). */
export function diskMask(size: { columns: number; rows: number }, center: [number, number], radius: number): Uint8Array {
  const mask = new Uint8Array(size.columns * size.rows);
  for (let row = 0; row < size.rows; row++) {
    for (let column = 0; column < size.columns; column++) {
      if ((column - center[0]) ** 2 + (row - center[1]) ** 2 <= radius * radius) {
        mask[row * size.columns + column] = 1;
      }
    }
  }
  return mask;
}
