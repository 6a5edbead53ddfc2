import { worldToImagePixel, type ImagePlane } from '../geometry/worldToImagePixel';
import type { PixelBox } from '../protocol/workerMessages';

/**
 * Projects a box from the pixel grid of one plane onto the pixel grid of a
 * parallel plane through patient coordinates, and returns the axis-aligned
 * box that contains the four projected corners. Both boxes use the corner
 * convention of `worldToImagePixel`. The result is not clipped.
 *
 * When the two grids share their direction cosines (the usual case within a
 * series) the projection is exact. NOTE: when one grid is rotated in-plane
 * against the other by an angle that is not a multiple of 90 degrees, the
 * projected rectangle is tilted and the returned box is larger than it.
 */
export function projectBoxToPlane(box: PixelBox, from: ImagePlane, to: ImagePlane): PixelBox {
  const corners = [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x0, box.y1],
    [box.x1, box.y1],
  ] as const;
  const projected = corners.map(([x, y]) => worldToImagePixel(imagePixelToWorld(x, y, from), to));
  const xs = projected.map(point => point.x);
  const ys = projected.map(point => point.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Inverts `worldToImagePixel`: the patient point (mm) of continuous pixel coordinates. */
function imagePixelToWorld(x: number, y: number, plane: ImagePlane): [number, number, number] {
  const u = (x - 0.5) * plane.columnSpacingMm;
  const v = (y - 0.5) * plane.rowSpacingMm;
  const [ox, oy, oz] = plane.imagePositionPatient;
  const [rx, ry, rz] = plane.rowCosines;
  const [cx, cy, cz] = plane.columnCosines;
  return [ox + u * rx + v * cx, oy + u * ry + v * cy, oz + u * rz + v * cz];
}
