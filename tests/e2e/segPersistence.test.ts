/**
 * A SEG is never lost between the browser and the archive. Each test makes
 * STOW-RS fail in one way: archive down, 413 from a proxy, 500, no response,
 * a lost response, a page reload before the archive confirmed, or a failing
 * IndexedDB. It then checks that the SEG ends confirmed in the real Orthanc
 * or listed as unsaved. Retry must store a listed SEG once the fault is gone,
 * and Download must give the same SEG.
 *
 * The viewer server of these tests proxies DICOMweb to a fault-injecting
 * front (helpers/startFaultyDicomweb.ts) that passes everything else to
 * Orthanc. STOW-RS attempts time out after 3 s here, not after the default
 * 300 s.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { readSegmentation } from '../../src/seg';
import { launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { countInstances, downloadInstance } from './helpers/orthanc';
import { largestLesionSlice, pixelToPatient, readPhantomGroundTruth } from './helpers/phantomGroundTruth';
import { startFaultyDicomweb, type FaultyDicomweb } from './helpers/startFaultyDicomweb';
import { startModelServer, type ModelServer } from './helpers/startModelServer';
import { drawBox, openStudyInMedsamMode, showImage } from './helpers/viewerPage';

jest.setTimeout(600_000);

const STOW_TIMEOUT_MS = 3000;
const services = getTestServices();
const groundTruth = readPhantomGroundTruth(services.phantomDir);
const lesionSlice = largestLesionSlice(groundTruth);

const entrySelector = (uid: string) => `[data-testid="medsam-unsaved-entry"][data-sop-instance-uid="${uid}"]`;

/** Opens the phantom, draws a box around the lesion and waits for the mask. */
async function segmentLesion(page: Page, viewerUrl: string): Promise<void> {
  await openStudyInMedsamMode(page, viewerUrl, groundTruth.studyInstanceUid);
  await showImage(page, lesionSlice.sopInstanceUid);
  const box = lesionSlice.boundingBox!;
  await drawBox(
    page,
    pixelToPatient(groundTruth, lesionSlice, box.xMin, box.yMin),
    pixelToPatient(groundTruth, lesionSlice, box.xMax + 1, box.yMax + 1),
  );
  await page.waitForSelector('[data-testid="medsam-run"][data-phase="done"]', { timeout: 120_000 });
}

async function listedUids(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="medsam-unsaved-entry"]')
    .evaluateAll(entries => entries.map(entry => entry.getAttribute('data-sop-instance-uid') ?? ''));
}

/** Clicks Save and waits until the SEG appears in the unsaved list; returns its SOP Instance UID. */
async function clickSaveAndFindEntry(page: Page): Promise<string> {
  const before = new Set(await listedUids(page));
  await page.locator('[data-testid="medsam-save"]').click();
  const handle = await page.waitForFunction(
    known => {
      const entries = [...document.querySelectorAll('[data-testid="medsam-unsaved-entry"]')];
      const added = entries.map(entry => entry.getAttribute('data-sop-instance-uid') ?? '').filter(uid => !known.includes(uid));
      return added.length > 0 ? added : null;
    },
    [...before],
    { timeout: 30_000 },
  );
  const added = (await handle.jsonValue()) as string[];
  if (added.length !== 1) {
    throw new Error(`Save added ${added.length} entries to the unsaved list, expected 1.`);
  }
  return added[0]!;
}

/** Clicks Save and waits for the failure; returns the SOP Instance UID and the message the panel shows. */
async function saveExpectingFailure(page: Page): Promise<{ uid: string; message: string }> {
  const uid = await clickSaveAndFindEntry(page);
  const status = page.locator('[data-testid="medsam-save-status"][data-phase="error"]');
  await status.waitFor({ timeout: 120_000 });
  return { uid, message: (await status.textContent()) ?? '' };
}

/** Clicks Retry on a listed SEG and waits until it leaves the list. */
async function retryUntilConfirmed(page: Page, uid: string): Promise<void> {
  await page.locator(`${entrySelector(uid)} [data-testid="medsam-unsaved-retry"]`).click();
  await page.locator(entrySelector(uid)).waitFor({ state: 'detached', timeout: 120_000 });
}

/** Clicks "Download .dcm" on a listed SEG; returns the file's name and bytes. */
async function downloadEntry(page: Page, uid: string): Promise<{ name: string; file: ArrayBuffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.locator(`${entrySelector(uid)} [data-testid="medsam-unsaved-download"]`).click(),
  ]);
  const bytes = await readFile((await download.path())!);
  return { name: download.suggestedFilename(), file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
}

