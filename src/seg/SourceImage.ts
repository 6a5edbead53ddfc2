import type { NaturalDataset } from './dcmjsData';

/**
 * Identity and geometry of one single-frame source image in patient
 * coordinates. Lengths are in mm; `pixelSpacingMm` is in DICOM order,
 * [between rows, between columns]. For multi-frame sources and for images
 * without patient geometry, pass a `SourceInstance` or the dataset instead.
 */
export interface SourceImage {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  rows: number;
  columns: number;
  pixelSpacingMm: [number, number];
  imagePositionPatient: [number, number, number];
  imageOrientationPatient: [number, number, number, number, number, number];
  sliceThicknessMm?: number;
  patient: PatientIdentity;
  study: StudyIdentity;
}

/** Plane geometry of one frame in the patient coordinate system (PS3.3 C.7.6.2), mm. */
export interface SourceFrameGeometry {
  imagePositionPatient: [number, number, number];
  imageOrientationPatient: [number, number, number, number, number, number];
  /** [between rows, between columns]. */
  pixelSpacingMm: [number, number];
  sliceThicknessMm?: number;
}

/**
 * One source instance, single-frame or multi-frame, as the SEG writer sees
 * it. Sources without patient geometry (ultrasound, XC, secondary capture)
 * have neither `frameOfReferenceUid` nor `frameGeometry`.
 */
export interface SourceInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid?: string;
  rows: number;
  columns: number;
  /** NumberOfFrames; 1 for a single-frame image. */
  numberOfFrames: number;
  /** Geometry of frames 1..numberOfFrames, in frame order; absent without patient geometry. */
  frameGeometry?: SourceFrameGeometry[];
  /** PatientOrientation (CS, two values or none), copied into SEGs without patient geometry. */
  patientOrientation?: string[];
  /** True when LossyImageCompression of the source is "01". */
  lossyImageCompression?: boolean;
  /** LossyImageCompressionRatio (DS, one value per lossy step, in step order). */
  lossyImageCompressionRatios?: number[];
  /** LossyImageCompressionMethod (CS, e.g. ISO_10918_1), one value per ratio. */
  lossyImageCompressionMethods?: string[];
  patient: PatientIdentity;
  study: StudyIdentity;
}

/** Patient module attributes copied into the SEG. */
export interface PatientIdentity {
  /** PatientName in DICOM PN form (`Family^Given`). */
  patientName: string;
  patientId: string;
  patientBirthDate?: string;
  patientSex?: string;
}

/** General Study module attributes copied into the SEG. */
export interface StudyIdentity {
  studyDate?: string;
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  studyDescription?: string;
}

/**
 * A source image given as a typed single-frame description, a typed
 * instance description or a naturalized dcmjs dataset (recognized by its
 * `SOPInstanceUID` key).
 */
export type SourceImageInput = SourceImage | SourceInstance | NaturalDataset;
