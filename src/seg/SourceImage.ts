import type { NaturalDataset } from './dcmjsData';

/**
 * Identity and geometry of one single-frame source image, which is all the
 * SEG writer needs from it. Lengths are in mm; `pixelSpacingMm` is in DICOM
 * order, [between rows, between columns].
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

/** A source image given as its typed description or as a naturalized dcmjs dataset. */
export type SourceImageInput = SourceImage | NaturalDataset;
