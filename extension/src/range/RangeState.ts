import type { PixelBox } from '../../../src/protocol/workerMessages';
import type { SegmentedPropertyType } from '../../../src/seg/segmentedPropertyCodes';
import type { KeyBoxEntry } from './listKeyBoxes';

/** Source of each slice's box in a range run. */
export type RangeMode = 'interpolate' | 'propagate';

/** One slice of the planned or finished range. */
export interface RangeSlice {
  /** Index of the image in the series' image ids, from 0; the viewer shows it plus 1. */
  sliceIndex: number;
  imageId: string;
  /** Position along the slice normal, mm. */
  positionMm: number;
  /** The prompt box; null for a slice whose box comes from the previous mask and is not known yet. */
  box: PixelBox | null;
  source: 'key' | 'interpolated' | 'repeated' | 'mask';
  /** `planned` before the run; after it, the reviewer's decision. */
  status: 'planned' | 'segmented' | 'accepted' | 'rejected';
  /** Mask pixels written for the segment, once segmented. */
  maskPixels: number | null;
  /** Encoder time of the slice in the run; null when its embedding was cached, absent before the run. */
  encoderMs?: number | null;
  /** Decoder time of the slice in the run; absent before the run. */
  decoderMs?: number;
}

/** The lesion segments of the MedSAM segmentation. */
export interface Lesion {
  /** Segment number in the labelmap and in the SEG, from 1. */
  index: number;
  label: string;
  /** Coded type (SNOMED CT, DICOM CID 7151) that Save writes for the segment. */
  type: SegmentedPropertyType;
}

/** Volume, longest diameter and slice range of the current segment. */
export type MeasurementState =
  | { phase: 'none' }
  | { phase: 'empty' }
  | {
      phase: 'ready';
      volumeMl: number;
      longestDiameterMm: number | null;
      /** Image (index from 0) of the longest diameter. */
      diameterSliceIndex: number | null;
      firstSliceIndex: number;
      lastSliceIndex: number;
      sliceCount: number;
      extentMm: number;
    }
  | { phase: 'error'; message: string };

/** State of the key boxes, the range run and its review, owned by `RangeController`. */
export interface RangeState {
  mode: RangeMode;
  /** Slices on each side of a single key box that "Segment range" covers. */
  repeatSlices: number;
  /** Pixels added around the previous mask's bounding box in propagate mode. */
  marginPx: number;
  lesions: Lesion[];
  currentLesion: number;
  keyBoxes: KeyBoxEntry[];
  /** Reason the key boxes cannot make a range, or null. */
  planError: string | null;
  /** The slices that "Segment range" would run, with their boxes. */
  plan: RangeSlice[];
  /** The slices of the last run, for review. */
  review: RangeSlice[];
  run:
    | { phase: 'idle' }
    | { phase: 'running'; done: number; total: number; remainingMs: number | null }
    | { phase: 'done'; done: number; total: number; cancelled: boolean; elapsedMs: number }
    | { phase: 'error'; done: number; message: string };
  /** Number of runs that undo can take back, newest last. */
  undoableRuns: number;
  measurement: MeasurementState;
}
