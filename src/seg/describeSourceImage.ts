import { MedsamError } from '../MedsamError';
import type { NaturalDataset } from './dcmjsData';
import { readNumbers, readSourceFrameGeometry } from './readSourceFrameGeometry';
import type { SourceImage, SourceImageInput, SourceInstance } from './SourceImage';

/**
 * Converts a source image input to a `SourceInstance`. A naturalized
 * dataset (recognized by its `SOPInstanceUID` key) is read attribute by
 * attribute, including the per-frame geometry of a multi-frame image. A
 * typed `SourceImage` becomes a one-frame instance, and a typed
 * `SourceInstance` is returned as it is. Throws MedsamError
 * `seg/invalid-input` when an attribute is missing or has the wrong type.
 */
export function describeSourceImage(input: SourceImageInput, index: number): SourceInstance {
  if ('SOPInstanceUID' in input) {
    return describeDataset(input as NaturalDataset, index);
  }
  if ('numberOfFrames' in input) {
    return input as SourceInstance;
  }
  return fromSourceImage(input as SourceImage);
}

function fromSourceImage(image: SourceImage): SourceInstance {
  return {
    sopClassUid: image.sopClassUid,
    sopInstanceUid: image.sopInstanceUid,
    studyInstanceUid: image.studyInstanceUid,
    seriesInstanceUid: image.seriesInstanceUid,
    frameOfReferenceUid: image.frameOfReferenceUid,
    rows: image.rows,
    columns: image.columns,
    numberOfFrames: 1,
    frameGeometry: [
      {
        imagePositionPatient: image.imagePositionPatient,
        imageOrientationPatient: image.imageOrientationPatient,
        pixelSpacingMm: image.pixelSpacingMm,
        sliceThicknessMm: image.sliceThicknessMm,
      },
    ],
    patient: image.patient,
    study: image.study,
  };
}

function describeDataset(dataset: NaturalDataset, index: number): SourceInstance {
  const where = `source image ${index} (SOPInstanceUID ${String(dataset.SOPInstanceUID)})`;
  const numberOfFrames = Number(dataset.NumberOfFrames ?? 1);
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1) {
    throw new MedsamError(
      'seg/invalid-input',
      `The ${where} has an invalid NumberOfFrames ${JSON.stringify(dataset.NumberOfFrames)}: expected a positive integer.`,
    );
  }

  const frameGeometry = readSourceFrameGeometry(dataset, numberOfFrames, where);
  const frameOfReferenceUid = readOptionalString(dataset.FrameOfReferenceUID);
  const instance: SourceInstance = {
    sopClassUid: readString(dataset, 'SOPClassUID', where),
    sopInstanceUid: readString(dataset, 'SOPInstanceUID', where),
    studyInstanceUid: readString(dataset, 'StudyInstanceUID', where),
    seriesInstanceUid: readString(dataset, 'SeriesInstanceUID', where),
    // A frame of reference matters only where positions are given in it.
    frameOfReferenceUid: frameGeometry ? readString(dataset, 'FrameOfReferenceUID', where) : frameOfReferenceUid || undefined,
    rows: readNumbers(dataset, 'Rows', 1, where)[0]!,
    columns: readNumbers(dataset, 'Columns', 1, where)[0]!,
    numberOfFrames,
    frameGeometry,
    lossyImageCompression: readOptionalString(dataset.LossyImageCompression) === '01',
    lossyImageCompressionRatios: readLossyRatios(dataset.LossyImageCompressionRatio, where),
    lossyImageCompressionMethods: readStrings(dataset.LossyImageCompressionMethod),
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
  if (!frameGeometry) {
    instance.patientOrientation = readPatientOrientation(dataset.PatientOrientation);
  }
  return instance;
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

function readOptionalString(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    return readOptionalString(value[0]);
  }
  return typeof value === 'string' ? value : undefined;
}

function readStrings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string' && item.length > 0,
  );
}

/** Reads LossyImageCompressionRatio, which dcmjs naturalizes as a number, a string or an array of either. */
function readLossyRatios(value: unknown, where: string): number[] {
  const values = (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null && item !== '');
  return values.map((item) => {
    const ratio = Number(item);
    if (!Number.isFinite(ratio) || ratio <= 0) {
      throw new MedsamError(
        'seg/invalid-input',
        `The ${where} has an invalid LossyImageCompressionRatio ${JSON.stringify(value)}: expected positive decimal numbers.`,
      );
    }
    return ratio;
  });
}

function readPatientOrientation(value: unknown): string[] | undefined {
  const values = readStrings(value);
  return values.length === 2 ? values : undefined;
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
