import type { SourceImage } from './SourceImage';

/** A source image with its signed distance along the slice normal, mm. */
export interface PositionedSourceImage {
  image: SourceImage;
  /** Dot product of ImagePositionPatient with the slice normal, mm. */
  distanceMm: number;
}

/** Returns the slice normal, the cross product of the row and column direction cosines. */
export function computeSliceNormal(orientation: SourceImage['imageOrientationPatient']): [number, number, number] {
  const [rx, ry, rz, cx, cy, cz] = orientation;
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

/**
 * Sorts source images by ascending position along their common slice
 * normal, which for an axial series is ascending z. Input order and
 * InstanceNumber play no part.
 */
export function sortSourceImagesAlongNormal(images: SourceImage[]): PositionedSourceImage[] {
  const first = images[0];
  if (!first) {
    return [];
  }
  const normal = computeSliceNormal(first.imageOrientationPatient);
  return images
    .map((image) => {
      const [x, y, z] = image.imagePositionPatient;
      return { image, distanceMm: x * normal[0] + y * normal[1] + z * normal[2] };
    })
    .sort((a, b) => a.distanceMm - b.distanceMm);
}
