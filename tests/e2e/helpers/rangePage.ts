/** Steps of the key-box range workflow in the real viewer, and the phantom studies it runs on. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

import { createPhantomSeries, type PhantomOptions, type PhantomSeries } from '../../../src/phantom';
import type { PixelBox } from '../../../src/protocol/workerMessages';
import { uploadFiles } from './orthanc';
import { worldToPage, type Point3 } from './viewerPage';

/** The labelmap pixels of one segment on one source image. */
export interface SegmentSlice {
  sopInstanceUid: string;
  imagePositionPatient: Point3;
  /** Row-major indices of the pixels whose labelmap value is the segment number. */
  indices: number[];
}

/** Generates a phantom series, uploads it to Orthanc and returns it with its exact ground truth. */
export async function uploadPhantom(orthancUrl: string, options: PhantomOptions): Promise<PhantomSeries> {
  const series = createPhantomSeries(options);
  const dir = mkdtempSync(path.join(tmpdir(), 'medsam-range-phantom-'));
  const files = series.instances.map(instance => {
    const file = path.join(dir, `${instance.sopInstanceUid}.dcm`);
    writeFileSync(file, Buffer.from(instance.file));
    return file;
  });
  await uploadFiles(orthancUrl, files);
  return series;
}

/**
 * Reads segment `segmentIndex` of the labelmap on every image of the first
 * viewport's stack, with each image's SOP Instance UID and
 * ImagePositionPatient from the viewer's metadata.
 */
export async function readSegmentSlices(page: Page, segmentIndex: number): Promise<SegmentSlice[]> {
  return page.evaluate(index => {
    const w = window as unknown as {
      cornerstone: {
        getRenderingEngines(): { getViewports(): { getImageIds(): string[] }[] }[];
        cache: { getImage(id: string): { getPixelData(): ArrayLike<number> } | undefined };
        metaData: { get(type: string, id: string): Record<string, unknown> | undefined };
      };
      cornerstoneTools: {
        segmentation: {
          state: { getSegmentations(): { representationData: { Labelmap?: { imageIds: string[]; referencedImageIds?: string[] } } }[] };
        };
      };
    };
    const imageIds = w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!.getImageIds();
    const labelmap = w.cornerstoneTools.segmentation.state
      .getSegmentations()
      .map(segmentation => segmentation.representationData.Labelmap)
      .find(candidate => candidate?.referencedImageIds?.includes(imageIds[0]!));
    if (!labelmap) {
      throw new Error('No labelmap references the images of the first viewport.');
    }
    return imageIds.map(imageId => {
      const labelmapImageId = labelmap.imageIds[labelmap.referencedImageIds!.indexOf(imageId)]!;
      const pixels = w.cornerstone.cache.getImage(labelmapImageId)!.getPixelData();
      const indices: number[] = [];
      for (let pixel = 0; pixel < pixels.length; pixel++) {
        if (pixels[pixel] === index) {
          indices.push(pixel);
        }
      }
      const instance = w.cornerstone.metaData.get('instance', imageId) as { SOPInstanceUID: string };
      const plane = w.cornerstone.metaData.get('imagePlaneModule', imageId) as { imagePositionPatient: Point3 };
      return { sopInstanceUid: instance.SOPInstanceUID, imagePositionPatient: plane.imagePositionPatient, indices };
    });
  }, segmentIndex);
}

/** Reads the boxes of the slices of the last range run from the panel's review list. */
export async function readReviewBoxes(
  page: Page
): Promise<{ sliceIndex: number; positionMm: number; source: string; status: string; box: PixelBox }[]> {
  return page.locator('[data-testid="medsam-range-slice"]').evaluateAll(rows =>
    rows.map(row => {
      const [x0, y0, x1, y1] = (row.getAttribute('data-box') ?? '').split(',').map(Number);
      return {
        sliceIndex: Number(row.getAttribute('data-slice-index')),
        positionMm: Number(row.getAttribute('data-position-mm')),
        source: row.getAttribute('data-source') ?? '',
        status: row.getAttribute('data-status') ?? '',
        box: { x0: x0!, y0: y0!, x1: x1!, y1: y1! },
      };
    })
  );
}

/** Waits until the panel lists `count` key boxes and the single-slice run of the newest one is done. */
export async function waitForKeyBoxes(page: Page, count: number): Promise<void> {
  await page.locator(`[data-testid="medsam-keybox-list"][data-count="${count}"]`).waitFor({ timeout: 60_000 });
  await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
}

/**
 * Clicks "Segment range" and waits up to `timeoutMs` (default 5 minutes)
 * until the run is done. Returns the progress element's attributes.
 */
export async function segmentRange(
  page: Page,
  { timeoutMs = 300_000 }: { timeoutMs?: number } = {}
): Promise<{ done: number; total: number; cancelled: boolean }> {
  await page.locator('[data-testid="medsam-segment-range"]').click();
  const progress = page.locator('[data-testid="medsam-range-progress"][data-phase="done"]');
  await progress.waitFor({ timeout: timeoutMs });
  return {
    done: Number(await progress.getAttribute('data-done')),
    total: Number(await progress.getAttribute('data-total')),
    cancelled: (await progress.getAttribute('data-cancelled')) === 'true',
  };
}

/**
 * Makes OHIF's circular brush the primary mouse tool of the `default` tool
 * group, in place of the MedSAM box, and drags it between two patient
 * points (mm) on the shown image.
 */
export async function paintWithBrush(page: Page, from: Point3, to: Point3): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      cornerstoneTools: {
        ToolGroupManager: {
          getToolGroup(id: string): {
            setToolPassive(name: string): void;
            setToolActive(name: string, options: { bindings: { mouseButton: number }[] }): void;
          };
        };
      };
    };
    const toolGroup = w.cornerstoneTools.ToolGroupManager.getToolGroup('default');
    toolGroup.setToolPassive('MedsamBox');
    toolGroup.setToolActive('CircularBrush', { bindings: [{ mouseButton: 1 }] });
  });
  const [start, end] = (await worldToPage(page, [from, to])) as [[number, number], [number, number]];
  await page.mouse.move(start[0], start[1]);
  await page.mouse.down();
  await page.mouse.move(end[0], end[1], { steps: 8 });
  await page.mouse.up();
}
