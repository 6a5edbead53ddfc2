import type { ImagePlane } from '../geometry/worldToImagePixel';

/**
 * Computes the slice normal of a plane, the cross product of its row and
 * column direction cosines. For an axial slice with ImageOrientationPatient
 * [1, 0, 0, 0, 1, 0] it is [0, 0, 1].
 */
export function computePlaneNormal(plane: ImagePlane): [number, number, number] {
  const [rx, ry, rz] = plane.rowCosines;
  const [cx, cy, cz] = plane.columnCosines;
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}
