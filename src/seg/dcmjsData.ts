/**
 * Typed facade over the part of dcmjs's dataset model that the core uses:
 * naturalized datasets (keyword-named attributes), `DicomDict` and
 * `DicomMessage.readFile`. dcmjs 0.52 ships no type declarations, so the
 * types here describe only the members this project calls.
 */
// @ts-ignore -- dcmjs 0.52 has no .d.ts; the facade below types what is used.
import dcmjsUntyped from 'dcmjs';

/** A DICOM attribute value in dcmjs's naturalized form. */
export type NaturalValue =
  | string
  | number
  | ArrayBuffer
  | NaturalDataset
  | NaturalDataset[]
  | ArrayBuffer[]
  | (string | number)[]
  | { Alphabetic: string }[]
  | null
  | undefined;

/**
 * A dataset keyed by DICOM keyword (`PatientName`, `PixelData`, ...).
 * `_vrMap` overrides the dictionary VR for attributes whose VR depends on
 * context, such as PixelData (OB or OW).
 */
export interface NaturalDataset {
  [keyword: string]: unknown;
  _vrMap?: Record<string, string>;
  _meta?: unknown;
}

interface DenaturalizedDataset {
  [tag: string]: unknown;
}

interface DicomDictInstance {
  dict: DenaturalizedDataset;
  meta: DenaturalizedDataset;
  write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
}

interface DcmjsData {
  DicomDict: new (meta: DenaturalizedDataset) => DicomDictInstance;
  DicomMessage: {
    readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DicomDictInstance;
  };
  DicomMetaDictionary: {
    denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
    naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
  };
}

const dcmjsData = (dcmjsUntyped as { data: DcmjsData }).data;

/** Explicit VR Little Endian, the transfer syntax every file here is written in. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Implementation Class UID written into the File Meta of files this project creates. */
export const IMPLEMENTATION_CLASS_UID = '2.25.9954514857323751785168421345065433059';

/** Implementation Version Name written into the File Meta (at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = 'OHIF_MEDSAM_010';

export { dcmjsData };
