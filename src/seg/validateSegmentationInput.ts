import { MedsamError } from '../MedsamError';
import { SEG_CODES, type CodedConcept } from './CodedConcept';
import { describeSourceImage } from './describeSourceImage';
import type {
  AlgorithmIdentification,
  SegmentAlgorithmType,
  SegmentInput,
  WriteSegmentationRequest,
} from './SegmentationInput';
import type { SourceImage } from './SourceImage';
import { sortSourceImagesAlongNormal, type PositionedSourceImage } from './sortSourceImagesAlongNormal';

/** A segment after validation, with defaults filled in. */
export interface ValidatedSegment {
  segmentNumber: number;
  label: string;
  description?: string;
  category: CodedConcept;
  type: CodedConcept;
  algorithmType: SegmentAlgorithmType;
  recommendedDisplayCieLab?: [number, number, number];
  trackingId?: string;
  trackingUid?: string;
  masks: Map<string, Uint8Array>;
}

/** The writer's input once every rule has been checked. */
export interface ValidatedSegmentation {
  /** Source images in ascending position along the slice normal. */
  sources: PositionedSourceImage[];
  segments: ValidatedSegment[];
  algorithm?: Required<Pick<AlgorithmIdentification, 'name' | 'version' | 'family'>> & AlgorithmIdentification;
}

const ALGORITHM_TYPES: readonly SegmentAlgorithmType[] = ['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL'];
const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;
/** Direction cosines and pixel spacings that differ by less than this are equal. */
const GEOMETRY_TOLERANCE = 1e-4;
/** Two slices closer than this along the normal are at the same position, mm. */
const POSITION_TOLERANCE_MM = 1e-3;

function reject(message: string): never {
  throw new MedsamError('seg/invalid-input', message);
}

/**
 * Checks a SEG write request against the rules of the Segmentation IOD
 * (PS3.3 A.51, C.8.20) and against the source geometry, before anything is
 * built. Throws MedsamError `seg/invalid-input` with a sentence that names
 * the offending value.
 */
export function validateSegmentationInput(request: WriteSegmentationRequest): ValidatedSegmentation {
  const images = validateSourceImages(request.sourceImages);
  const sources = sortSourceImagesAlongNormal(images);
  for (let i = 1; i < sources.length; i++) {
    const previous = sources[i - 1]!;
    const current = sources[i]!;
    if (current.distanceMm - previous.distanceMm < POSITION_TOLERANCE_MM) {
      reject(
        `Source images ${previous.image.sopInstanceUid} and ${current.image.sopInstanceUid} lie at the same position along the slice normal (${current.distanceMm} mm); pass one image per slice position.`,
      );
    }
  }

  if (!Array.isArray(request.segments) || request.segments.length === 0) {
    reject('The request has no segments; pass at least one segment with its masks.');
  }
  const first = images[0]!;
  const sourceUids = new Set(images.map((image) => image.sopInstanceUid));
  const segments = request.segments.map((segment, index) =>
    validateSegment(segment, index, sourceUids, first.rows * first.columns),
  );

  const needsAlgorithm = segments.some((segment) => segment.algorithmType !== 'MANUAL');
  const algorithm = needsAlgorithm || request.algorithm ? validateAlgorithm(request.algorithm) : undefined;

  return { sources, segments, algorithm };
}

