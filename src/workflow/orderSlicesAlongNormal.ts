import { MedsamError } from '../MedsamError';
import type { ImagePlane } from '../geometry/worldToImagePixel';
import { computePlaneNormal } from './computePlaneNormal';
import { describeSlice } from './describeSlice';
import type { SeriesSlice } from './SeriesSlice';

/** A slice's place in the spatial order of its series. */
export interface OrderedSlice {
  /** Index of the slice in the array that was passed in. */
  sliceIndex: number;
  /** Dot product of ImagePositionPatient with the common slice normal, mm. */
  positionMm: number;
}

/** The slices of a series in ascending position along their common normal. */
export interface SliceOrder {
  /** Unit normal of the reference slice, row cosines x column cosines. */
  normal: [number, number, number];
  /** Every slice, in ascending position along the normal. */
  slices: OrderedSlice[];
}

/**
 * Sine of the largest angle between two slice normals that still counts as
 * parallel: about 0.06 degrees, well above the rounding of direction cosines
 * written with 5 to 6 decimals.
 */
const PARALLEL_SINE_TOLERANCE = 1e-3;
/** Direction cosines whose length or dot product is off by more than this are rejected. */
const COSINE_TOLERANCE = 1e-3;
/** Two slices closer than this along the normal lie at the same position, mm. */
const POSITION_TOLERANCE_MM = 1e-3;

/**
 * Checks the geometry of every slice and sorts the slices by their position
 * along the normal of the reference slice (ascending z for an axial series).
 * Array order and InstanceNumber play no part, so reversed storage order,
 * gaps and uneven spacing need no special handling.
 *
 * Throws MedsamError `series/invalid` for a malformed slice, a repeated
 * SOP Instance UID and frame, a slice that is not parallel to the reference
 * slice, or two slices at the same position.
 */
export function orderSlicesAlongNormal(
  slices: readonly SeriesSlice[],
  options: { referenceSliceIndex?: number } = {}
): SliceOrder {
  slices.forEach((slice, index) => checkSlice(slice, index));
  checkUniqueIdentities(slices);

  const referenceIndex = options.referenceSliceIndex ?? 0;
  const reference = slices[referenceIndex];
  if (!reference) {
    throw new MedsamError(
      'series/invalid',
      `The reference slice index ${referenceIndex} is outside the ${slices.length} slices of the series.`
    );
  }
  const normal = normalize(computePlaneNormal(reference.plane));

  const ordered = slices.map((slice, sliceIndex) => {
    checkParallel(slice, sliceIndex, reference, referenceIndex, normal);
    return { sliceIndex, positionMm: dot(slice.plane.imagePositionPatient, normal) };
  });
  ordered.sort((a, b) => a.positionMm - b.positionMm);
  checkDistinctPositions(slices, ordered);

  return { normal, slices: ordered };
}

function checkSlice(slice: SeriesSlice, index: number): void {
  const name = describeSlice(index, slice);
  if (typeof slice.sopInstanceUid !== 'string' || slice.sopInstanceUid.length === 0) {
    reject(`The SOP Instance UID of slice ${index} is missing; every slice needs one.`);
  }
  if (!Number.isInteger(slice.frameNumber) || slice.frameNumber < 1) {
    reject(`The frame number ${slice.frameNumber} of ${name} is invalid: expected an integer of at least 1.`);
  }
  for (const [field, value] of [
    ['rows', slice.rows],
    ['columns', slice.columns],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      reject(`The ${field} value ${value} of ${name} is invalid: expected a positive integer.`);
    }
  }
  checkPlane(slice.plane, name);
}

