import type { CodedConcept } from './CodedConcept';
import type { SourceImageInput } from './SourceImage';

/** SegmentAlgorithmType (0062,0008). */
export type SegmentAlgorithmType = 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL';

/** One segment and its masks. */
export interface SegmentInput {
  /** SegmentNumber; segments are numbered 1, 2, 3, ... in input order. */
  segmentNumber: number;
  /** SegmentLabel (LO, at most 64 characters). */
  label: string;
  /** SegmentDescription (ST), optional. */
  description?: string;
  /** Segmented Property Category; default SCT 49755003 "Morphologically Abnormal Structure". */
  category?: CodedConcept;
  /** Segmented Property Type; default SCT 4147007 "Mass". */
  type?: CodedConcept;
  /** Default SEMIAUTOMATIC. Anything but MANUAL needs `algorithm`. */
  algorithmType?: SegmentAlgorithmType;
  /** RecommendedDisplayCIELabValue as DICOM-scaled integers 0..65535 (PS3.3 C.10.7.1.1). */
  recommendedDisplayCieLab?: [number, number, number];
  /** TrackingID (UT), optional; needs `trackingUid` too. */
  trackingId?: string;
  trackingUid?: string;
  /**
   * Binary masks (rows x columns, row-major, values 0 or 1), one per source
   * frame. A Map or record is keyed by the SOPInstanceUID of a single-frame
   * source image. Masks on a multi-frame source need the frame number, so
   * pass them as a `SourceFrameMask` list. A source frame with no entry has
   * an empty mask.
   */
  masks: Map<string, Uint8Array> | Record<string, Uint8Array> | readonly SourceFrameMask[];
}

/** The mask of one segment on one frame of a source instance. */
export interface SourceFrameMask {
  sopInstanceUid: string;
  /** 1-based frame number; required for a multi-frame source, 1 or absent otherwise. */
  frameNumber?: number;
  /** rows x columns, row-major, values 0 or 1. */
  mask: Uint8Array;
}

/**
 * SegmentationType of the written SEG. BINARY writes Segmentation Storage
 * (1.2.840.10008.5.1.4.1.1.66.4) with one 1-bit frame per segment and
 * source frame. LABELMAP writes Label Map Segmentation Storage
 * (1.2.840.10008.5.1.4.1.1.66.7, added to DICOM in 2024) with one 8- or
 * 16-bit frame per source frame whose pixels hold segment numbers, so
 * segments must not overlap. Archives and viewers older than 2024 do not
 * know the label map class.
 */
export type WrittenSegmentationType = 'BINARY' | 'LABELMAP';

/** Identity of the model behind a segment, e.g. the worker's `ModelManifest`. */
export interface ModelIdentity {
  name: string;
  version: string;
  /** True when the weights are not MedSAM's trained weights. */
  standIn?: boolean;
}

/** Algorithm Identification Macro content (PS3.3 Table 10-19). */
export interface AlgorithmIdentification {
  /** AlgorithmName, e.g. "MedSAM". */
  name: string;
  /** AlgorithmVersion. */
  version: string;
  /** AlgorithmFamilyCodeSequence; default DCM 123110 "Artificial Intelligence". */
  family?: CodedConcept;
  /** AlgorithmSource, e.g. the project that published the weights. */
  source?: string;
  /** Model identity, written into AlgorithmParameters. */
  model?: ModelIdentity;
}

/** Options of `writeSegmentation`. */
export interface WriteSegmentationOptions {
  /** Default BINARY. */
  segmentationType?: WrittenSegmentationType;
  /** Write a frame for every source frame (and segment, for BINARY), even an empty one. Default false. */
  keepEmptyFrames?: boolean;
  /** ContentLabel (CS: upper case, digits, space, underscore; at most 16). Default "MEDSAM". */
  contentLabel?: string;
  /** ContentDescription. Default "MedSAM segmentation". */
  contentDescription?: string;
  /** ContentCreatorName in PN form. Default empty. */
  contentCreatorName?: string;
  /** SeriesDescription. Default "MedSAM segmentation". */
  seriesDescription?: string;
  /** SeriesNumber. Default 300. */
  seriesNumber?: number;
  /** InstanceNumber. Default 1. */
  instanceNumber?: number;
  /** Enhanced General Equipment module. Defaults name this project. */
  manufacturer?: string;
  manufacturerModelName?: string;
  deviceSerialNumber?: string;
  softwareVersions?: string;
  /** Series and SOP Instance UIDs; default new `2.25` UIDs. */
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  /** Content and series date and time; default now. */
  contentDateTime?: Date;
}

/** Input of `writeSegmentation`. */
export interface WriteSegmentationRequest {
  sourceImages: SourceImageInput[];
  segments: SegmentInput[];
  /** Required unless every segment is MANUAL. */
  algorithm?: AlgorithmIdentification;
  options?: WriteSegmentationOptions;
}

/** The result of `writeSegmentation`: the SEG file and its UIDs. */
export interface WrittenSegmentation {
  /** The Part 10 file, Explicit VR Little Endian. */
  file: ArrayBuffer;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  frameCount: number;
}
