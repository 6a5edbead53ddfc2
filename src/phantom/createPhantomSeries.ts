import { createUidGenerator } from '../seg/createUidGenerator';
import { writePart10 } from '../seg/writePart10';
import { createCtImageDataset } from './createCtImageDataset';
import { findMaskBoundingBox } from './findMaskBoundingBox';
import {
  DEFAULT_PHANTOM_LESION,
  type PhantomLesion,
  type PhantomOptions,
  type Vector3Mm,
} from './PhantomOptions';
import type { PhantomInstance, PhantomMaskSlice, PhantomSeries } from './PhantomSeries';
import { renderPhantomSlice } from './renderPhantomSlice';

const DEFAULT_STUDY_DATE_TIME = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));

/**
 * Generates a synthetic axial CT series of a torso-like phantom with an
 * ellipsoid lesion, as DICOM Part 10 files in Explicit VR Little Endian,
 * together with the lesion's exact voxel mask on every slice.
 *
 * Throws RangeError for a size, spacing or slice index out of range.
 */
export function createPhantomSeries(options: PhantomOptions = {}): PhantomSeries {
  const rows = checkPositiveInteger('rows', options.rows ?? 512);
  const columns = checkPositiveInteger('columns', options.columns ?? 512);
  const sliceCount = checkPositiveInteger('slices', options.slices ?? 48);
  const pixelSpacingMm = options.pixelSpacingMm ?? [0.7, 0.7];
  checkPositiveNumber('pixelSpacingMm[0]', pixelSpacingMm[0]);
  checkPositiveNumber('pixelSpacingMm[1]', pixelSpacingMm[1]);
  const sliceSpacingMm = checkPositiveNumber('sliceSpacingMm', options.sliceSpacingMm ?? 2.5);
  const sliceThicknessMm = checkPositiveNumber(
    'sliceThicknessMm',
    options.sliceThicknessMm ?? sliceSpacingMm,
  );
  const firstSliceZMm = options.firstSliceZMm ?? (-(sliceCount - 1) / 2) * sliceSpacingMm;
  const lesion = resolveLesion(options.lesion);
  const omitted = resolveOmittedSlices(options.omitSlices ?? [], sliceCount);

  const nextUid = createUidGenerator(options.seed);
  const studyInstanceUid = nextUid();
  const seriesInstanceUid = nextUid();
  const frameOfReferenceUid = nextUid();
  const { date, time } = formatDicomDateTime(options.studyDateTime ?? DEFAULT_STUDY_DATE_TIME);

  // Pixel centres relative to the image centre, so the body sits mid-image.
  const x0 = roundMm((-(columns - 1) / 2) * pixelSpacingMm[1]);
  const y0 = roundMm((-(rows - 1) / 2) * pixelSpacingMm[0]);

  const gridIndices: number[] = [];
  for (let index = 0; index < sliceCount; index++) {
    if (!omitted.has(index)) {
      gridIndices.push(index);
    }
  }
  const instanceOrder = options.reverseInstanceOrder ? [...gridIndices].reverse() : gridIndices;
  const sopInstanceUidByGridIndex = new Map<number, string>();
  for (const gridIndex of gridIndices) {
    sopInstanceUidByGridIndex.set(gridIndex, nextUid());
  }

  const instances: PhantomInstance[] = [];
  const groundTruthByGridIndex = new Map<number, PhantomMaskSlice>();
  instanceOrder.forEach((gridIndex, position) => {
    const imagePositionPatient: Vector3Mm = [x0, y0, roundMm(firstSliceZMm + gridIndex * sliceSpacingMm)];
    const sopInstanceUid = sopInstanceUidByGridIndex.get(gridIndex) ?? nextUid();
    const instanceNumber = position + 1;
    const { storedValues, mask } = renderPhantomSlice(
      { rows, columns, pixelSpacingMm, imagePositionPatient },
      lesion,
    );

    const dataset = createCtImageDataset({
      studyInstanceUid,
      seriesInstanceUid,
      frameOfReferenceUid,
      sopInstanceUid,
      instanceNumber,
      patientName: options.patientName ?? 'MEDSAM^PHANTOM',
      patientId: options.patientId ?? 'MEDSAM-PHANTOM-001',
      date,
      time,
      rows,
      columns,
      pixelSpacingMm,
      sliceThicknessMm,
      sliceSpacingMm,
      imagePositionPatient,
      storedValues,
    });
    instances.push({ file: writePart10(dataset), sopInstanceUid, instanceNumber, imagePositionPatient, gridIndex });

    const boundingBox = findMaskBoundingBox(mask, columns);
    let voxelCount = 0;
    for (const value of mask) {
      voxelCount += value;
    }
    groundTruthByGridIndex.set(gridIndex, {
      sopInstanceUid,
      imagePositionPatient,
      gridIndex,
      mask,
      voxelCount,
      boundingBox,
    });
  });

  const groundTruth = gridIndices.map((gridIndex) => groundTruthByGridIndex.get(gridIndex)!);

  return {
    studyInstanceUid,
    seriesInstanceUid,
    frameOfReferenceUid,
    rows,
    columns,
    pixelSpacingMm: [pixelSpacingMm[0], pixelSpacingMm[1]],
    sliceSpacingMm,
    sliceThicknessMm,
    lesion,
    instances,
    groundTruth,
  };
}

function resolveLesion(partial: Partial<PhantomLesion> | undefined): PhantomLesion {
  const lesion: PhantomLesion = {
    centerMm: partial?.centerMm ?? DEFAULT_PHANTOM_LESION.centerMm,
    semiAxesMm: partial?.semiAxesMm ?? DEFAULT_PHANTOM_LESION.semiAxesMm,
    hu: partial?.hu ?? DEFAULT_PHANTOM_LESION.hu,
  };
  lesion.semiAxesMm.forEach((value, axis) => checkPositiveNumber(`lesion.semiAxesMm[${axis}]`, value));
  if (!Number.isInteger(lesion.hu) || lesion.hu < -1024 || lesion.hu > 31743) {
    throw new RangeError(
      `Invalid lesion.hu ${lesion.hu}: expected an integer from -1024 to 31743, the range of int16 stored values with intercept -1024.`,
    );
  }
  return { centerMm: [...lesion.centerMm], semiAxesMm: [...lesion.semiAxesMm], hu: lesion.hu };
}

function resolveOmittedSlices(indices: number[], sliceCount: number): Set<number> {
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= sliceCount) {
      throw new RangeError(
        `Invalid omitSlices entry ${index}: expected an integer grid index from 0 to ${sliceCount - 1}.`,
      );
    }
  }
  const omitted = new Set(indices);
  if (omitted.size >= sliceCount) {
    throw new RangeError(`Invalid omitSlices: all ${sliceCount} slices are omitted, so the series would be empty.`);
  }
  return omitted;
}

function checkPositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new RangeError(`Invalid ${name} ${value}: expected an integer from 1 to 65535.`);
  }
  return value;
}

function checkPositiveNumber(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`Invalid ${name} ${value}: expected a positive number of millimetres.`);
  }
  return value;
}

/** Rounds to a micrometre, so positions print as short DS strings. */
function roundMm(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function formatDicomDateTime(when: Date): { date: string; time: string } {
  const iso = when.toISOString();
  return {
    date: iso.slice(0, 10).replaceAll('-', ''),
    time: iso.slice(11, 19).replaceAll(':', ''),
  };
}
