import { MedsamError } from '../../../src/MedsamError';
import { pixelBoxFromWorldPoints } from '../../../src/geometry/pixelBoxFromWorldPoints';
import type { PixelBox } from '../../../src/protocol/workerMessages';
import type { Annotation, CornerstoneImage, CornerstoneLibraries, ImagePlaneModule } from '../cornerstoneTypes';

/** Viewer data for one drawn box: the image, its geometry and the box in its pixels. */
export interface BoxInput {
  imageId: string;
  image: CornerstoneImage;
  plane: ImagePlaneModule;
  sopInstanceUid: string;
  /** Frame number from 1; 1 for single-frame images. */
  frameNumber: number;
  pixels: PixelBox;
}

/**
 * Reads the image a box annotation was drawn on from the host's cache
 * (loading it when it was evicted) and converts the box's corner points
 * from patient coordinates to the image's pixels.
 */
export async function readBoxInput(libraries: CornerstoneLibraries, annotation: Annotation, imageId: string): Promise<BoxInput> {
  const { cornerstone } = libraries;
  const image = cornerstone.cache.getImage(imageId) ?? (await cornerstone.imageLoader.loadAndCacheImage(imageId));
  const plane = cornerstone.metaData.get('imagePlaneModule', imageId) as ImagePlaneModule | undefined;
  const instance = cornerstone.metaData.get('instance', imageId) as { SOPInstanceUID?: string } | undefined;
  if (!plane || !instance?.SOPInstanceUID) {
    throw new MedsamError('box/invalid', `Image ${imageId} has no plane geometry or SOP Instance UID in the viewer.`);
  }

  const pixels = pixelBoxFromWorldPoints(
    annotation.data.handles.points,
    {
      imagePositionPatient: plane.imagePositionPatient,
      rowCosines: plane.rowCosines,
      columnCosines: plane.columnCosines,
      columnSpacingMm: plane.columnPixelSpacing,
      rowSpacingMm: plane.rowPixelSpacing,
    },
    { width: image.columns, height: image.rows }
  );
  return { imageId, image, plane, sopInstanceUid: instance.SOPInstanceUID, frameNumber: frameNumberOf(imageId), pixels };
}

/** Frame number (from 1) of a multi-frame image id, 1 for single-frame images. */
export function frameNumberOf(imageId: string): number {
  const match = /\/frames\/(\d+)|[?&]frame=(\d+)/.exec(imageId);
  const value = match?.[1] ?? match?.[2];
  return value ? Number(value) : 1;
}
