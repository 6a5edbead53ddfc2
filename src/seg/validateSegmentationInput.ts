import { MedsamError } from '../MedsamError';
import { SEG_CODES, type CodedConcept } from './CodedConcept';
import { isTypeInCategory } from './segmentedPropertyCodes';
import type {
  AlgorithmIdentification,
  SegmentAlgorithmType,
  SegmentInput,
  SourceFrameMask,
  WriteSegmentationRequest,
  WrittenSegmentationType,
} from './SegmentationInput';
import type { SourceInstance } from './SourceImage';
import { sourceFrameKey, type PositionedSourceFrame } from './sortSourceFramesAlongNormal';
import { checkUid, validateSourceImages } from './validateSourceImages';

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
  /** Masks keyed by `sourceFrameKey(sopInstanceUid, frameNumber)`. */
  masks: Map<string, Uint8Array>;
}

/** The writer's input once every rule has been checked. */
export interface ValidatedSegmentation {
  segmentationType: WrittenSegmentationType;
  /** True when the SEG gets a Frame of Reference and plane geometry (PS3.3 A.51.5.1). */
  hasPatientGeometry: boolean;
  /** Source instances in input order. */
  instances: SourceInstance[];
  /** Source frames in ascending position along the slice normal, or in input order without geometry. */
  frames: PositionedSourceFrame[];
  segments: ValidatedSegment[];
  algorithm?: Required<Pick<AlgorithmIdentification, 'name' | 'version' | 'family'>> & AlgorithmIdentification;
}

const ALGORITHM_TYPES: readonly SegmentAlgorithmType[] = ['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL'];
const SEGMENTATION_TYPES: readonly WrittenSegmentationType[] = ['BINARY', 'LABELMAP'];
/** The largest segment number a 16-bit label map can hold. */
const MAX_LABELMAP_SEGMENT_NUMBER = 65535;

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
  const segmentationType = request.options?.segmentationType ?? 'BINARY';
  if (!SEGMENTATION_TYPES.includes(segmentationType)) {
    reject(`Invalid segmentationType "${String(segmentationType)}": expected BINARY or LABELMAP.`);
  }
  const sources = validateSourceImages(request.sourceImages);

  if (!Array.isArray(request.segments) || request.segments.length === 0) {
    reject('The request has no segments; pass at least one segment with its masks.');
  }
  if (segmentationType === 'LABELMAP' && request.segments.length > MAX_LABELMAP_SEGMENT_NUMBER) {
    reject(
      `The request has ${request.segments.length} segments, but a label map holds at most ${MAX_LABELMAP_SEGMENT_NUMBER}; write a BINARY SEG instead.`,
    );
  }
  const instancesByUid = new Map(sources.instances.map((instance) => [instance.sopInstanceUid, instance]));
  const segments = request.segments.map((segment, index) => validateSegment(segment, index, instancesByUid));

  const needsAlgorithm = segments.some((segment) => segment.algorithmType !== 'MANUAL');
  const algorithm = needsAlgorithm || request.algorithm ? validateAlgorithm(request.algorithm) : undefined;

  return { segmentationType, ...sources, segments, algorithm };
}

function validateSegment(
  segment: SegmentInput,
  index: number,
  instancesByUid: Map<string, SourceInstance>,
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
  if (!isTypeInCategory(type, category)) {
    reject(
      `${where} has type (${type.value}, ${type.scheme}, "${type.meaning}"), which does not belong to category (${category.value}, ${category.scheme}, "${category.meaning}"); pick the category that the type's entry in SEGMENTED_PROPERTY_TYPES lists.`,
    );
  }

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
    masks: validateMasks(segment.masks, where, instancesByUid),
  };
}

function listMaskEntries(masks: SegmentInput['masks']): SourceFrameMask[] {
  if (Array.isArray(masks)) {
    return masks as SourceFrameMask[];
  }
  const entries = masks instanceof Map ? [...masks.entries()] : Object.entries(masks ?? {});
  return entries.map(([sopInstanceUid, mask]) => ({ sopInstanceUid, mask }));
}

function validateMasks(
  input: SegmentInput['masks'],
  where: string,
  instancesByUid: Map<string, SourceInstance>,
): Map<string, Uint8Array> {
  const masks = new Map<string, Uint8Array>();
  for (const { sopInstanceUid: uid, frameNumber, mask } of listMaskEntries(input)) {
    const instance = instancesByUid.get(uid);
    if (!instance) {
      reject(`${where} has a mask for SOPInstanceUID ${uid}, which is not among the source images.`);
    }
    const frames = instance.numberOfFrames;
    if (frameNumber === undefined && frames > 1) {
      reject(
        `${where} has a mask for ${uid} without a frame number, but that source image has ${frames} frames; pass { sopInstanceUid, frameNumber, mask } entries.`,
      );
    }
    const frame = frameNumber ?? 1;
    if (!Number.isInteger(frame) || frame < 1 || frame > frames) {
      reject(`${where} has a mask for ${uid} frame ${String(frameNumber)}, but that source image has frames 1 to ${frames}.`);
    }
    const name = frames > 1 ? `${uid} frame ${frame}` : uid;
    if (!(mask instanceof Uint8Array)) {
      reject(`${where} mask for ${name} is not a Uint8Array.`);
    }
    const pixels = instance.rows * instance.columns;
    if (mask.length !== pixels) {
      reject(`${where} mask for ${name} has ${mask.length} pixels, but the source images have ${pixels} (Rows x Columns).`);
    }
    const badIndex = mask.findIndex((value) => value > 1);
    if (badIndex >= 0) {
      reject(
        `${where} mask for ${name} has value ${mask[badIndex]} at pixel ${badIndex}; a segment mask needs 0 or 1 in every pixel.`,
      );
    }
    const key = sourceFrameKey(uid, frame);
    if (masks.has(key)) {
      reject(`${where} has two masks for ${name}; pass one mask per source frame.`);
    }
    masks.set(key, mask);
  }
  return masks;
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
