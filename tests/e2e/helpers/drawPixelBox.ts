import type { Page } from 'playwright-core';

import type { ImagePlaneModule } from '../../../extension/src/cornerstoneTypes';
import { drawBox, type Point3 } from './viewerPage';

/** Reads the plane geometry of an image from the viewer's metadata. */
export async function readImagePlane(page: Page, imageId: string): Promise<ImagePlaneModule> {
  return page.evaluate(
    id => (window as unknown as { cornerstone: { metaData: { get(type: string, id: string): ImagePlaneModule } } }).cornerstone.metaData.get('imagePlaneModule', id),
    imageId
  );
}

/** Draws the MedSAM box between two pixel corners (x0, y0) and (x1, y1) of the shown image. */
export async function drawPixelBox(page: Page, imageId: string, box: { x0: number; y0: number; x1: number; y1: number }): Promise<void> {
  const plane = await readImagePlane(page, imageId);
  const at = (x: number, y: number): Point3 =>
    [0, 1, 2].map(
      axis =>
        plane.imagePositionPatient[axis]! +
        x * plane.columnPixelSpacing * plane.rowCosines[axis]! +
        y * plane.rowPixelSpacing * plane.columnCosines[axis]!
    ) as Point3;
  await drawBox(page, at(box.x0, box.y0), at(box.x1, box.y1));
}
