/**
 * SEGs written by other tools (dcmqi and highdicom) in the MedSAM mode, in
 * the real OHIF viewer against the real Orthanc. Each case uploads a SEG with
 * its source images, opens the study, loads the SEG from its thumbnail and
 * hydrates it. The tests then compare the viewer's labelmap with the SEG's
 * frames, matched by image position, and paint with OHIF's brush to
 * show that the hydrated segmentation is editable.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import { readSegmentation, type SegmentationFrameMask } from '../../src/seg';
import { readArrayBuffer } from '../unit/seg/dicomTools';
import { launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { uploadFiles } from './helpers/orthanc';
import { openStudyInMedsamMode, type Point3 } from './helpers/viewerPage';
import {
  findImageIdAtPosition,
  hydrateSegFromThumbnail,
  imagePixelToPage,
  paintWithBrush,
  readSegmentationSlice,
} from './helpers/segViewer';

jest.setTimeout(600_000);

const services = getTestServices();

/** Counts the pixels equal to `value`. */
function count(pixels: ArrayLike<number>, value: number): number {
  let total = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i] === value) {
      total++;
    }
  }
  return total;
}

/**
 * Picks the background pixel of a frame farthest from the centroid of its
 * foreground, so that a brush stroke there adds pixels to the segment. Only
 * the middle half of the image counts: a stroke at an image corner left the
 * labelmap unchanged, probably because the viewport's corner overlays took
 * the mouse events.
 */
function farthestBackgroundPixel(frame: SegmentationFrameMask, rows: number, columns: number): [number, number] {
  let sumX = 0;
  let sumY = 0;
  let foreground = 0;
  frame.mask.forEach((value, index) => {
    if (value) {
      sumX += index % columns;
      sumY += Math.floor(index / columns);
      foreground++;
    }
  });
  const centroid = [sumX / foreground, sumY / foreground];
  let best: [number, number] | null = null;
  let bestDistance = -1;
  frame.mask.forEach((value, index) => {
    const x = index % columns;
    const y = Math.floor(index / columns);
    const central = Math.abs(x - columns / 2) <= columns / 4 && Math.abs(y - rows / 2) <= rows / 4;
    const distance = (x - centroid[0]!) ** 2 + (y - centroid[1]!) ** 2;
    if (!value && central && distance > bestDistance) {
      best = [x, y];
      bestDistance = distance;
    }
  });
  if (!best) {
    throw new Error(`SEG frame ${frame.frameNumber} has no background pixel in the middle of the image to paint on.`);
  }
  return best;
}

describe.each([
  ['dcmqi liver SEG', 'ct-liver-3slice-dcmqi/image', 'ct-liver-3slice-dcmqi/seg/liver.dcm'],
  ['highdicom CT SEG', 'seg-highdicom/source/dicomdirtests-CT2', 'seg-highdicom/seg/seg_image_ct_binary.dcm'],
])('%s in the MedSAM mode', (_name, imageFolder, segFile) => {
  const imageDir = path.join(services.dataDir, imageFolder);
  const imageFiles = readdirSync(imageDir).map(name => path.join(imageDir, name));
  const segPath = path.join(services.dataDir, segFile);
  const seg = readSegmentation(readArrayBuffer(segPath));
  let browser: LaunchedBrowser;
  /** imageId shown for each SEG frame, found by the frame's position. */
  const imageIdByFrame = new Map<number, string>();
  let segmentationId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    await uploadFiles(services.orthancUrl, [...imageFiles, segPath]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls === 0) {
      process.stdout.write(browser.consoleMessages.slice(-60).join('\n'));
    }
  });

  test('SEG hydrates onto its source series', async () => {
    const { page } = browser;
    await openStudyInMedsamMode(page, services.viewerUrl, seg.studyInstanceUid);
    const hydrated = await hydrateSegFromThumbnail(page, seg.seriesInstanceUid);
    segmentationId = hydrated.segmentationId;
    expect(hydrated.toolGroupId).toBe('default');
    expect(hydrated.segmentNumbers).toEqual(seg.segments.map(segment => segment.segmentNumber));
  });

  test('labelmap matches every SEG frame by position', async () => {
    const { page } = browser;
    for (const frame of seg.frames) {
      const imageId = await findImageIdAtPosition(page, frame.imagePositionPatient as Point3);
      imageIdByFrame.set(frame.frameNumber, imageId);
      const slice = await readSegmentationSlice(page, segmentationId, imageId);
      const shownMask = Uint8Array.from(slice, value => (value === frame.segmentNumber ? 1 : 0));
      expect({ frame: frame.frameNumber, equal: Buffer.from(shownMask).equals(Buffer.from(frame.mask)) }).toEqual({
        frame: frame.frameNumber,
        equal: true,
      });
    }
  });

  test('labelmap has no foreground off the SEG frames', async () => {
    const { page } = browser;
    const framedImageIds = new Set(imageIdByFrame.values());
    const otherImageIds = (await page.evaluate(() => {
      const w = window as unknown as { cornerstone: { getRenderingEngines(): { getViewports(): { getImageIds(): string[] }[] }[] } };
      return w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!.getImageIds();
    })).filter(id => !framedImageIds.has(id));
    expect(otherImageIds).toHaveLength(imageFiles.length - framedImageIds.size);
    for (const imageId of otherImageIds) {
      const slice = await readSegmentationSlice(page, segmentationId, imageId);
      expect(slice.length - count(slice, 0)).toBe(0);
    }
  });

  test('brush adds to the hydrated segment', async () => {
    const { page } = browser;
    const frame = seg.frames[0]!;
    const imageId = imageIdByFrame.get(frame.frameNumber)!;
    const before = await readSegmentationSlice(page, segmentationId, imageId);
    const [x, y] = farthestBackgroundPixel(frame, seg.rows, seg.columns);
    expect(before[y * seg.columns + x]).toBe(0);

    const center = await imagePixelToPage(page, imageId, x + 0.5, y + 0.5);
    await paintWithBrush(page, segmentationId, frame.segmentNumber, center);
    // The brush writes on mouse events; poll until the stroke has landed.
    let after = await readSegmentationSlice(page, segmentationId, imageId);
    for (let attempt = 0; attempt < 20 && after[y * seg.columns + x] === 0; attempt++) {
      await page.waitForTimeout(250);
      after = await readSegmentationSlice(page, segmentationId, imageId);
    }

    expect(after[y * seg.columns + x]).toBe(frame.segmentNumber);
    expect(count(after, frame.segmentNumber)).toBeGreaterThan(count(before, frame.segmentNumber));
    // Painting adds pixels and removes none of the SEG's.
    const keepsSegPixels = [...frame.mask.keys()].filter(i => frame.mask[i] === 1).every(i => after[i] === frame.segmentNumber);
    expect(keepsSegPixels).toBe(true);
  });
});
