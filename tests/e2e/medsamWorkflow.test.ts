/**
 * The MedSAM workflow end to end, in the real OHIF viewer (headless
 * Chromium) against the real Orthanc. The tests open a study in the MedSAM
 * mode, draw a box and check the mask. They then save it as a DICOM SEG and
 * check what the archive stores and that the reopened study shows it.
 *
 * The model is the inscribed-ellipse stand-in: its mask is the ellipse
 * inscribed in the box, so a box around the phantom lesion's cross-section
 * must give that cross-section.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { readPart10, readSegmentation } from '../../src/seg';
import { assertOnlyLoopbackRequests, launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { dice } from '../helpers/dice';
import { downloadInstance, uploadFiles } from './helpers/orthanc';
import { largestLesionSlice, pixelToPatient, readPhantomGroundTruth } from './helpers/phantomGroundTruth';
import { overrideMedsamConfig } from './helpers/overrideMedsamConfig';
import { drawBox, openStudyInMedsamMode, readLabelmapMask, showImage, type Point3 } from './helpers/viewerPage';

jest.setTimeout(600_000);


const services = getTestServices();
const groundTruth = readPhantomGroundTruth(services.phantomDir);
const groundTruthMasks = readFileSync(path.join(services.phantomDir, 'ground-truth-mask.bin'));

function dciodvfyErrors(file: ArrayBuffer): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'medsam-seg-'));
  const segPath = path.join(dir, 'seg.dcm');
  writeFileSync(segPath, Buffer.from(file));
  let output: string;
  try {
    output = execFileSync('dciodvfy', [segPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
  return output.split('\n').filter(line => line.startsWith('Error'));
}

describe('MedSAM in the OHIF viewer', () => {
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The workflow runs as deployed: WebGPU first (the software adapter here), WASM as the fallback.
    await overrideMedsamConfig(browser.page, { backend: 'auto' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls === 0) {
      process.stdout.write(browser.consoleMessages.slice(-60).join('\n'));
    }
  });

  describe('on the synthetic CT phantom', () => {
    const middle = largestLesionSlice(groundTruth);
    const sliceIndex = groundTruth.slices.indexOf(middle);
    const sliceSize = groundTruth.rows * groundTruth.columns;
    const expectedMask = groundTruthMasks.subarray(sliceIndex * sliceSize, (sliceIndex + 1) * sliceSize);
    let imageId = '';
    let mask: Uint8Array = new Uint8Array(0);
    let segSopInstanceUid = '';

    test('box around the lesion gives its cross-section', async () => {
      const { page } = browser;
      await openStudyInMedsamMode(page, services.viewerUrl, groundTruth.studyInstanceUid);
      await expect(page.locator('[data-testid="medsam-model-name"]').textContent()).resolves.toMatch(/stand-in/i);
      imageId = await showImage(page, middle.sopInstanceUid);

      const box = middle.boundingBox!;
      // Pixel corners of the tight box: the inclusive bounds' outer edges.
      await drawBox(page, pixelToPatient(groundTruth, middle, box.xMin, box.yMin), pixelToPatient(groundTruth, middle, box.xMax + 1, box.yMax + 1));
      await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });

      mask = await readLabelmapMask(page, imageId);
      expect(dice(mask, expectedMask)).toBeGreaterThanOrEqual(0.9);
    });

    test('panel shows the backend and the CT window used', async () => {
      const { page } = browser;
      await expect(page.locator('[data-testid="medsam-backend"]').getAttribute('data-backend')).resolves.toMatch(/^(webgpu|wasm)$/);
      await expect(page.locator('[data-testid="medsam-run-intensity"]').textContent()).resolves.toContain('W400/L40');
    });

    test('switching the CT preset encodes the image again', async () => {
      const { page } = browser;
      await page.locator('[data-testid="medsam-preset"]').click();
      await page.locator('[data-testid="medsam-preset-lung"]').click();
      const intensity = page.locator('[data-testid="medsam-run-intensity"]', { hasText: 'W1500/L-160' });
      await intensity.waitFor({ timeout: 120_000 });
      const encoderMs = await page.locator('[data-testid="medsam-timing"]').getAttribute('data-encoder-ms');
      expect(Number(encoderMs)).toBeGreaterThan(0);

      await page.locator('[data-testid="medsam-preset"]').click();
      await page.locator('[data-testid="medsam-preset-soft-tissue"]').click();
      await page.locator('[data-testid="medsam-run-intensity"]', { hasText: 'W400/L40' }).waitFor({ timeout: 120_000 });
      mask = await readLabelmapMask(page, imageId);
    });

    test('segment label and searched type reach the SEG', async () => {
      const { page } = browser;
      await page.locator('[data-testid="medsam-segment-label"]').fill('Phantom lesion');
      await page.locator('[data-testid="medsam-type-search"]').fill('nodul');
      await page.locator('[data-testid="medsam-type-option-27925004"]').click();
      await expect(page.locator('[data-testid="medsam-segment-type"]').getAttribute('data-code')).resolves.toBe('27925004');
    });

    test('save stores a SEG whose frame matches the mask', async () => {
      const { page } = browser;
      await page.locator('[data-testid="medsam-save"]').click();
      const status = page.locator('[data-testid="medsam-save-status"][data-phase="saved"]');
      await status.waitFor({ timeout: 120_000 });
      segSopInstanceUid = (await status.getAttribute('data-sop-instance-uid')) ?? '';

      const file = await downloadInstance(services.orthancUrl, segSopInstanceUid);
      const seg = readSegmentation(file);
      expect(seg.segments.map(segment => [segment.label, segment.type?.value])).toEqual([['Phantom lesion', '27925004']]);
      const frame = seg.frames.find(candidate => candidate.referencedSopInstanceUid === middle.sopInstanceUid);
      expect(frame?.imagePositionPatient).toEqual(middle.imagePositionPatient);
      expect(Array.from(frame?.mask ?? [])).toEqual(Array.from(mask));
    });

    test('stored SEG passes dciodvfy', async () => {
      const file = await downloadInstance(services.orthancUrl, segSopInstanceUid);
      expect(dciodvfyErrors(file)).toEqual([]);
    });

    test('reopened study lists the SEG and overlays it on its slice', async () => {
      const { page } = browser;
      await openStudyInMedsamMode(page, services.viewerUrl, groundTruth.studyInstanceUid);
      const segSeries = page.getByText('MedSAM segmentation').first();
      await segSeries.waitFor({ timeout: 60_000 });
      await segSeries.dblclick();
      await page.waitForFunction(
        () => {
          const w = window as unknown as { cornerstoneTools: { segmentation: { state: { getSegmentations(): unknown[] } } } };
          return w.cornerstoneTools.segmentation.state.getSegmentations().length > 0;
        },
        undefined,
        { timeout: 60_000 }
      );
      const overlay = await readLabelmapMask(page, imageId);
      expect(dice(overlay, mask)).toBe(1);
    });
  });

  describe('on a real CT series', () => {
    const imageDir = path.join(services.dataDir, 'ct-liver-3slice-dcmqi', 'image');
    const files = readdirSync(imageDir).map(name => path.join(imageDir, name));

    test('box gives a mask and the SEG references the shown instance', async () => {
      const { page } = browser;
      await uploadFiles(services.orthancUrl, files);
      const datasets = files.map(file => {
        const bytes = readFileSync(file);
        return readPart10(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).dataset;
      });
      const studyUid = String(datasets[0]!.StudyInstanceUID);
      const sopUids = datasets.map(dataset => String(dataset.SOPInstanceUID));

      await openStudyInMedsamMode(page, services.viewerUrl, studyUid);
      const shownSop = sopUids[1]!;
      const imageId = await showImage(page, shownSop);
      const corners = await page.evaluate(id => {
        const w = window as unknown as {
          cornerstone: { metaData: { get(t: string, id: string): { imagePositionPatient: Point3; rowPixelSpacing: number; columnPixelSpacing: number } } };
        };
        const plane = w.cornerstone.metaData.get('imagePlaneModule', id);
        const at = (x: number, y: number): Point3 => [
          plane.imagePositionPatient[0] + x * plane.columnPixelSpacing,
          plane.imagePositionPatient[1] + y * plane.rowPixelSpacing,
          plane.imagePositionPatient[2],
        ];
        // The liver lies in the left half of the image (patient right), rows 150 to 350.
        return [at(60, 150), at(250, 350)];
      }, imageId);
      await drawBox(page, corners[0]!, corners[1]!);
      await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
      const mask = await readLabelmapMask(page, imageId);
      expect(mask.reduce((sum, value) => sum + value, 0)).toBeGreaterThan(1000);

      await page.locator('[data-testid="medsam-save"]').click();
      const status = page.locator('[data-testid="medsam-save-status"][data-phase="saved"]');
      await status.waitFor({ timeout: 120_000 });
      const seg = readSegmentation(await downloadInstance(services.orthancUrl, (await status.getAttribute('data-sop-instance-uid')) ?? ''));
      expect(seg.frames.map(frame => frame.referencedSopInstanceUid)).toEqual([shownSop]);
    });
  });

  // Declared last so that it runs after every step above.
  describe('network', () => {
    test('no request left loopback', () => {
      expect(browser.requests.length).toBeGreaterThan(100);
      expect(() => assertOnlyLoopbackRequests(browser.requests)).not.toThrow();
    });
  });
});
