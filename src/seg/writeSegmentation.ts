import { createLogger } from '../logging';
import { MedsamError } from '../MedsamError';
import { buildSegmentationDataset, type SegmentationIdentity } from './buildSegmentationDataset';
import { collectSegmentationFrames } from './collectSegmentationFrames';
import { createUidGenerator } from './createUidGenerator';
import type { WriteSegmentationOptions, WriteSegmentationRequest, WrittenSegmentation } from './SegmentationInput';
import { validateSegmentationInput } from './validateSegmentationInput';
import { writePart10 } from './writePart10';

const logger = createLogger('medsam.seg');
const CONTENT_LABEL_PATTERN = /^[A-Z0-9 _]{1,16}$/;

/**
 * Writes a DICOM Segmentation as a Part 10 file in Explicit VR Little
 * Endian: BINARY (SOP Class 1.2.840.10008.5.1.4.1.1.66.4) by default, or a
 * label map (1.2.840.10008.5.1.4.1.1.66.7) with `options.segmentationType`
 * LABELMAP. Sources may be single-frame or enhanced multi-frame images with
 * patient geometry, or 2D images without it (ultrasound, secondary capture).
 *
 * The request is validated in full first. BINARY frames are ordered by
 * segment number, then by position along the slice normal, whatever the
 * order of `sourceImages`. Sources without geometry keep their input
 * order. Frames with no foreground are left out unless
 * `options.keepEmptyFrames` is set. Throws MedsamError `seg/invalid-input`
 * naming the bad value, including when no frame would remain.
 */
export function writeSegmentation(request: WriteSegmentationRequest): WrittenSegmentation {
  const validated = validateSegmentationInput(request);
  const identity = resolveIdentity(request.options ?? {});
  const frames = collectSegmentationFrames(validated, identity.options.keepEmptyFrames);

  if (frames.length === 0) {
    const labels = validated.segments.map((segment) => `"${segment.label}"`).join(', ');
    throw new MedsamError(
      'seg/invalid-input',
      `Every mask of segment(s) ${labels} is empty, so the SEG would have no frames; draw a segment or set keepEmptyFrames.`,
    );
  }

  const dataset = buildSegmentationDataset(validated, frames, identity);
  const file = writePart10(dataset);
  const studyInstanceUid = validated.instances[0]!.studyInstanceUid;
  const sopClassUid = String(dataset.SOPClassUID);
  logger.info('Wrote DICOM SEG.', {
    segmentationType: validated.segmentationType,
    sopInstanceUid: identity.sopInstanceUid,
    seriesInstanceUid: identity.seriesInstanceUid,
    segments: validated.segments.length,
    frames: frames.length,
    bytes: file.byteLength,
  });

  return {
    file,
    sopClassUid,
    sopInstanceUid: identity.sopInstanceUid,
    seriesInstanceUid: identity.seriesInstanceUid,
    studyInstanceUid,
    frameCount: frames.length,
  };
}

function resolveIdentity(options: WriteSegmentationOptions): SegmentationIdentity {
  const nextUid = createUidGenerator();
  const contentLabel = options.contentLabel ?? 'MEDSAM';
  if (!CONTENT_LABEL_PATTERN.test(contentLabel)) {
    throw new MedsamError(
      'seg/invalid-input',
      `Invalid contentLabel "${contentLabel}": a CS value needs 1 to 16 upper-case letters, digits, spaces or underscores.`,
    );
  }
  for (const [name, value] of [
    ['seriesNumber', options.seriesNumber],
    ['instanceNumber', options.instanceNumber],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new MedsamError('seg/invalid-input', `Invalid ${name} ${value}: expected a non-negative integer.`);
    }
  }
  for (const [name, value] of [
    ['seriesInstanceUid', options.seriesInstanceUid],
    ['sopInstanceUid', options.sopInstanceUid],
  ] as const) {
    if (value !== undefined && !/^[0-9]+(\.[0-9]+)*$/.test(value)) {
      throw new MedsamError('seg/invalid-input', `Invalid ${name} "${value}": expected digits and dots.`);
    }
  }

  const when = options.contentDateTime ?? new Date();
  const iso = when.toISOString();
  return {
    sopInstanceUid: options.sopInstanceUid ?? nextUid(),
    seriesInstanceUid: options.seriesInstanceUid ?? nextUid(),
    dimensionOrganizationUid: nextUid(),
    date: iso.slice(0, 10).replaceAll('-', ''),
    time: iso.slice(11, 19).replaceAll(':', ''),
    options: {
      keepEmptyFrames: options.keepEmptyFrames ?? false,
      contentLabel,
      contentDescription: options.contentDescription ?? 'MedSAM segmentation',
      contentCreatorName: options.contentCreatorName ?? '',
      seriesDescription: options.seriesDescription ?? 'MedSAM segmentation',
      seriesNumber: options.seriesNumber ?? 300,
      instanceNumber: options.instanceNumber ?? 1,
      manufacturer: options.manufacturer ?? 'ohif-medsam',
      manufacturerModelName: options.manufacturerModelName ?? 'ohif-medsam SEG writer',
      deviceSerialNumber: options.deviceSerialNumber ?? 'none',
      softwareVersions: options.softwareVersions ?? '0.1.0',
    },
  };
}
