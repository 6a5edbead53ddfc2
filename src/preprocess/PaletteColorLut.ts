/**
 * One channel of the Palette Color Lookup Table Module (DICOM PS3.3 C.7.9):
 * the descriptor and either the table itself or its segmented form.
 */
export interface PaletteColorLutChannel {
  /**
   * Palette Color Lookup Table Descriptor (0028,1101-1103): the number of
   * entries (0 means 65536), the first stored pixel value mapped (negative
   * only for signed Pixel Data) and the bits per entry (8 or 16).
   */
  descriptor: readonly [number, number, number];
  /**
   * Palette Color Lookup Table Data (0028,1201-1203), one element per entry:
   * Uint8Array for 8-bit entries, Uint16Array for 16-bit entries.
   */
  data?: Uint8Array | Uint16Array;
  /**
   * Segmented Palette Color Lookup Table Data (0028,1221-1223), in words of
   * the descriptor's bits per entry: Uint8Array for 8, Uint16Array for 16.
   * Used when `data` is absent.
   */
  segmentedData?: Uint8Array | Uint16Array;
}

/** The red, green and blue tables of a PALETTE COLOR image. */
export interface PaletteColorLut {
  red: PaletteColorLutChannel;
  green: PaletteColorLutChannel;
  blue: PaletteColorLutChannel;
}
