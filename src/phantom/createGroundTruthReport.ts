import type { PhantomLesion, Vector3Mm } from './PhantomOptions';
import type { PhantomSeries, PixelBoundingBox } from './PhantomSeries';

/** One slice of the ground-truth report, in spatial order. */
export interface GroundTruthReportSlice {
  sopInstanceUid: string;
  instanceNumber: number;
  /** File name that `phantomFileName` gives this instance. */
  fileName: string;
  imagePositionPatient: Vector3Mm;
  voxelCount: number;
  /** Inclusive pixel box of the lesion (x = column, y = row), or null. */
  boundingBox: PixelBoundingBox | null;
}

/** The JSON document that describes a phantom's ground truth. */
export interface GroundTruthReport {
  format: 'medsam-phantom-ground-truth/1';
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  rows: number;
  columns: number;
  pixelSpacingMm: [number, number];
  sliceSpacingMm: number;
  sliceThicknessMm: number;
  lesion: PhantomLesion;
  /** How the companion mask file is laid out. */
  mask: { fileName: string; dtype: 'uint8'; shape: [slices: number, rows: number, columns: number] };
  /** Every instance in ascending z, the order of the slices in the mask file. */
  slices: GroundTruthReportSlice[];
}

/** Name of the mask file that `concatenateGroundTruthMasks` fills. */
export const GROUND_TRUTH_MASK_FILE_NAME = 'ground-truth-mask.bin';

/** File name of the instance with the given InstanceNumber, e.g. `CT0001.dcm`. */
export function phantomFileName(instanceNumber: number): string {
  return `CT${String(instanceNumber).padStart(4, '0')}.dcm`;
}

/** Builds the ground-truth JSON document of a phantom series. */
export function createGroundTruthReport(series: PhantomSeries): GroundTruthReport {
  const instanceNumberByUid = new Map(series.instances.map((item) => [item.sopInstanceUid, item.instanceNumber]));

  return {
    format: 'medsam-phantom-ground-truth/1',
    studyInstanceUid: series.studyInstanceUid,
    seriesInstanceUid: series.seriesInstanceUid,
    frameOfReferenceUid: series.frameOfReferenceUid,
    rows: series.rows,
    columns: series.columns,
    pixelSpacingMm: series.pixelSpacingMm,
    sliceSpacingMm: series.sliceSpacingMm,
    sliceThicknessMm: series.sliceThicknessMm,
    lesion: series.lesion,
    mask: {
      fileName: GROUND_TRUTH_MASK_FILE_NAME,
      dtype: 'uint8',
      shape: [series.groundTruth.length, series.rows, series.columns],
    },
    slices: series.groundTruth.map((slice) => {
      const instanceNumber = instanceNumberByUid.get(slice.sopInstanceUid) ?? 0;
      return {
        sopInstanceUid: slice.sopInstanceUid,
        instanceNumber,
        fileName: phantomFileName(instanceNumber),
        imagePositionPatient: slice.imagePositionPatient,
        voxelCount: slice.voxelCount,
        boundingBox: slice.boundingBox,
      };
    }),
  };
}

/** Concatenates the ground-truth masks in spatial order, one byte per voxel. */
export function concatenateGroundTruthMasks(series: PhantomSeries): Uint8Array {
  const sliceSize = series.rows * series.columns;
  const volume = new Uint8Array(series.groundTruth.length * sliceSize);
  series.groundTruth.forEach((slice, index) => volume.set(slice.mask, index * sliceSize));
  return volume;
}
