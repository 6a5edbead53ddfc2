import { MedsamError } from '../../../src/MedsamError';
import type { SeriesSlice } from '../../../src/workflow';
import type { CornerstoneLibraries, ImagePlaneModule } from '../cornerstoneTypes';
import { frameNumberOf } from '../imaging/readBoxInput';

/**
 * Reads the geometry of every image of a series from the host's metadata
 * provider, which has it once the series metadata is loaded, before any
 * pixel data. `slices[i]` describes `imageIds[i]`.
 *
 * Throws MedsamError `series/invalid` for an image without plane geometry
 * or SOP Instance UID.
 */
export function readSeriesSlices(libraries: CornerstoneLibraries, imageIds: readonly string[]): SeriesSlice[] {
  const { metaData } = libraries.cornerstone;
  return imageIds.map(imageId => {
    const plane = metaData.get('imagePlaneModule', imageId) as ImagePlaneModule | undefined;
    const instance = metaData.get('instance', imageId) as { SOPInstanceUID?: string } | undefined;
    if (!plane?.imagePositionPatient || !plane.rowCosines || !plane.columnCosines || !instance?.SOPInstanceUID) {
      throw new MedsamError(
        'series/invalid',
        `Image ${imageId} has no plane geometry or SOP Instance UID in the viewer; a range needs both on every image.`
      );
    }
    return {
      sopInstanceUid: instance.SOPInstanceUID,
      frameNumber: frameNumberOf(imageId),
      rows: plane.rows,
      columns: plane.columns,
      plane: {
        imagePositionPatient: plane.imagePositionPatient,
        rowCosines: plane.rowCosines,
        columnCosines: plane.columnCosines,
        rowSpacingMm: plane.rowPixelSpacing,
        columnSpacingMm: plane.columnPixelSpacing,
      },
    };
  });
}
