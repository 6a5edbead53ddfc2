import { MedsamError } from '../MedsamError';
import { describeSourceImage } from './describeSourceImage';
import type { WriteSegmentationRequest } from './SegmentationInput';
import type { SourceFrameGeometry, SourceInstance } from './SourceImage';
import {
  listSourceFrames,
  sortSourceFramesAlongNormal,
  type PositionedSourceFrame,
} from './sortSourceFramesAlongNormal';

/** The source images once checked, with their frames in SEG order. */
export interface ValidatedSources {
  /** Instances in input order. */
  instances: SourceInstance[];
  /** Every source frame, by ascending position along the slice normal, or in input order without geometry. */
  frames: PositionedSourceFrame[];
  /** True when the sources have a patient frame of reference and plane geometry. */
  hasPatientGeometry: boolean;
}

export const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;
/** Direction cosines and pixel spacings that differ by less than this are equal. */
const GEOMETRY_TOLERANCE = 1e-4;
/** Two frames closer than this along the normal are at the same position, mm. */
const POSITION_TOLERANCE_MM = 1e-3;

function reject(message: string): never {
  throw new MedsamError('seg/invalid-input', message);
}

/**
 * Checks that the source images can share one SEG: one study, one size,
 * and either all with patient geometry (one frame of reference, parallel
 * frames with one pixel spacing, one frame per position) or all without.
 */
export function validateSourceImages(inputs: WriteSegmentationRequest['sourceImages']): ValidatedSources {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    reject('The request has no source images; pass the images the masks were drawn on.');
  }
  const instances = inputs.map((input, index) => describeSourceImage(input, index));
  const first = instances[0]!;
  const hasPatientGeometry = first.frameGeometry !== undefined;
  const seen = new Set<string>();

  instances.forEach((instance, index) => {
    const where = `Source image ${index} (SOPInstanceUID ${instance.sopInstanceUid})`;
    for (const [name, uid] of [
      ['SOPClassUID', instance.sopClassUid],
      ['SOPInstanceUID', instance.sopInstanceUid],
      ['StudyInstanceUID', instance.studyInstanceUid],
      ['SeriesInstanceUID', instance.seriesInstanceUid],
    ] as const) {
      checkUid(`${where} ${name}`, uid);
    }
    if (seen.has(instance.sopInstanceUid)) {
      reject(`${where} appears twice in sourceImages; pass each image once.`);
    }
    seen.add(instance.sopInstanceUid);

    if (instance.studyInstanceUid !== first.studyInstanceUid) {
      reject(
        `${where} belongs to study ${instance.studyInstanceUid}, but source image 0 belongs to study ${first.studyInstanceUid}; a SEG must reference images of one study.`,
      );
    }
    const size = [instance.rows, instance.columns];
    if (!size.every((value) => Number.isInteger(value) && value >= 1)) {
      reject(`${where} has an invalid size ${instance.rows}x${instance.columns}: expected positive integer Rows and Columns.`);
    }
    if (instance.rows !== first.rows || instance.columns !== first.columns) {
      reject(
        `${where} is ${instance.rows}x${instance.columns} pixels, but source image 0 is ${first.rows}x${first.columns}; all source images must have the same Rows and Columns.`,
      );
    }
    if (!Number.isInteger(instance.numberOfFrames) || instance.numberOfFrames < 1) {
      reject(`${where} has an invalid numberOfFrames ${instance.numberOfFrames}: expected a positive integer.`);
    }
    if ((instance.frameGeometry !== undefined) !== hasPatientGeometry) {
      const state = (hasGeometry: boolean) => (hasGeometry ? 'has' : 'has no');
      reject(
        `${where} ${state(!hasPatientGeometry)} patient geometry, but source image 0 ${state(hasPatientGeometry)}; a SEG cannot mix images with and without a patient frame of reference.`,
      );
    }
    if (hasPatientGeometry) {
      checkPatientGeometry(where, instance, first);
    }
  });

  const frames = sortSourceFramesAlongNormal(listSourceFrames(instances));
  if (hasPatientGeometry) {
    checkDistinctPositions(frames);
  }
  return { instances, frames, hasPatientGeometry };
}

