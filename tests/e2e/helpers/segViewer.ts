/**
 * Steps with a stored SEG in the real viewer: load it from its thumbnail,
 * hydrate it, read its labelmap slices and paint on it. The viewer exposes
 * `window.services` and `window.commandsManager` besides its Cornerstone
 * instances; OHIF names the segmentation of a SEG after the SEG's display
 * set.
 */
import type { Page } from 'playwright-core';

import type { Point3 } from './viewerPage';

/** What the viewer shows after hydration. */
export interface HydratedSeg {
  /** The segmentation id, which is the SEG display set's instance UID. */
  segmentationId: string;
  /** Tool group of the viewport that shows the source series with the SEG. */
  toolGroupId: string;
  segmentNumbers: number[];
}

interface ViewerWindow {
  services: {
    displaySetService: { getActiveDisplaySets(): { displaySetInstanceUID: string; SeriesInstanceUID: string }[] };
    viewportGridService: { getActiveViewportId(): string };
    segmentationService: {
      getSegmentationRepresentations(viewportId: string): { segmentationId: string }[];
      setActiveSegmentation(viewportId: string, segmentationId: string): void;
      setActiveSegment(segmentationId: string, segmentIndex: number): void;
    };
  };
  commandsManager: { runCommand(name: string, options?: Record<string, unknown>): unknown };
  cornerstone: {
    getRenderingEngines(): { id: string; getViewports(): ViewportHandle[] }[];
    metaData: { get(type: string, imageId: string): { imagePositionPatient?: Point3 } | undefined };
    cache: { getImage(imageId: string): { getPixelData(): ArrayLike<number> } | undefined };
    utilities: { imageToWorldCoords(imageId: string, point: [number, number]): Point3 };
  };
  cornerstoneTools: {
    ToolGroupManager: { getToolGroupForViewport(viewportId: string, renderingEngineId: string): { id: string } | undefined };
    segmentation: {
      state: {
        getSegmentation(id: string):
          | { segments: Record<string, unknown>; representationData: { Labelmap?: { imageIds: string[]; referencedImageIds?: string[] } } }
          | undefined;
      };
    };
  };
}

interface ViewportHandle {
  id: string;
  element: HTMLElement;
  getImageIds(): string[];
  setImageIdIndex(index: number): Promise<string>;
  worldToCanvas(point: Point3): [number, number];
  render(): void;
}

/**
 * Double-clicks the thumbnail of the SEG series, answers Yes to OHIF's
 * hydration prompt and waits until the active viewport shows the SEG's
 * segmentation as a representation.
 */
export async function hydrateSegFromThumbnail(page: Page, segSeriesInstanceUid: string): Promise<HydratedSeg> {
  const segmentationId = await page.waitForFunction(
    seriesUid => {
      const w = window as unknown as ViewerWindow;
      const displaySet = w.services?.displaySetService
        .getActiveDisplaySets()
        .find(candidate => candidate.SeriesInstanceUID === seriesUid);
      return displaySet?.displaySetInstanceUID ?? false;
    },
    segSeriesInstanceUid,
    { timeout: 60_000 }
  );
  const displaySetUid = (await segmentationId.jsonValue()) as string;

  await page.locator(`[id="thumbnail-${displaySetUid}"]`).dblclick();
  await page.getByRole('button', { name: 'Yes' }).click({ timeout: 60_000 });
  await page.waitForFunction(
    uid => {
      const w = window as unknown as ViewerWindow;
      const viewportId = w.services.viewportGridService.getActiveViewportId();
      const representations = w.services.segmentationService.getSegmentationRepresentations(viewportId);
      const segmentation = w.cornerstoneTools.segmentation.state.getSegmentation(uid);
      return representations.some(representation => representation.segmentationId === uid) && Boolean(segmentation?.representationData.Labelmap);
    },
    displaySetUid,
    { timeout: 60_000 }
  );

  return page.evaluate(uid => {
    const w = window as unknown as ViewerWindow;
    const engine = w.cornerstone.getRenderingEngines()[0]!;
    const viewport = engine.getViewports()[0]!;
    const toolGroup = w.cornerstoneTools.ToolGroupManager.getToolGroupForViewport(viewport.id, engine.id);
    const segmentation = w.cornerstoneTools.segmentation.state.getSegmentation(uid)!;
    const segmentNumbers = Object.keys(segmentation.segments)
      .map(Number)
      .filter(segmentNumber => segmentNumber > 0)
      .sort((a, b) => a - b);
    return { segmentationId: uid, toolGroupId: toolGroup?.id ?? '', segmentNumbers };
  }, displaySetUid);
}

