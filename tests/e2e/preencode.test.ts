/**
 * Idle-time encoding of the slices next to a boxed one, in the real viewer.
 * After a box, the worker encodes the neighbouring slices while it has
 * nothing else to do, so a box on the next slice runs only the decoder.
 */
import type { Page } from 'playwright-core';

import { launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { overrideMedsamConfig } from './helpers/overrideMedsamConfig';
import { largestLesionSlice, pixelToPatient, readPhantomGroundTruth } from './helpers/phantomGroundTruth';
import { drawBox, openStudyInMedsamMode, showImage, worldToPage } from './helpers/viewerPage';

jest.setTimeout(600_000);

const services = getTestServices();
const groundTruth = readPhantomGroundTruth(services.phantomDir);

/**
 * Waits until a new box run is done. The box line changes when the new run
 * has read its box, after it set the phase to running.
 */
async function waitForNewBoxRun(page: Page, previousBoxLine: string | null): Promise<void> {
  await page.waitForFunction(
    previous => {
      const run = document.querySelector('[data-testid="medsam-run"]');
      const boxLine = document.querySelector('[data-testid="medsam-box"]')?.textContent;
      return boxLine !== previous && run?.getAttribute('data-phase') === 'done';
    },
    previousBoxLine,
    { timeout: 120_000 }
  );
}

describe('pre-encoding neighbouring slices', () => {
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('box on the next slice uses the embedding encoded ahead', async () => {
    const { page } = browser;
    await overrideMedsamConfig(page, { preencodeSlices: 1 });
    await openStudyInMedsamMode(page, services.viewerUrl, groundTruth.studyInstanceUid);

    const middle = largestLesionSlice(groundTruth);
    const index = groundTruth.slices.indexOf(middle);
    await showImage(page, middle.sopInstanceUid);
    const box = middle.boundingBox!;
    await drawBox(page, pixelToPatient(groundTruth, middle, box.xMin, box.yMin), pixelToPatient(groundTruth, middle, box.xMax + 1, box.yMax + 1));
    await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
    // An encoder time (the stand-in's can round to 0 ms), not '' for a cached embedding.
    await expect(page.locator('[data-testid="medsam-timing"]').getAttribute('data-encoder-ms')).resolves.toMatch(/^\d/);

    // preencodeSlices 1: the slices just before and after, both with the lesion.
    const preencoded = page.locator('[data-testid="medsam-preencoded"][data-count="2"]');
    await preencoded.waitFor({ timeout: 120_000 });

    for (const [margin, neighbour] of [
      [2, groundTruth.slices[index + 1]!],
      [4, groundTruth.slices[index - 1]!],
    ] as const) {
      await page.keyboard.press('Escape');
      await showImage(page, neighbour.sopInstanceUid);
      const before = await page.locator('[data-testid="medsam-box"]').textContent();
      const next = neighbour.boundingBox!;
      // A margin of its own, so the box line differs from the previous box even where the cross-sections match.
      await drawBox(
        page,
        pixelToPatient(groundTruth, neighbour, next.xMin - margin, next.yMin - margin),
        pixelToPatient(groundTruth, neighbour, next.xMax + 1 + margin, next.yMax + 1 + margin)
      );
      await waitForNewBoxRun(page, before);
      await expect(page.locator('[data-testid="medsam-timing"]').getAttribute('data-encoder-ms')).resolves.toBe('');
    }
  });

  test('a box being dragged on an encoded slice previews before release', async () => {
    const { page } = browser;
    const middle = largestLesionSlice(groundTruth);
    await showImage(page, middle.sopInstanceUid);
    const box = middle.boundingBox!;
    const [start, end] = await worldToPage(page, [pixelToPatient(groundTruth, middle, box.xMin - 3, box.yMin - 3), pixelToPatient(groundTruth, middle, box.xMax + 4, box.yMax + 4)]);
    const before = await page.locator('[data-testid="medsam-box"]').textContent();
    await page.locator('[data-cy="MedsamBox"]').first().click();
    await page.mouse.move(start![0], start![1]);
    await page.mouse.down();
    try {
      await page.mouse.move(end![0], end![1], { steps: 6 });
      // Still pressed: a finished run with a new box can only be the preview.
      await waitForNewBoxRun(page, before);
      await expect(page.locator('[data-testid="medsam-timing"]').getAttribute('data-encoder-ms')).resolves.toBe('');
    } finally {
      await page.mouse.up();
    }
  });

  test('preencodeSlices 0 encodes nothing ahead', async () => {
    const { page } = browser;
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await overrideMedsamConfig(page, { preencodeSlices: 0 });
    await openStudyInMedsamMode(page, services.viewerUrl, groundTruth.studyInstanceUid);
    const middle = largestLesionSlice(groundTruth);
    await showImage(page, middle.sopInstanceUid);
    const box = middle.boundingBox!;
    await drawBox(page, pixelToPatient(groundTruth, middle, box.xMin, box.yMin), pixelToPatient(groundTruth, middle, box.xMax + 1, box.yMax + 1));
    await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
    await page.waitForTimeout(5_000);
    await expect(page.locator('[data-testid="medsam-preencoded"]').count()).resolves.toBe(0);
  });
});
