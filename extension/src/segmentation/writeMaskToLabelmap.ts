import { MedsamError } from '../../../src/MedsamError';
import type { CornerstoneLibraries } from '../cornerstoneTypes';

/**
 * Writes one slice's mask into a labelmap segmentation: pixels of
 * `segmentIndex` on that slice are replaced by the mask, other segments are
 * kept. The labelmap image is the one derived for `referencedImageId`.
 * Returns the number of pixels set to `segmentIndex`.
 */
export function writeMaskToLabelmap(
  libraries: CornerstoneLibraries,
  segmentationId: string,
  referencedImageId: string,
  mask: Uint8Array,
  segmentIndex: number
): number {
  const labelmapImage = findLabelmapImage(libraries, segmentationId, referencedImageId);
  const pixels = labelmapImage.getPixelData() as unknown as { [index: number]: number; length: number };
  if (pixels.length !== mask.length) {
    throw new MedsamError(
      'inference/failed',
      `The mask has ${mask.length} pixels but the labelmap slice has ${pixels.length}; ` +
        'the image and its labelmap differ in size.'
    );
  }

  // Pixels of other segments are left alone: the mask only claims
  // background pixels and its own segment's.
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    const current = pixels[i];
    if (mask[i] && (current === 0 || current === segmentIndex)) {
      pixels[i] = segmentIndex;
      count++;
    } else if (!mask[i] && current === segmentIndex) {
      pixels[i] = 0;
    }
  }
  libraries.cornerstoneTools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(segmentationId);
  return count;
}

/** Reads segment `segmentIndex` of the labelmap slice derived for `referencedImageId`. */
export function readMaskFromLabelmap(
  libraries: CornerstoneLibraries,
  segmentationId: string,
  referencedImageId: string,
  segmentIndex: number
): Uint8Array {
  const pixels = findLabelmapImage(libraries, segmentationId, referencedImageId).getPixelData();
  const mask = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    mask[i] = pixels[i] === segmentIndex ? 1 : 0;
  }
  return mask;
}

/** Returns the labelmap image of `segmentationId` derived for `referencedImageId`. */
export function findLabelmapImage(libraries: CornerstoneLibraries, segmentationId: string, referencedImageId: string) {
  const { cornerstone, cornerstoneTools } = libraries;
  const labelmap = cornerstoneTools.segmentation.state.getSegmentation(segmentationId)?.representationData.Labelmap;
  if (!labelmap) {
    throw new MedsamError('inference/failed', `Segmentation ${segmentationId} has no labelmap representation.`);
  }
  const index = labelmap.referencedImageIds?.indexOf(referencedImageId) ?? -1;
  const labelmapImageId = index >= 0 ? labelmap.imageIds[index] : undefined;
  const image = labelmapImageId ? cornerstone.cache.getImage(labelmapImageId) : undefined;
  if (!image) {
    throw new MedsamError(
      'inference/failed',
      `Segmentation ${segmentationId} has no labelmap slice for image ${referencedImageId}.`
    );
  }
  return image;
}