function validateSourceImages(inputs: WriteSegmentationRequest['sourceImages']): SourceImage[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    reject('The request has no source images; pass the images the masks were drawn on.');
  }
  const images = inputs.map((input, index) => describeSourceImage(input, index));
  const first = images[0]!;
  const seen = new Set<string>();

  images.forEach((image, index) => {
    const where = `Source image ${index} (SOPInstanceUID ${image.sopInstanceUid})`;
    for (const [name, uid] of [
      ['SOPClassUID', image.sopClassUid],
      ['SOPInstanceUID', image.sopInstanceUid],
      ['StudyInstanceUID', image.studyInstanceUid],
      ['SeriesInstanceUID', image.seriesInstanceUid],
      ['FrameOfReferenceUID', image.frameOfReferenceUid],
    ] as const) {
      checkUid(`${where} ${name}`, uid);
    }
    if (seen.has(image.sopInstanceUid)) {
      reject(`${where} appears twice in sourceImages; pass each image once.`);
    }
    seen.add(image.sopInstanceUid);

    if (image.studyInstanceUid !== first.studyInstanceUid) {
      reject(
        `${where} belongs to study ${image.studyInstanceUid}, but source image 0 belongs to study ${first.studyInstanceUid}; a SEG must reference images of one study.`,
      );
    }
    if (image.frameOfReferenceUid !== first.frameOfReferenceUid) {
      reject(
        `${where} has FrameOfReferenceUID ${image.frameOfReferenceUid}, but source image 0 has ${first.frameOfReferenceUid}; all source images must share one frame of reference.`,
      );
    }
    if (!Number.isInteger(image.rows) || !Number.isInteger(image.columns) || image.rows < 1 || image.columns < 1) {
      reject(`${where} has an invalid size ${image.rows}x${image.columns}: expected positive integer Rows and Columns.`);
    }
    if (image.rows !== first.rows || image.columns !== first.columns) {
      reject(
        `${where} is ${image.rows}x${image.columns} pixels, but source image 0 is ${first.rows}x${first.columns}; all source images must have the same Rows and Columns.`,
      );
    }
    checkOrientation(where, image.imageOrientationPatient);
    if (!sameWithin(image.imageOrientationPatient, first.imageOrientationPatient, GEOMETRY_TOLERANCE)) {
      reject(
        `${where} has ImageOrientationPatient [${image.imageOrientationPatient.join(', ')}], but source image 0 has [${first.imageOrientationPatient.join(', ')}]; all source images must be parallel.`,
      );
    }
    if (!image.pixelSpacingMm.every((value) => Number.isFinite(value) && value > 0)) {
      reject(`${where} has an invalid PixelSpacing [${image.pixelSpacingMm.join(', ')}]: expected two positive numbers.`);
    }
    if (!sameWithin(image.pixelSpacingMm, first.pixelSpacingMm, GEOMETRY_TOLERANCE)) {
      reject(
        `${where} has PixelSpacing [${image.pixelSpacingMm.join(', ')}], but source image 0 has [${first.pixelSpacingMm.join(', ')}]; all source images must have the same PixelSpacing.`,
      );
    }
    if (!image.imagePositionPatient.every(Number.isFinite)) {
      reject(`${where} has an invalid ImagePositionPatient [${image.imagePositionPatient.join(', ')}].`);
    }
  });
  return images;
}