function checkPlane(plane: ImagePlane, name: string): void {
  const values = [...plane.imagePositionPatient, ...plane.rowCosines, ...plane.columnCosines];
  if (values.length !== 9 || !values.every(Number.isFinite)) {
    reject(
      `The ImagePositionPatient or ImageOrientationPatient of ${name} is invalid: expected 3 and 6 finite numbers.`
    );
  }
  for (const [field, value] of [
    ['row spacing', plane.rowSpacingMm],
    ['column spacing', plane.columnSpacingMm],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      reject(`The ${field} ${value} mm of ${name} is invalid: expected a positive number of millimetres.`);
    }
  }
  const rowLength = Math.hypot(...plane.rowCosines);
  const columnLength = Math.hypot(...plane.columnCosines);
  const cosineOfAngle = dot(plane.rowCosines, plane.columnCosines);
  if (
    Math.abs(rowLength - 1) > COSINE_TOLERANCE ||
    Math.abs(columnLength - 1) > COSINE_TOLERANCE ||
    Math.abs(cosineOfAngle) > COSINE_TOLERANCE
  ) {
    reject(
      `The ImageOrientationPatient [${[...plane.rowCosines, ...plane.columnCosines].join(', ')}] of ${name} is invalid: ` +
        'expected two orthogonal unit vectors.'
    );
  }
}

function checkUniqueIdentities(slices: readonly SeriesSlice[]): void {
  const firstIndexByKey = new Map<string, number>();
  slices.forEach((slice, index) => {
    const key = `${slice.sopInstanceUid}#${slice.frameNumber}`;
    const earlier = firstIndexByKey.get(key);
    if (earlier !== undefined) {
      reject(
        `Slices ${earlier} and ${index} are both SOP Instance UID ${slice.sopInstanceUid}, frame ${slice.frameNumber}; ` +
          'pass each frame once.'
      );
    }
    firstIndexByKey.set(key, index);
  });
}

function checkParallel(
  slice: SeriesSlice,
  sliceIndex: number,
  reference: SeriesSlice,
  referenceIndex: number,
  normal: readonly [number, number, number]
): void {
  const sliceNormal = computePlaneNormal(slice.plane);
  const sine = Math.hypot(...cross(sliceNormal, normal));
  if (sine > PARALLEL_SINE_TOLERANCE) {
    const degrees = (Math.asin(Math.min(1, sine)) * 180) / Math.PI;
    reject(
      `The orientation of ${describeSlice(sliceIndex, slice)} differs by ${degrees.toFixed(2)} degrees from that of ` +
        `${describeSlice(referenceIndex, reference)}; every slice of a 3D operation must be parallel to the key slices, ` +
        'so leave out slices of other orientations (localizers, reformats).'
    );
  }
}

function checkDistinctPositions(slices: readonly SeriesSlice[], ordered: readonly OrderedSlice[]): void {
  for (let index = 1; index < ordered.length; index++) {
    const previous = ordered[index - 1]!;
    const current = ordered[index]!;
    if (current.positionMm - previous.positionMm < POSITION_TOLERANCE_MM) {
      reject(
        `${capitalize(describeSlice(previous.sliceIndex, slices[previous.sliceIndex]!))} and ` +
          `${describeSlice(current.sliceIndex, slices[current.sliceIndex]!)} lie at the same position, ` +
          `${current.positionMm.toFixed(3)} mm along the slice normal; a 3D operation needs one slice per position, ` +
          'so split multi-phase or repeated acquisitions into separate series.'
      );
    }
  }
}

function dot(a: readonly number[], b: readonly number[]): number {
  return (a[0] ?? 0) * (b[0] ?? 0) + (a[1] ?? 0) * (b[1] ?? 0) + (a[2] ?? 0) * (b[2] ?? 0);
}

function cross(a: readonly number[], b: readonly number[]): [number, number, number] {
  const [ax = 0, ay = 0, az = 0] = a;
  const [bx = 0, by = 0, bz = 0] = b;
  return [ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx];
}

function normalize(vector: [number, number, number]): [number, number, number] {
  const length = Math.hypot(...vector);
  return [vector[0] / length, vector[1] / length, vector[2] / length];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reject(message: string): never {
  throw new MedsamError('series/invalid', message);
}
