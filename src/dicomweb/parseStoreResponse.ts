/** One instance that the server reports as stored. */
export interface StoredInstance {
  sopClassUid?: string;
  sopInstanceUid: string;
  /** ReferencedSOPSequence > RetrieveURL (0008,1190), when the server sends it. */
  retrieveUrl?: string;
  /** WarningReason (0008,1196), when the server stored it with a warning. */
  warningReason?: number;
}

/** One instance that the server reports as not stored. */
export interface FailedInstance {
  sopClassUid?: string;
  sopInstanceUid: string;
  /** FailureReason (0008,1197), a DIMSE status code such as 0xA700. */
  failureReason?: number;
}

/** The STOW-RS response dataset (PS3.18 Table 10.5.3-1). */
export interface StoreResponse {
  referenced: StoredInstance[];
  failed: FailedInstance[];
  retrieveUrl?: string;
}

type DicomJsonAttribute = { vr?: string; Value?: unknown[] };
type DicomJsonDataset = Record<string, DicomJsonAttribute | undefined>;

const TAGS = {
  retrieveUrl: '00081190',
  failedSopSequence: '00081198',
  referencedSopSequence: '00081199',
  referencedSopClassUid: '00081150',
  referencedSopInstanceUid: '00081155',
  failureReason: '00081197',
  warningReason: '00081196',
} as const;

/** Meanings of the FailureReason codes that STOW-RS servers send (PS3.18 Table 10.5.3-2, PS3.4 Annex B). */
const FAILURE_REASONS: Record<number, string> = {
  0x0110: 'processing failure',
  0x0111: 'duplicate SOP Instance',
  0x0112: 'no such object instance',
  0x0117: 'invalid object instance',
  0x0122: 'SOP Class not supported',
  0x0124: 'not authorized',
  0xa700: 'out of resources',
  0xa900: 'data set does not match SOP Class',
  0xc000: 'cannot understand',
  0xc122: 'referenced transfer syntax not supported',
};

/** Explains a FailureReason code in words, e.g. `0xA700 (out of resources)`. */
export function describeFailureReason(code: number | undefined): string {
  if (code === undefined) {
    return 'no reason given';
  }
  const hex = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const meaning = FAILURE_REASONS[code];
  return meaning ? `${hex} (${meaning})` : hex;
}

/**
 * Parses a STOW-RS response body in the DICOM JSON model (PS3.18 F.2): the
 * Referenced SOP Sequence (0008,1199) of stored instances and the Failed
 * SOP Sequence (0008,1198) of refused ones. Accepts the dataset itself or
 * an array that contains it, and an empty body.
 */
export function parseStoreResponse(json: unknown): StoreResponse {
  const dataset = (Array.isArray(json) ? json[0] : json) as DicomJsonDataset | undefined;
  if (!dataset || typeof dataset !== 'object') {
    return { referenced: [], failed: [] };
  }

  const referenced = readItems(dataset, TAGS.referencedSopSequence).map((item) => ({
    sopClassUid: readString(item, TAGS.referencedSopClassUid),
    sopInstanceUid: readString(item, TAGS.referencedSopInstanceUid) ?? '',
    retrieveUrl: readString(item, TAGS.retrieveUrl),
    warningReason: readNumber(item, TAGS.warningReason),
  }));
  const failed = readItems(dataset, TAGS.failedSopSequence).map((item) => ({
    sopClassUid: readString(item, TAGS.referencedSopClassUid),
    sopInstanceUid: readString(item, TAGS.referencedSopInstanceUid) ?? '',
    failureReason: readNumber(item, TAGS.failureReason),
  }));
  return { referenced, failed, retrieveUrl: readString(dataset, TAGS.retrieveUrl) };
}

function readItems(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  const value = dataset[tag]?.Value;
  return Array.isArray(value) ? (value.filter((item) => item && typeof item === 'object') as DicomJsonDataset[]) : [];
}

function readString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

function readNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'number' ? value : undefined;
}
