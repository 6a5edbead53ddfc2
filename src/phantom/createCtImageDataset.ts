import type { NaturalDataset } from '../seg/dcmjsData';
import type { Vector3Mm } from './PhantomOptions';
import { PHANTOM_RESCALE_INTERCEPT } from './renderPhantomSlice';

/** CT Image Storage. */
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** Identity and geometry of one phantom slice. */
export interface CtSliceDescription {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  sopInstanceUid: string;
  instanceNumber: number;
  patientName: string;
  patientId: string;
  /** DICOM DA and TM strings (YYYYMMDD, HHMMSS). */
  date: string;
  time: string;
  rows: number;
  columns: number;
  pixelSpacingMm: [number, number];
  sliceThicknessMm: number;
  sliceSpacingMm: number;
  imagePositionPatient: Vector3Mm;
  /** Stored values, row-major, signed 16-bit. */
  storedValues: Int16Array;
}

/**
 * Builds the naturalized dataset of one CT Image IOD instance (PS3.3 A.3):
 * Patient, General Study, General Series, Frame of Reference, General
 * Equipment, General Acquisition, General Image, Image Plane, Image Pixel,
 * CT Image, VOI LUT and SOP Common modules, with every Type 1 and Type 2
 * attribute present.
 */
export function createCtImageDataset(slice: CtSliceDescription): NaturalDataset {
  return {
    // SOP Common
    SOPClassUID: CT_IMAGE_STORAGE,
    SOPInstanceUID: slice.sopInstanceUid,
    // Patient
    PatientName: [{ Alphabetic: slice.patientName }],
    PatientID: slice.patientId,
    PatientBirthDate: '',
    PatientSex: 'O',
    // General Study
    StudyInstanceUID: slice.studyInstanceUid,
    StudyDate: slice.date,
    StudyTime: slice.time,
    ReferringPhysicianName: '',
    StudyID: 'PHANTOM',
    AccessionNumber: '',
    StudyDescription: 'MedSAM synthetic torso phantom',
    // General Series
    Modality: 'CT',
    SeriesInstanceUID: slice.seriesInstanceUid,
    SeriesNumber: 1,
    SeriesDate: slice.date,
    SeriesTime: slice.time,
    SeriesDescription: 'Phantom with ellipsoid lesion',
    PatientPosition: 'HFS',
    BodyPartExamined: 'CHEST',
    // Frame of Reference
    FrameOfReferenceUID: slice.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    // General Equipment
    Manufacturer: 'ohif-medsam',
    ManufacturerModelName: 'createPhantomSeries',
    SoftwareVersions: '0.1.0',
    // General Acquisition and General Image
    AcquisitionNumber: 1,
    InstanceNumber: slice.instanceNumber,
    ContentDate: slice.date,
    ContentTime: slice.time,
    ImageType: ['DERIVED', 'SECONDARY', 'AXIAL'],
    DerivationDescription: 'Synthetic phantom computed from geometric shapes',
    BurnedInAnnotation: 'NO',
    // Image Plane
    PixelSpacing: slice.pixelSpacingMm,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ImagePositionPatient: slice.imagePositionPatient,
    SliceThickness: slice.sliceThicknessMm,
    SpacingBetweenSlices: slice.sliceSpacingMm,
    SliceLocation: slice.imagePositionPatient[2],
    // Image Pixel and CT Image
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: slice.rows,
    Columns: slice.columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    RescaleIntercept: PHANTOM_RESCALE_INTERCEPT,
    RescaleSlope: 1,
    RescaleType: 'HU',
    KVP: 120,
    // VOI LUT: a soft-tissue window
    WindowCenter: 40,
    WindowWidth: 400,
    PixelData: [encodeInt16LittleEndian(slice.storedValues)],
    _vrMap: { PixelData: 'OW' },
  };
}

function encodeInt16LittleEndian(values: Int16Array): ArrayBuffer {
  const buffer = new ArrayBuffer(values.length * 2);
  const view = new DataView(buffer);
  for (let i = 0; i < values.length; i++) {
    view.setInt16(i * 2, values[i] ?? 0, true);
  }
  return buffer;
}