function validateSegment(
  segment: SegmentInput,
  index: number,
  sourceUids: Set<string>,
  pixelsPerFrame: number,
): ValidatedSegment {
  const where = `Segment ${index} (SegmentNumber ${String(segment.segmentNumber)})`;
  if (segment.segmentNumber !== index + 1) {
    reject(
      `${where} is out of sequence: SegmentNumber must start at 1 and increase by 1, so segment ${index} must be number ${index + 1}.`,
    );
  }
  checkText(`${where} label`, segment.label, 64, false);
  const category = segment.category ?? SEG_CODES.morphologicallyAbnormalStructure;
  const type = segment.type ?? SEG_CODES.mass;
  checkCode(`${where} category`, category);
  checkCode(`${where} type`, type);

  const algorithmType = segment.algorithmType ?? 'SEMIAUTOMATIC';
  if (!ALGORITHM_TYPES.includes(algorithmType)) {
    reject(`${where} has an invalid algorithmType "${String(algorithmType)}": expected AUTOMATIC, SEMIAUTOMATIC or MANUAL.`);
  }
  if (segment.recommendedDisplayCieLab !== undefined) {
    const lab = segment.recommendedDisplayCieLab;
    if (lab.length !== 3 || !lab.every((value) => Number.isInteger(value) && value >= 0 && value <= 65535)) {
      reject(`${where} has an invalid recommendedDisplayCieLab [${lab.join(', ')}]: expected three integers from 0 to 65535.`);
    }
  }
  if ((segment.trackingId === undefined) !== (segment.trackingUid === undefined)) {
    reject(`${where} sets only one of trackingId and trackingUid; the standard requires both or neither.`);
  }
  if (segment.trackingUid !== undefined) {
    checkUid(`${where} trackingUid`, segment.trackingUid);
  }

  const entries = segment.masks instanceof Map ? [...segment.masks.entries()] : Object.entries(segment.masks ?? {});
  const masks = new Map<string, Uint8Array>();
  for (const [uid, mask] of entries) {
    if (!sourceUids.has(uid)) {
      reject(`${where} has a mask for SOPInstanceUID ${uid}, which is not among the source images.`);
    }
    if (!(mask instanceof Uint8Array)) {
      reject(`${where} mask for ${uid} is not a Uint8Array.`);
    }
    if (mask.length !== pixelsPerFrame) {
      reject(`${where} mask for ${uid} has ${mask.length} pixels, but the source images have ${pixelsPerFrame} (Rows x Columns).`);
    }
    const badIndex = mask.findIndex((value) => value > 1);
    if (badIndex >= 0) {
      reject(
        `${where} mask for ${uid} has value ${mask[badIndex]} at pixel ${badIndex}; a BINARY segmentation needs 0 or 1 in every pixel.`,
      );
    }
    masks.set(uid, mask);
  }

  return {
    segmentNumber: segment.segmentNumber,
    label: segment.label,
    description: segment.description,
    category,
    type,
    algorithmType,
    recommendedDisplayCieLab: segment.recommendedDisplayCieLab,
    trackingId: segment.trackingId,
    trackingUid: segment.trackingUid,
    masks,
  };
}

function validateAlgorithm(algorithm: AlgorithmIdentification | undefined): ValidatedSegmentation['algorithm'] {
  if (!algorithm) {
    reject(
      'The request has a segment whose algorithmType is not MANUAL but no algorithm; pass algorithm with name, version and family.',
    );
  }
  checkText('Algorithm name', algorithm.name, 64, false);
  checkText('Algorithm version', algorithm.version, 64, false);
  const family = algorithm.family ?? SEG_CODES.artificialIntelligence;
  checkCode('Algorithm family', family);
  if (algorithm.source !== undefined) {
    checkText('Algorithm source', algorithm.source, 64, true);
  }
  if (algorithm.model) {
    checkText('Model name', algorithm.model.name, 1024, false);
    checkText('Model version', algorithm.model.version, 1024, false);
  }
  return { ...algorithm, family };
}

function checkUid(what: string, uid: unknown): void {
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > 64 || !UID_PATTERN.test(uid)) {
    reject(`${what} "${String(uid)}" is not a valid UID: expected digits and dots, at most 64 characters.`);
  }
}

function checkText(what: string, value: unknown, maxLength: number, allowEmpty: boolean): void {
  if (typeof value !== 'string') {
    reject(`${what} is missing: expected a string.`);
  }
  if (!allowEmpty && value.trim().length === 0) {
    reject(`${what} is empty: expected a non-empty string.`);
  }
  if (value.length > maxLength) {
    reject(`${what} "${value}" has ${value.length} characters, more than the maximum of ${maxLength}.`);
  }
  if (value.includes('\\')) {
    reject(`${what} "${value}" contains a backslash, which DICOM reserves as the value separator.`);
  }
}

function checkCode(what: string, code: CodedConcept): void {
  if (!code || typeof code !== 'object') {
    reject(`${what} code is missing: expected { value, scheme, meaning }.`);
  }
  checkText(`${what} code value`, code.value, 16, false);
  checkText(`${what} coding scheme`, code.scheme, 16, false);
  checkText(`${what} code meaning`, code.meaning, 64, false);
  if (code.scheme === 'SRT') {
    reject(
      `${what} code (${code.value}, SRT, "${code.meaning}") uses the retired SNOMED-RT scheme SRT; use the SNOMED CT concept ID with scheme SCT.`,
    );
  }
}

function checkOrientation(where: string, orientation: SourceImage['imageOrientationPatient']): void {
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
