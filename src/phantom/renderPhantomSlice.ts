import { PHANTOM_HU, type PhantomLesion, type Vector3Mm } from './PhantomOptions';

/** In-plane geometry of an axial slice with IOP [1,0,0,0,1,0]. */
export interface AxialSliceGeometry {
  rows: number;
  columns: number;
  /** [between rows (y), between columns (x)], mm. */
  pixelSpacingMm: [number, number];
  /** Centre of the first transmitted pixel, mm. */
  imagePositionPatient: Vector3Mm;
}

/** Pixels and lesion mask of one phantom slice. */
export interface RenderedSlice {
  /** Stored values (HU + 1024), row-major. */
  storedValues: Int16Array;
  /** 1 where the voxel centre lies inside the lesion ellipsoid, row-major. */
  mask: Uint8Array;
}

/** Body outline: an elliptic cylinder centred on the z axis, mm. */
const BODY_SEMI_AXES_MM = { x: 160, y: 110 };
/** Spine: a cylinder posterior of the centre (LPS: +y is posterior), mm. */
const SPINE = { centerXMm: 0, centerYMm: 70, radiusMm: 15 };
/** RescaleIntercept of the phantom; stored value = HU - intercept. */
export const PHANTOM_RESCALE_INTERCEPT = -1024;

/**
 * Renders one axial slice: air outside an elliptic body of soft tissue, a
 * spine disk, and the lesion, which wins wherever it overlaps the rest. A
 * voxel belongs to a structure when its centre lies inside it, so the mask
 * is exact for the returned pixels.
 */
export function renderPhantomSlice(geometry: AxialSliceGeometry, lesion: PhantomLesion): RenderedSlice {
  const { rows, columns, pixelSpacingMm, imagePositionPatient } = geometry;
  const [rowSpacing, columnSpacing] = pixelSpacingMm;
  const [x0, y0, z] = imagePositionPatient;
  const [cx, cy, cz] = lesion.centerMm;
  const [ax, ay, az] = lesion.semiAxesMm;

  const storedValues = new Int16Array(rows * columns);
  const mask = new Uint8Array(rows * columns);
  const dz = (z - cz) / az;
  const reachesSlice = dz * dz <= 1;

  for (let row = 0; row < rows; row++) {
    const y = y0 + row * rowSpacing;
    for (let column = 0; column < columns; column++) {
      const x = x0 + column * columnSpacing;
      const index = row * columns + column;

      let hu: number = PHANTOM_HU.air;
      const bx = x / BODY_SEMI_AXES_MM.x;
      const by = y / BODY_SEMI_AXES_MM.y;
      if (bx * bx + by * by <= 1) {
        hu = PHANTOM_HU.softTissue;
      }
      const sx = x - SPINE.centerXMm;
      const sy = y - SPINE.centerYMm;
      if (sx * sx + sy * sy <= SPINE.radiusMm * SPINE.radiusMm) {
        hu = PHANTOM_HU.spine;
      }
      if (reachesSlice) {
        const lx = (x - cx) / ax;
        const ly = (y - cy) / ay;
        if (lx * lx + ly * ly + dz * dz <= 1) {
          hu = lesion.hu;
          mask[index] = 1;
        }
      }

      storedValues[index] = hu - PHANTOM_RESCALE_INTERCEPT;
    }
  }

  return { storedValues, mask };
}
