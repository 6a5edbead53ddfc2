import { MedsamError } from '../MedsamError';
import type { NaturalDataset } from './dcmjsData';
import type { SourceImage, SourceImageInput } from './SourceImage';

/**
 * Converts a source image input to a `SourceImage`. A naturalized dataset
 * (recognized by its `SOPInstanceUID` key) is read attribute by attribute;
 * a typed description is returned as it is. Throws MedsamError
 * `seg/invalid-input` when an attribute has the wrong type.
 */
export function describeSourceImage(input: SourceImageInput, index: number): SourceImage {
  if (!('SOPInstanceUID' in input)) {
    return input as SourceImage;
  }
  const dataset = input as NaturalDataset;
  const where = `source image ${index} (SOPInstanceUID ${String(dataset.SOPInstanceUID)})`;

  const frames = Number(dataset.NumberOfFrames ?? 1);
  if (frames > 1) {
    // NOTE: multi-frame sources (Enhanced CT, Legacy Converted) need a frame
    // number in every reference, which this writer does not produce yet.
    throw new MedsamError(
      'seg/invalid-input',
      `The ${where} has ${frames} frames, but the SEG writer supports single-frame source images only.`,
    );
  }

  const sliceThickness = dataset.SliceThickness;
  return {
    sopClassUid: readString(dataset, 'SOPClassUID', where),
    sopInstanceUid: readString(dataset, 'SOPInstanceUID', where),
    studyInstanceUid: readString(dataset, 'StudyInstanceUID', where),
    seriesInstanceUid: readString(dataset, 'SeriesInstanceUID', where),
    frameOfReferenceUid: readString(dataset, 'FrameOfReferenceUID', where),
    rows: readNumbers(dataset, 'Rows', 1, where)[0]!,
    columns: readNumbers(dataset, 'Columns', 1, where)[0]!,
    pixelSpacingMm: readNumbers(dataset, 'PixelSpacing', 2, where) as [number, number],
    imagePositionPatient: readNumbers(dataset, 'ImagePositionPatient', 3, where) as [number, number, number],
    imageOrientationPatient: readNumbers(dataset, 'ImageOrientationPatient', 6, where) as SourceImage['imageOrientationPatient'],
    sliceThicknessMm: typeof sliceThickness === 'number' ? sliceThickness : undefined,
    patient: {
      patientName: readPersonName(dataset.PatientName),
      patientId: readOptionalString(dataset.PatientID) ?? '',
      patientBirthDate: readOptionalString(dataset.PatientBirthDate),
      patientSex: readOptionalString(dataset.PatientSex),
    },
    study: {
      studyDate: readOptionalString(dataset.StudyDate),
      studyTime: readOptionalString(dataset.StudyTime),
      studyId: readOptionalString(dataset.StudyID),
      accessionNumber: readOptionalString(dataset.AccessionNumber),
      referringPhysicianName: readPersonName(dataset.ReferringPhysicianName),
      studyDescription: readOptionalString(dataset.StudyDescription),
    },
  };
}

function readString(dataset: NaturalDataset, keyword: string, where: string): string {
  const value = dataset[keyword];
  if (typeof value !== 'string' || value.length === 0) {
    throw new MedsamError(
      'seg/invalid-input',
      `The ${where} has no ${keyword} (found ${JSON.stringify(value)}), so no SEG can reference it.`,
    );
  }
  return value;
}

function readNumbers(dataset: NaturalDataset, keyword: string, count: number, where: string): number[] {
  const raw = dataset[keyword];
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length !== count || !values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw new MedsamError(
      'seg/invalid-input',
      `The ${where} has an invalid ${keyword} ${JSON.stringify(raw)}: expected ${count} number(s).`,
    );
  }
  return values as number[];
}

function readOptionalString(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    return readOptionalString(value[0]);
  }
  return typeof value === 'string' ? value : undefined;
}

/** Reads a PN value, which dcmjs naturalizes as `[{ Alphabetic }]` or a plain string. */
function readPersonName(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') {
    return first;
  }
  if (first && typeof first === 'object' && 'Alphabetic' in first) {
    return String((first as { Alphabetic: unknown }).Alphabetic ?? '');
  }
  return '';
}
