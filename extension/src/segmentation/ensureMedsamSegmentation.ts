import { MedsamError } from '../../../src/MedsamError';
import type { DisplaySet, OhifServices } from '../ohifTypes';

/**
 * Returns the labelmap segmentation that MedSAM writes to for the display
 * set containing `imageId`, creating it (and showing it in every viewport of
 * that display set) on first use, and adds `segment` to it when it is
 * missing. `known` maps display sets to their segmentation ids and is updated.
 */
export async function ensureMedsamSegmentation(
  services: Pick<OhifServices, 'displaySetService' | 'segmentationService' | 'viewportGridService'>,
  known: Map<string, string>,
  imageId: string,
  segment: { index: number; label: string }
): Promise<string> {
  const { displaySetService, segmentationService, viewportGridService } = services;
  const displaySet = displaySetService.getActiveDisplaySets().find(set => set.imageIds?.includes(imageId));
  if (!displaySet) {
    throw new MedsamError('box/invalid', `No displayed series contains image ${imageId}; draw the box on an image of a loaded series.`);
  }
  const existing = known.get(displaySet.displaySetInstanceUID);
  const segmentation = existing
    ? (segmentationService.getSegmentation(existing) as { segments?: Record<number, unknown> } | undefined)
    : undefined;
  if (existing && segmentation) {
    // A later lesion is a new segment of the same labelmap.
    if (!segmentation.segments?.[segment.index]) {
      segmentationService.addSegment(existing, { segmentIndex: segment.index, label: segment.label });
    }
    return existing;
  }

  const segmentationId = await segmentationService.createLabelmapForDisplaySet(displaySet, {
    label: `MedSAM ${describeSeries(displaySet)}`,
    segments: { [segment.index]: { label: segment.label, active: true } },
  });
  const { viewports } = viewportGridService.getState();
  for (const [viewportId, viewport] of viewports) {
    if (viewport.displaySetInstanceUIDs.includes(displaySet.displaySetInstanceUID)) {
      await segmentationService.addSegmentationRepresentation(viewportId, { segmentationId });
    }
  }
  known.set(displaySet.displaySetInstanceUID, segmentationId);
  return segmentationId;
}

function describeSeries(displaySet: DisplaySet): string {
  return `S${displaySet.SeriesNumber ?? '?'} ${displaySet.Modality}`;
}
