import { MedsamError } from '../../../src/MedsamError';
import { writeSegmentation } from '../../../src/seg';
import type { CodedConcept } from '../../../src/seg/CodedConcept';
import type { NaturalDataset } from '../../../src/seg/dcmjsData';
import type { SegmentedPropertyType } from '../../../src/seg/segmentedPropertyCodes';
import type { CornerstoneLibraries } from '../cornerstoneTypes';
import type { ExtensionManager, ServicesManager } from '../ohifTypes';
import { readMaskFromLabelmap } from '../segmentation/writeMaskToLabelmap';
import type { SegArchiver } from './SegArchiver';

/** Version written into the SEG's Algorithm Identification. */
const EXTENSION_VERSION = '0.1.0';

export interface SaveSegmentationRequest {
  libraries: CornerstoneLibraries;
  servicesManager: ServicesManager;
  extensionManager: ExtensionManager;
  segmentationId: string;
  segmentIndex: number;
  segmentLabel: string;
  /** Segmented Property Type; its first category is written as the Category. */
  segmentType: SegmentedPropertyType;
  /** Name of the model as its manifest gives it, and whether it is a stand-in. */
  model: { name: string; standIn: boolean; backend: string };
}

/** A SEG written from a labelmap segment, not stored anywhere yet. */
export interface WrittenSeg {
  /** The SEG as a DICOM Part 10 file. */
  file: ArrayBuffer;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  frames: number;
}

/**
 * Writes one labelmap segment as a BINARY DICOM SEG and hands it to
 * `archiver`, which keeps it in the browser, stores it with STOW-RS in the
 * active data source and returns once a QIDO query finds it there.
 */
export async function saveSegmentation(request: SaveSegmentationRequest, archiver: SegArchiver): Promise<WrittenSeg> {
  // The roots come first, so that no SEG is written when there is nowhere to store it.
  const roots = dataSourceRoots(request.extensionManager);
  const written = writeLabelmapSeg(request);
  await archiver.archive(written, {
    ...roots,
    label: request.segmentLabel,
    headers: authorizationHeaders(request.servicesManager),
  });
  return written;
}

/** Writes one labelmap segment as a BINARY DICOM SEG over the segmentation's source images. */
export function writeLabelmapSeg(request: SaveSegmentationRequest): WrittenSeg {
  const { libraries, segmentationId, segmentIndex } = request;
  const labelmap = libraries.cornerstoneTools.segmentation.state.getSegmentation(segmentationId)?.representationData.Labelmap;
  const referencedImageIds = labelmap?.referencedImageIds ?? [];
  if (referencedImageIds.length === 0) {
    throw new MedsamError('seg/invalid-input', `Segmentation ${segmentationId} references no source images.`);
  }

  const sourceImages: NaturalDataset[] = [];
  const masks = new Map<string, Uint8Array>();
  for (const imageId of referencedImageIds) {
    const instance = libraries.cornerstone.metaData.get('instance', imageId) as NaturalDataset | undefined;
    if (!instance?.SOPInstanceUID) {
      throw new MedsamError('seg/invalid-input', `The viewer has no DICOM attributes for source image ${imageId}.`);
    }
    sourceImages.push(instance);
    masks.set(String(instance.SOPInstanceUID), readMaskFromLabelmap(libraries, segmentationId, imageId, segmentIndex));
  }

  const written = writeSegmentation({
    sourceImages,
    segments: [
      {
        segmentNumber: 1,
        label: request.segmentLabel,
        category: toCode(request.segmentType.categories[0]),
        type: toCode(request.segmentType),
        algorithmType: 'SEMIAUTOMATIC',
        masks,
      },
    ],
    algorithm: {
      name: 'MedSAM',
      version: EXTENSION_VERSION,
      model: { name: request.model.name, version: EXTENSION_VERSION, standIn: request.model.standIn },
    },
  });
  return {
    file: written.file,
    studyInstanceUid: written.studyInstanceUid,
    seriesInstanceUid: written.seriesInstanceUid,
    sopInstanceUid: written.sopInstanceUid,
    frames: written.frameCount,
  };
}

function toCode(concept: CodedConcept | undefined): CodedConcept | undefined {
  return concept ? { value: concept.value, scheme: concept.scheme, meaning: concept.meaning } : undefined;
}

/** Returns the data source's STOW-RS (wadoRoot) and QIDO-RS (qidoRoot) roots as absolute URLs. */
export function dataSourceRoots(extensionManager: ExtensionManager): { stowRoot: string; qidoRoot: string } {
  const [dataSource] = extensionManager.getActiveDataSource();
  const config = dataSource?.getConfig?.();
  if (!config?.wadoRoot) {
    throw new MedsamError(
      'config/invalid',
      'The active data source has no wadoRoot, so there is nowhere to store the SEG; use a DICOMweb data source.'
    );
  }
  const absolute = (root: string) => new URL(root, globalThis.location?.href).href.replace(/\/$/, '');
  return { stowRoot: absolute(config.wadoRoot), qidoRoot: absolute(config.qidoRoot ?? config.wadoRoot) };
}

/** Returns the viewer's own Authorization header when the user signed in (OIDC), else no headers. */
export function authorizationHeaders(servicesManager: ServicesManager): Record<string, string> {
  const auth = servicesManager.services.userAuthenticationService as
    | { getAuthorizationHeader?: () => Record<string, string> | undefined }
    | undefined;
  return auth?.getAuthorizationHeader?.() ?? {};
}
