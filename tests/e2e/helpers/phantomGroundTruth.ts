/** The phantom's ground truth as the test setup wrote it, and its geometry helpers. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { GroundTruthReport, GroundTruthReportSlice } from '../../../src/phantom';
import type { Point3 } from './viewerPage';

/** Reads `ground-truth.json` of the phantom in `phantomDir`. */
export function readPhantomGroundTruth(phantomDir: string): GroundTruthReport {
  return JSON.parse(readFileSync(path.join(phantomDir, 'ground-truth.json'), 'utf8')) as GroundTruthReport;
}

/** Returns the lesion slice with the most voxels, the lesion's middle. */
export function largestLesionSlice(groundTruth: GroundTruthReport): GroundTruthReportSlice {
  return [...groundTruth.slices].sort((a, b) => b.voxelCount - a.voxelCount)[0]!;
}

/**
 * Converts continuous pixel coordinates, with (0, 0) at the first pixel's
 * top-left corner, to the patient position in mm on an axial phantom slice.
 */
export function pixelToPatient(groundTruth: GroundTruthReport, slice: GroundTruthReportSlice, x: number, y: number): Point3 {
  const [rowSpacing, columnSpacing] = groundTruth.pixelSpacingMm;
  const [px, py, pz] = slice.imagePositionPatient;
  return [px + (x - 0.5) * columnSpacing, py + (y - 0.5) * rowSpacing, pz];
}
