import type { SliceReference } from '../workflow/SeriesSlice';

/** One end of the range of slices that contain mask pixels. */
export interface MeasuredSlice extends SliceReference {
  /** Index of the slice in the `slices` array that was passed in. */
  sliceIndex: number;
  /** Rank of the slice in ascending position along the slice normal, from 0. */
  spatialIndex: number;
  /** Position of the slice along the slice normal, mm. */
  positionMm: number;
}

/** The longest in-plane distance between two mask pixel centres. */
export interface InPlaneDiameter {
  lengthMm: number;
  /** Column and row index of one end pixel; its centre is at (column + 0.5, row + 0.5) in image pixels. */
  from: { column: number; row: number };
  /** Column and row index of the other end pixel. */
  to: { column: number; row: number };
}

/** The longest in-plane diameter of a segmentation and the slice it lies on. */
export interface SliceDiameter extends InPlaneDiameter {
  slice: MeasuredSlice;
}

/** Volume, longest in-plane diameter and slice range of a segmentation. */
export interface SegmentationMeasurement {
  /** Sum over slices of mask pixels x pixel area x slab thickness, in mL (1 mL = 1000 mm^3). */
  volumeMl: number;
  /** Number of non-zero mask pixels over all slices. */
  voxelCount: number;
  /** Null when every mask is empty. */
  longestDiameter: SliceDiameter | null;
  /** Null when every mask is empty. */
  sliceRange: {
    first: MeasuredSlice;
    last: MeasuredSlice;
    /** Distance between the centres of the first and last slice along the normal, mm. */
    extentMm: number;
    /** Number of slices with at least one mask pixel. */
    sliceCount: number;
  } | null;
}
