import { pixelBoxFromWorldPoints } from '../../../src/geometry/pixelBoxFromWorldPoints';
import type { PixelBox } from '../../../src/protocol/workerMessages';
import type { SeriesSlice, SliceOrder } from '../../../src/workflow';
import type { CornerstoneLibraries } from '../cornerstoneTypes';
import { MEDSAM_BOX_TOOL_NAME } from '../tools/createMedsamBoxTool';

/** A MedSAM box annotation on the active series, used as a key box of a range. */
export interface KeyBoxEntry {
  annotationUID: string;
  imageId: string;
  /** Index of the image in the series' image ids, from 0. */
  sliceIndex: number;
  /** Position of the slice along the slice normal, mm. */
  positionMm: number;
  sopInstanceUid: string;
  frameNumber: number;
  /** The box in the slice's pixels. */
  box: PixelBox;
}

/**
 * Lists the completed MedSAM box annotations of one lesion segment on a
 * series, in ascending position along the slice normal. A box counts for
 * the segment that was current when it was completed.
 */
export function listKeyBoxes(
  libraries: CornerstoneLibraries,
  series: { imageIds: readonly string[]; slices: readonly SeriesSlice[]; order: SliceOrder },
  segmentIndex: number
): KeyBoxEntry[] {
  const positionBySliceIndex = new Map(series.order.slices.map(entry => [entry.sliceIndex, entry.positionMm]));
  const entries: KeyBoxEntry[] = [];
  for (const annotation of libraries.cornerstoneTools.annotation.state.getAllAnnotations()) {
    const imageId = annotation.metadata.referencedImageId;
    if (annotation.metadata.toolName !== MEDSAM_BOX_TOOL_NAME || annotation.data.medsamSegmentIndex !== segmentIndex || !imageId) {
      continue;
    }
    const sliceIndex = series.imageIds.indexOf(imageId);
    const slice = series.slices[sliceIndex];
    if (!slice) {
      continue;
    }
    const box = pixelBoxFromWorldPoints(annotation.data.handles.points, slice.plane, {
      width: slice.columns,
      height: slice.rows,
    });
    entries.push({
      annotationUID: annotation.annotationUID ?? '',
      imageId,
      sliceIndex,
      positionMm: positionBySliceIndex.get(sliceIndex) ?? Number.NaN,
      sopInstanceUid: slice.sopInstanceUid,
      frameNumber: slice.frameNumber,
      box,
    });
  }
  return entries.sort((a, b) => a.positionMm - b.positionMm);
}