/** Returns the imageId of the viewport image at a position (mm, within 0.01 mm), or throws. */
export async function findImageIdAtPosition(page: Page, position: Point3): Promise<string> {
  return page.evaluate(target => {
    const w = window as unknown as ViewerWindow;
    const viewport = w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!;
    const found = viewport.getImageIds().find(imageId => {
      const at = w.cornerstone.metaData.get('imagePlaneModule', imageId)?.imagePositionPatient;
      return at !== undefined && at.every((value, axis) => Math.abs(value - target[axis]!) < 0.01);
    });
    if (!found) {
      throw new Error(`The viewport has no image at position ${target.join(', ')} mm.`);
    }
    return found;
  }, position);
}

/**
 * Reads the labelmap slice of a segmentation for one source image, as stored
 * values. The page sends the slice as base64 bytes, because a plain array of
 * 262,144 numbers takes seconds to cross; values above 255 are rejected.
 */
export async function readSegmentationSlice(page: Page, segmentationId: string, imageId: string): Promise<Uint8Array> {
  const base64 = await page.evaluate(
    ([id, referencedImageId]) => {
      const w = window as unknown as ViewerWindow;
      const labelmap = w.cornerstoneTools.segmentation.state.getSegmentation(id)?.representationData.Labelmap;
      if (!labelmap) {
        throw new Error(`Segmentation ${id} has no labelmap.`);
      }
      const index = labelmap.referencedImageIds?.indexOf(referencedImageId) ?? -1;
      const image = index >= 0 ? w.cornerstone.cache.getImage(labelmap.imageIds[index]!) : undefined;
      if (!image) {
        throw new Error(`Segmentation ${id} has no labelmap slice for image ${referencedImageId}.`);
      }
      const pixels = image.getPixelData();
      let binary = '';
      for (let i = 0; i < pixels.length; i++) {
        const value = pixels[i]!;
        if (value > 255) {
          throw new Error(`Segmentation ${id} has value ${value} at pixel ${i} of image ${referencedImageId}; expected segment numbers up to 255.`);
        }
        binary += String.fromCharCode(value);
      }
      return btoa(binary);
    },
    [segmentationId, imageId] as const
  );
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/**
 * Shows the image and returns the page position of a point in its pixel
 * coordinates, x right and y down, with (0, 0) at the outer corner of the
 * first pixel as in Cornerstone's `imageToWorldCoords`.
 */
export async function imagePixelToPage(page: Page, imageId: string, x: number, y: number): Promise<[number, number]> {
  return page.evaluate(
    async ([id, column, row]) => {
      const w = window as unknown as ViewerWindow;
      const viewport = w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!;
      await viewport.setImageIdIndex(viewport.getImageIds().indexOf(id));
      viewport.render();
      const world = w.cornerstone.utilities.imageToWorldCoords(id, [column, row]);
      const [canvasX, canvasY] = viewport.worldToCanvas(world);
      const rect = viewport.element.getBoundingClientRect();
      return [rect.left + canvasX, rect.top + canvasY] as [number, number];
    },
    [imageId, x, y] as const
  );
}

/**
 * Makes the segment active in the active viewport, activates OHIF's
 * circular brush as the toolbar does and paints a short stroke at `point`
 * (page pixels).
 */
export async function paintWithBrush(page: Page, segmentationId: string, segmentNumber: number, point: [number, number]): Promise<void> {
  await page.evaluate(
    ([id, segmentIndex]) => {
      const w = window as unknown as ViewerWindow;
      const viewportId = w.services.viewportGridService.getActiveViewportId();
      w.services.segmentationService.setActiveSegmentation(viewportId, id);
      w.services.segmentationService.setActiveSegment(id, segmentIndex);
      w.commandsManager.runCommand('setToolActiveToolbar', { toolName: 'CircularBrush', toolGroupIds: ['default'] });
    },
    [segmentationId, segmentNumber] as const
  );
  await page.mouse.move(point[0], point[1]);
  await page.mouse.down();
  await page.mouse.move(point[0] + 2, point[1] + 2, { steps: 3 });
  await page.mouse.up();
}
