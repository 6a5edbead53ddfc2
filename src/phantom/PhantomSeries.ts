import type { PhantomLesion, Vector3Mm } from './PhantomOptions';

/** Pixel bounding box of a mask, inclusive on both ends. */
export interface PixelBoundingBox {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** One generated CT instance. */
export interface PhantomInstance {
  /** The DICOM Part 10 file. */
  file: ArrayBuffer;
  sopInstanceUid: string;
  instanceNumber: number;
  imagePositionPatient: Vector3Mm;
  /** Position in the gap-free slice grid, 0 = lowest z. */
  gridIndex: number;
}

/** The exact lesion mask of one slice. */
export interface PhantomMaskSlice {
  sopInstanceUid: string;
  imagePositionPatient: Vector3Mm;
  gridIndex: number;
  /** rows x columns, row-major, 1 where the voxel centre lies inside the lesion. */
  mask: Uint8Array;
  voxelCount: number;
  /** Null when the lesion does not reach this slice. */
  boundingBox: PixelBoundingBox | null;
}

/** The output of `createPhantomSeries`. */
export interface PhantomSeries {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  rows: number;
  columns: number;
  pixelSpacingMm: [rowSpacing: number, columnSpacing: number];
  sliceSpacingMm: number;
  sliceThicknessMm: number;
  lesion: PhantomLesion;
  /** Instances in file order, which is InstanceNumber order. */
  instances: PhantomInstance[];
  /** Ground truth of every instance, in spatial order (ascending z). */
  groundTruth: PhantomMaskSlice[];
}
