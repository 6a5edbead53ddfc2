/**
 * Steps of the MedSAM workflow in the real viewer, driven through the page.
 * The viewer exposes its Cornerstone instances as `window.cornerstone` and
 * `window.cornerstoneTools`; the tests read viewport geometry and labelmap
 * pixels from there.
 */
import type { Page } from 'playwright-core';

export type Point3 = [number, number, number];

/** Opens a study in the MedSAM mode and waits until the model is ready and an image is shown. */
export async function openStudyInMedsamMode(page: Page, viewerUrl: string, studyUid: string): Promise<void> {
  await page.goto(`${viewerUrl}/medsam?StudyInstanceUIDs=${studyUid}`);
  await dismissInvestigationalUseDialog(page);
  await page.waitForSelector('[data-testid="medsam-model-status"][data-phase="ready"]', { timeout: 180_000 });
  await page.waitForFunction(
    () => {
      const cs = (window as unknown as { cornerstone?: CornerstoneGlobal }).cornerstone;
      const viewport = cs?.getRenderingEngines?.()[0]?.getViewports?.()[0];
      return Boolean(viewport?.getCurrentImageId?.());
    },
    undefined,
    { timeout: 120_000 }
  );
}

async function dismissInvestigationalUseDialog(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: /confirm|agree|accept/i }).first();
  try {
    await button.click({ timeout: 15_000 });
  } catch {
    // The deployment may have the notice turned off.
  }
}

interface CornerstoneGlobal {
  getRenderingEngines(): { getViewports(): ViewportGlobal[] }[];
}
interface ViewportGlobal {
  id: string;
  element: HTMLElement;
  getCurrentImageId(): string;
  getImageIds(): string[];
  setImageIdIndex(index: number): Promise<string>;
  worldToCanvas(point: Point3): [number, number];
}

/** Shows the image whose SOP Instance UID is given; returns its imageId. */
export async function showImage(page: Page, sopInstanceUid: string): Promise<string> {
  return page.evaluate(async uid => {
    const w = window as unknown as { cornerstone: CornerstoneGlobal & { metaData: { get(t: string, id: string): { SOPInstanceUID?: string } } } };
    const viewport = w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!;
    const imageIds = viewport.getImageIds();
    const index = imageIds.findIndex(id => w.cornerstone.metaData.get('instance', id)?.SOPInstanceUID === uid);
    if (index < 0) {
      throw new Error(`The viewport has no image with SOP Instance UID ${uid}.`);
    }
    await viewport.setImageIdIndex(index);
    return imageIds[index]!;
  }, sopInstanceUid);
}

/** Converts patient points (mm) on the first viewport's shown image to page coordinates for the mouse. */
export async function worldToPage(page: Page, points: Point3[]): Promise<[number, number][]> {
  return page.evaluate(list => {
    const w = window as unknown as { cornerstone: CornerstoneGlobal };
    const viewport = w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!;
    const rect = viewport.element.getBoundingClientRect();
    return list.map(point => {
      const [x, y] = viewport.worldToCanvas(point);
      return [rect.left + x, rect.top + y] as [number, number];
    });
  }, points);
}

/** Activates the MedSAM box tool and drags a box between two patient points (mm) on the shown image. */
export async function drawBox(page: Page, cornerA: Point3, cornerB: Point3): Promise<void> {
  await page.locator('[data-cy="MedsamBox"]').first().click();
  const [start, end] = (await worldToPage(page, [cornerA, cornerB])) as [[number, number], [number, number]];
  await page.mouse.move(start[0], start[1]);
  await page.mouse.down();
  await page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, { steps: 4 });
  await page.mouse.move(end[0], end[1], { steps: 4 });
  await page.mouse.up();
}

/** Reads segment 1 of the first labelmap on the given source image as a 0/1 mask. */
export async function readLabelmapMask(page: Page, imageId: string): Promise<Uint8Array> {
  const values = await page.evaluate(id => {
    const w = window as unknown as {
      cornerstone: { cache: { getImage(id: string): { getPixelData(): ArrayLike<number> } | undefined } };
      cornerstoneTools: {
        segmentation: {
          state: {
            getSegmentations(): { representationData: { Labelmap?: { imageIds: string[]; referencedImageIds?: string[] } } }[];
          };
        };
      };
    };
    const labelmap = w.cornerstoneTools.segmentation.state
      .getSegmentations()
      .map(segmentation => segmentation.representationData.Labelmap)
      .find(candidate => candidate?.referencedImageIds?.includes(id));
    if (!labelmap) {
      throw new Error(`No labelmap references image ${id}.`);
    }
    const labelmapImageId = labelmap.imageIds[labelmap.referencedImageIds!.indexOf(id)]!;
    const pixels = w.cornerstone.cache.getImage(labelmapImageId)!.getPixelData();
    return Array.from(pixels, value => (value === 1 ? 1 : 0));
  }, imageId);
  return Uint8Array.from(values);
}