describe('SEG persistence under STOW-RS faults', () => {
  let archive: FaultyDicomweb;
  let viewer: ModelServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    archive = await startFaultyDicomweb(services.orthancUrl);
    viewer = await startModelServer({
      modelDirs: { standin: path.join(services.modelsDir, 'standin') },
      modelBaseUrl: '/medsam/models/standin/',
      dicomwebUrl: archive.dicomwebUrl,
      medsam: { stowTimeoutMs: STOW_TIMEOUT_MS },
    });
    browser = await launchBrowser();
    await segmentLesion(browser.page, viewer.url);
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    await archive?.close();
  });

  /** Lets STOW-RS through again, retries the SEG and checks that Orthanc holds it once. */
  async function removeFaultAndRetry(page: Page, uid: string): Promise<void> {
    archive.setStowFault({ kind: 'none' });
    await retryUntilConfirmed(page, uid);
    await expect(countInstances(services.orthancUrl, uid)).resolves.toBe(1);
  }

  afterEach(() => {
    archive.setStowFault({ kind: 'none' });
    if (expect.getState().assertionCalls === 0) {
      process.stdout.write(browser.consoleMessages.slice(-60).join('\n'));
    }
  });

  test('archive down, then back', async () => {
    const { page } = browser;
    await archive.takeDown();
    const { uid, message } = await saveExpectingFailure(page);
    expect(message).toContain('Bad Gateway');
    expect(message).toContain('kept in this browser');
    await expect(countInstances(services.orthancUrl, uid)).resolves.toBe(0);

    await archive.bringUp();
    await retryUntilConfirmed(page, uid);
    const stored = readSegmentation(await downloadInstance(services.orthancUrl, uid));
    expect(stored.sopInstanceUid).toBe(uid);
  });

  test('413 names the limit and the download matches', async () => {
    const { page } = browser;
    archive.setStowFault({ kind: 'status', status: 413 });
    const { uid, message } = await saveExpectingFailure(page);
    expect(message).toContain('is larger than the archive or a proxy in front of it accepts (HTTP 413)');
    expect(message).toContain('client_max_body_size');
    await expect(page.locator(`${entrySelector(uid)} [data-testid="medsam-unsaved-error"]`).textContent()).resolves.toContain(
      'client_max_body_size',
    );

    const downloaded = await downloadEntry(page, uid);
    expect(downloaded.name).toMatch(/^MedSAM-SEG_Lesion_\d{8}-\d{6}_\d{6}\.dcm$/);
    const kept = readSegmentation(downloaded.file);
    expect(kept.sopInstanceUid).toBe(uid);

    archive.setStowFault({ kind: 'none' });
    await retryUntilConfirmed(page, uid);
    const stored = readSegmentation(await downloadInstance(services.orthancUrl, uid));
    expect(stored.frames.map(frame => frame.referencedSopInstanceUid)).toEqual(kept.frames.map(frame => frame.referencedSopInstanceUid));
    expect(stored.frames.map(frame => Array.from(frame.mask))).toEqual(kept.frames.map(frame => Array.from(frame.mask)));
  });

  test('500 is retried, then kept', async () => {
    const { page } = browser;
    archive.setStowFault({ kind: 'status', status: 500 });
    const before = archive.stowRequests();
    const { uid, message } = await saveExpectingFailure(page);
    expect(message).toContain('HTTP 500');
    // One attempt and fetchWithRetry's three retries.
    expect(archive.stowRequests() - before).toBe(4);
    await expect(countInstances(services.orthancUrl, uid)).resolves.toBe(0);

    await removeFaultAndRetry(page, uid);
  });

  test('hanging STOW times out and is kept', async () => {
    const { page } = browser;
    archive.setStowFault({ kind: 'hang' });
    const { uid, message } = await saveExpectingFailure(page);
    expect(message).toContain(`timed out after ${STOW_TIMEOUT_MS} ms`);
    await expect(countInstances(services.orthancUrl, uid)).resolves.toBe(0);
    await expect(page.locator(entrySelector(uid)).getAttribute('data-kept')).resolves.toBe('true');

    await removeFaultAndRetry(page, uid);
  });

  test('retry after a lost response stores no duplicate', async () => {
    const { page } = browser;
    archive.setStowFault({ kind: 'drop-response' });
    const { uid, message } = await saveExpectingFailure(page);
    expect(message).toContain(`timed out after ${STOW_TIMEOUT_MS} ms`);
    await expect(countInstances(services.orthancUrl, uid)).resolves.toBe(1);

    await removeFaultAndRetry(page, uid);
  });

  test('reload before confirmation keeps the SEG', async () => {
    const { page } = browser;
    archive.setStowFault({ kind: 'hang' });
    const uid = await clickSaveAndFindEntry(page);
    await expect(page.locator(entrySelector(uid)).getAttribute('data-storing')).resolves.toBe('true');

    await openStudyInMedsamMode(page, viewer.url, groundTruth.studyInstanceUid);
    const entry = page.locator(entrySelector(uid));
    await entry.waitFor({ timeout: 30_000 });
    await expect(entry.getAttribute('data-kept')).resolves.toBe('true');

    await removeFaultAndRetry(page, uid);
  });

  test('confirmed SEGs leave IndexedDB', async () => {
    const { page } = browser;
    const keys = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('medsam-unsaved-segs');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('unsaved-segs').objectStore('unsaved-segs').getAllKeys();
            request.onerror = () => reject(request.error);
            request.onsuccess = () => resolve(request.result.map(String));
          };
        }),
    );
    expect(keys).toEqual([]);
  });

  test('failed IndexedDB still offers the download', async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      await context.addInitScript(() => {
        const quotaExceeded = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
        Object.defineProperty(window, 'indexedDB', { configurable: true, value: { open: quotaExceeded } });
      });
      const page = await context.newPage();
      await segmentLesion(page, viewer.url);
      archive.setStowFault({ kind: 'status', status: 500 });
      const { uid, message } = await saveExpectingFailure(page);
      expect(message).toContain('could not keep the SEG');
      await expect(page.locator('[data-testid="medsam-storage-error"]').textContent()).resolves.toContain('QuotaExceededError');
      await expect(page.locator(entrySelector(uid)).getAttribute('data-kept')).resolves.toBe('false');

      const downloaded = await downloadEntry(page, uid);
      expect(readSegmentation(downloaded.file).sopInstanceUid).toBe(uid);

      archive.setStowFault({ kind: 'none' });
      await retryUntilConfirmed(page, uid);
      await expect(countInstances(services.orthancUrl, uid)).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });
});
