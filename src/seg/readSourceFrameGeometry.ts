import { MedsamError } from '../MedsamError';
import type { NaturalDataset } from './dcmjsData';
import type { SourceFrameGeometry } from './SourceImage';

function reject(message: string): never {
  throw new MedsamError('seg/invalid-input', message);
}

/**
 * Reads the patient geometry of every frame of a source dataset, or returns
 * undefined when the dataset has none (ultrasound, XC, secondary capture).
 *
 * An enhanced multi-frame image (Enhanced CT/MR, Legacy Converted) stores
 * Plane Position, Plane Orientation and Pixel Measures in its Per-Frame or
 * Shared Functional Groups (PS3.3 C.7.6.16); a frame's own group wins over
 * the shared one. A classic image stores them at the top level. Throws
 * MedsamError `seg/invalid-input` when the geometry is only partly there.
 */
export function readSourceFrameGeometry(
  dataset: NaturalDataset,
  numberOfFrames: number,
  where: string,
): SourceFrameGeometry[] | undefined {
  if (dataset.PerFrameFunctionalGroupsSequence !== undefined || dataset.SharedFunctionalGroupsSequence !== undefined) {
    return readFunctionalGroupGeometry(dataset, numberOfFrames, where);
  }

  const hasPosition = dataset.ImagePositionPatient !== undefined && dataset.ImagePositionPatient !== '';
  const hasOrientation = dataset.ImageOrientationPatient !== undefined && dataset.ImageOrientationPatient !== '';
  if (!hasPosition && !hasOrientation) {
    return undefined;
  }
  if (numberOfFrames > 1) {
    reject(
      `The ${where} is a ${numberOfFrames}-frame image with one top-level ImagePositionPatient, so its frames have no positions of their own; convert it to an enhanced multi-frame image or pass its frames as single-frame images.`,
    );
  }
  return [readGeometry(dataset, dataset, where)];
}

function readFunctionalGroupGeometry(
  dataset: NaturalDataset,
  numberOfFrames: number,
  where: string,
): SourceFrameGeometry[] | undefined {
  const shared = firstItem(dataset.SharedFunctionalGroupsSequence) ?? {};
  const perFrame = Array.isArray(dataset.PerFrameFunctionalGroupsSequence)
    ? (dataset.PerFrameFunctionalGroupsSequence as NaturalDataset[])
    : [];
  if (perFrame.length !== numberOfFrames) {
    reject(
      `The ${where} has NumberOfFrames ${numberOfFrames} but ${perFrame.length} Per-Frame Functional Groups items; the SEG writer needs one item per frame.`,
    );
  }

  const lookup = (groups: NaturalDataset, sequence: string): NaturalDataset | undefined =>
    firstItem(groups[sequence]) ?? firstItem(shared[sequence]);
  const hasPosition = perFrame.some((groups) => lookup(groups, 'PlanePositionSequence') !== undefined);
  if (!hasPosition) {
    return undefined;
  }

  return perFrame.map((groups, index) => {
    const frameWhere = `${where}, frame ${index + 1},`;
    const merged: NaturalDataset = {
      ...lookup(groups, 'PlanePositionSequence'),
      ...lookup(groups, 'PlaneOrientationSequence'),
      ...lookup(groups, 'PixelMeasuresSequence'),
    };
    return readGeometry(merged, merged, frameWhere);
  });
}

function readGeometry(position: NaturalDataset, measures: NaturalDataset, where: string): SourceFrameGeometry {
  const thickness = measures.SliceThickness;
  return {
    imagePositionPatient: readNumbers(position, 'ImagePositionPatient', 3, where) as [number, number, number],
    imageOrientationPatient: readNumbers(
      position,
      'ImageOrientationPatient',
      6,
      where,
    ) as SourceFrameGeometry['imageOrientationPatient'],
    pixelSpacingMm: readNumbers(measures, 'PixelSpacing', 2, where) as [number, number],
    sliceThicknessMm: typeof thickness === 'number' && Number.isFinite(thickness) ? thickness : undefined,
  };
}

/** Reads a numeric attribute with exactly `count` finite values. */
export function readNumbers(dataset: NaturalDataset, keyword: string, count: number, where: string): number[] {
  const raw = dataset[keyword];
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length !== count || !values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    reject(`The ${where} has an invalid ${keyword} ${JSON.stringify(raw)}: expected ${count} number(s).`);
  }
  return values as number[];
}

function firstItem(sequence: unknown): NaturalDataset | undefined {
  return Array.isArray(sequence) && sequence[0] && typeof sequence[0] === 'object'
    ? (sequence[0] as NaturalDataset)
    : undefined;
}
