import type { ImagePlane } from '../geometry/worldToImagePixel';
import type { PixelBox } from '../protocol/workerMessages';

/** Identity of one frame of one instance. */
export interface SliceReference {
  sopInstanceUid: string;
  /** 1-based frame number; 1 for a single-frame instance. */
  frameNumber: number;
}

/** One frame of a series with the geometry of its pixel grid. */
export interface SeriesSlice extends SliceReference {
  plane: ImagePlane;
  rows: number;
  columns: number;
}

/** A box that the user drew on one slice, in that slice's image pixels. */
export interface KeyBox extends SliceReference {
  box: PixelBox;
}

/** The box of one slice, in that slice's image pixels (corner convention). */
export interface SliceBox extends SliceReference {
  /** Index of the slice in the `slices` array that the caller passed in. */
  sliceIndex: number;
  /** Position of the slice along the common slice normal, mm. */
  positionMm: number;
  box: PixelBox;
  /** True where the box is a key box, returned unchanged. */
  isKeySlice: boolean;
}