function checkPatientGeometry(where: string, instance: SourceInstance, first: SourceInstance): void {
  checkUid(`${where} FrameOfReferenceUID`, instance.frameOfReferenceUid);
  if (instance.frameOfReferenceUid !== first.frameOfReferenceUid) {
    reject(
      `${where} has FrameOfReferenceUID ${instance.frameOfReferenceUid}, but source image 0 has ${first.frameOfReferenceUid}; all source images must share one frame of reference.`,
    );
  }
  const geometry = instance.frameGeometry!;
  if (geometry.length !== instance.numberOfFrames) {
    reject(
      `${where} has ${instance.numberOfFrames} frames but geometry for ${geometry.length}; pass one frameGeometry entry per frame.`,
    );
  }
  const reference = first.frameGeometry![0]!;
  geometry.forEach((frame, index) => {
    const frameWhere = instance.numberOfFrames > 1 ? `${where} frame ${index + 1}` : where;
    checkFrameGeometry(frameWhere, frame, reference);
  });
}

function checkFrameGeometry(where: string, frame: SourceFrameGeometry, reference: SourceFrameGeometry): void {
  checkOrientation(where, frame.imageOrientationPatient);
  if (!sameWithin(frame.imageOrientationPatient, reference.imageOrientationPatient, GEOMETRY_TOLERANCE)) {
    reject(
      `${where} has ImageOrientationPatient [${frame.imageOrientationPatient.join(', ')}], but source image 0 has [${reference.imageOrientationPatient.join(', ')}]; all source frames must be parallel.`,
    );
  }
  if (!frame.pixelSpacingMm.every((value) => Number.isFinite(value) && value > 0)) {
    reject(`${where} has an invalid PixelSpacing [${frame.pixelSpacingMm.join(', ')}]: expected two positive numbers.`);
  }
  if (!sameWithin(frame.pixelSpacingMm, reference.pixelSpacingMm, GEOMETRY_TOLERANCE)) {
    reject(
      `${where} has PixelSpacing [${frame.pixelSpacingMm.join(', ')}], but source image 0 has [${reference.pixelSpacingMm.join(', ')}]; all source frames must have the same PixelSpacing.`,
    );
  }
  if (!frame.imagePositionPatient.every(Number.isFinite)) {
    reject(`${where} has an invalid ImagePositionPatient [${frame.imagePositionPatient.join(', ')}].`);
  }
}

function checkDistinctPositions(frames: PositionedSourceFrame[]): void {
  for (let i = 1; i < frames.length; i++) {
    const previous = frames[i - 1]!;
    const current = frames[i]!;
    if (current.distanceMm - previous.distanceMm < POSITION_TOLERANCE_MM) {
      reject(
        `Source frames ${describeFrame(previous)} and ${describeFrame(current)} lie at the same position along the slice normal (${current.distanceMm} mm); pass one image per slice position.`,
      );
    }
  }
}

/** Names a source frame in messages: the SOP Instance UID, and the frame number for a multi-frame image. */
export function describeFrame(frame: PositionedSourceFrame): string {
  const uid = frame.instance.sopInstanceUid;
  return frame.instance.numberOfFrames > 1 ? `${uid} frame ${frame.frameNumber}` : uid;
}

export function checkUid(what: string, uid: unknown): void {
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > 64 || !UID_PATTERN.test(uid)) {
    reject(`${what} "${String(uid)}" is not a valid UID: expected digits and dots, at most 64 characters.`);
  }
}

function checkOrientation(where: string, orientation: SourceFrameGeometry['imageOrientationPatient']): void {
  const [rx, ry, rz, cx, cy, cz] = orientation;
  const rowNorm = Math.hypot(rx, ry, rz);
  const columnNorm = Math.hypot(cx, cy, cz);
  const dot = rx * cx + ry * cy + rz * cz;
  if (Math.abs(rowNorm - 1) > 1e-3 || Math.abs(columnNorm - 1) > 1e-3 || Math.abs(dot) > 1e-3) {
    reject(
      `${where} has an invalid ImageOrientationPatient [${orientation.join(', ')}]: expected two orthogonal unit vectors.`,
    );
  }
}

function sameWithin(a: readonly number[], b: readonly number[], tolerance: number): boolean {
  return a.length === b.length && a.every((value, i) => Math.abs(value - (b[i] ?? Number.NaN)) <= tolerance);
}
