/** A point or vector in patient coordinates (LPS), in millimetres. */
export type Vector3Mm = [x: number, y: number, z: number];

/** The ellipsoid lesion that the phantom hides in its soft tissue. */
export interface PhantomLesion {
  /** Centre in patient coordinates, mm. */
  centerMm: Vector3Mm;
  /** Semi-axes along x, y and z, mm. */
  semiAxesMm: Vector3Mm;
  /** Lesion attenuation, HU. */
  hu: number;
}

/**
 * Options of `createPhantomSeries`. Every field is optional; the defaults
 * give a 512x512x48 axial CT with 0.7 mm pixels and 2.5 mm slices, centred
 * on the patient origin, with a 90 HU lesion that spans 24 slices.
 */
export interface PhantomOptions {
  /** Image height in pixels. Default 512. */
  rows?: number;
  /** Image width in pixels. Default 512. */
  columns?: number;
  /** Number of slice positions in the grid, before `omitSlices`. Default 48. */
  slices?: number;
  /**
   * PixelSpacing in DICOM order: [between rows (y), between columns (x)], mm.
   * Default [0.7, 0.7]; unequal values give anisotropic pixels.
   */
  pixelSpacingMm?: [rowSpacing: number, columnSpacing: number];
  /** Distance between slice centres, mm. Default 2.5. */
  sliceSpacingMm?: number;
  /** SliceThickness, mm. Default `sliceSpacingMm`. */
  sliceThicknessMm?: number;
  /** z of the first (lowest) slice, mm. Default: the grid is centred on z = 0. */
  firstSliceZMm?: number;
  /** Lesion geometry and HU; missing fields take the defaults. */
  lesion?: Partial<PhantomLesion>;
  /**
   * Spatial indices (0 = lowest z) of grid slices to leave out, which makes
   * a gap in the series. Default none.
   */
  omitSlices?: number[];
  /**
   * When true, InstanceNumber 1 is the highest slice and the files are
   * returned from the top down. Default false (InstanceNumber rises with z).
   */
  reverseInstanceOrder?: boolean;
  /** Seed for all UIDs; the same seed gives byte-identical files. Default: random UIDs. */
  seed?: number | string;
  /** PatientName in DICOM PN form. Default "MEDSAM^PHANTOM". */
  patientName?: string;
  /** PatientID. Default "MEDSAM-PHANTOM-001". */
  patientId?: string;
  /** Study, series and content date and time (UTC). Default 2025-01-01 12:00:00. */
  studyDateTime?: Date;
}

/** Attenuation of the phantom's materials, HU. */
export const PHANTOM_HU = {
  air: -1000,
  softTissue: 40,
  spine: 700,
} as const;

/** The default lesion: 90 HU, right of the midline, 60 mm long in z. */
export const DEFAULT_PHANTOM_LESION: PhantomLesion = {
  centerMm: [50, -10, 0],
  semiAxesMm: [25, 20, 30],
  hu: 90,
};
