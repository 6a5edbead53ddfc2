/** Geometry of one image plane, from the Image Plane Module (DICOM PS3.3 C.7.6.2). */
export interface ImagePlane {
  /** ImagePositionPatient: centre of the first transmitted pixel, in mm. */
  imagePositionPatient: readonly [number, number, number];
  /** First three values of ImageOrientationPatient: direction of increasing column index. */
  rowCosines: readonly [number, number, number];
  /** Last three values of ImageOrientationPatient: direction of increasing row index. */
  columnCosines: readonly [number, number, number];
  /** Horizontal distance between pixel centres (PixelSpacing[1]), in mm. */
  columnSpacingMm: number;
  /** Vertical distance between pixel centres (PixelSpacing[0]), in mm. */
  rowSpacingMm: number;
}

/**
 * Projects a patient point (mm) onto the plane and returns continuous pixel
 * coordinates with (0, 0) at the top-left corner of the first pixel, so the
 * centre of pixel (i, j) is (i + 0.5, j + 0.5). MedSAM scales boxes in this
 * convention: an edge at x maps to x * 1024 / width.
 */
export function worldToImagePixel(point: readonly number[], plane: ImagePlane): { x: number; y: number } {
  const [px = 0, py = 0, pz = 0] = point;
  const [ox, oy, oz] = plane.imagePositionPatient;
  const dx = px - ox;
  const dy = py - oy;
  const dz = pz - oz;
  const [rx, ry, rz] = plane.rowCosines;
  const [cx, cy, cz] = plane.columnCosines;
  return {
    x: (dx * rx + dy * ry + dz * rz) / plane.columnSpacingMm + 0.5,
    y: (dx * cx + dy * cy + dz * cz) / plane.rowSpacingMm + 0.5,
  };
}
