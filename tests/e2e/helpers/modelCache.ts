/**
 * Page-side steps for the model delivery tests: open the MedSAM mode and wait
 * for the model to load or fail, and read or damage the model files that the
 * worker keeps in Cache Storage (`MODEL_CACHE_NAME` in
 * src/inference/fetchModelFile.ts).
 */
import type { Page } from 'playwright-core';

import { MODEL_CACHE_NAME } from '../../../src/inference/fetchModelFile';

const MODEL_LOAD_TIMEOUT_MS = 120_000;

/** The panel's model status once loading has ended. */
export interface ModelStatus {
  phase: 'ready' | 'error';
  /** The status text: the model name and backend, or the error message. */
  text: string;
}

/**
 * Opens a study in the MedSAM mode and waits until the panel shows the model
 * as ready or failed. The viewer server must have the investigational-use
 * notice turned off.
 */
export async function openMedsamMode(page: Page, viewerUrl: string, studyUid: string): Promise<ModelStatus> {
  await page.goto(`${viewerUrl}/medsam?StudyInstanceUIDs=${studyUid}`);
  const status = page
    .locator('[data-testid="medsam-model-status"][data-phase="ready"], [data-testid="medsam-model-status"][data-phase="error"]')
    .first();
  await status.waitFor({ timeout: MODEL_LOAD_TIMEOUT_MS });
  const phase = (await status.getAttribute('data-phase')) as ModelStatus['phase'];
  return { phase, text: (await status.textContent()) ?? '' };
}

/** Waits until the first viewport shows an image. */
export async function waitForShownImage(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      type Viewport = { getCurrentImageId?(): string };
      const cornerstone = (window as unknown as { cornerstone?: { getRenderingEngines?(): { getViewports(): Viewport[] }[] } }).cornerstone;
      const viewport = cornerstone?.getRenderingEngines?.()[0]?.getViewports()[0];
      return Boolean(viewport?.getCurrentImageId?.());
    },
    undefined,
    { timeout: MODEL_LOAD_TIMEOUT_MS }
  );
}

/** One entry of the model cache, with the hash its key names and the hash of its body. */
export interface CachedModelFile {
  /** Cache key: the file URL with `?sha256=<expected hash>`. */
  key: string;
  /** File name below the model folder. */
  file: string;
  keySha256: string;
  bodySha256: string;
  bodyBytes: number;
}

/** Lists the model cache of the page's origin and hashes every body. */
export async function listModelCache(page: Page): Promise<CachedModelFile[]> {
  return page.evaluate(async cacheName => {
    const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), byte => byte.toString(16).padStart(2, '0')).join('');
    const cache = await caches.open(cacheName);
    const entries = [];
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const body = response ? await response.arrayBuffer() : new ArrayBuffer(0);
      const url = new URL(request.url);
      entries.push({
        key: request.url,
        file: url.pathname.split('/').pop() ?? '',
        keySha256: url.searchParams.get('sha256') ?? '',
        bodySha256: hex(await crypto.subtle.digest('SHA-256', body)),
        bodyBytes: body.byteLength,
      });
    }
    return entries;
  }, MODEL_CACHE_NAME);
}

export type CacheDamage = 'flipped bytes' | 'truncated';

/**
 * Replaces the cached body of `file` with a damaged copy under the same key:
 * 16 bytes in the middle inverted (same size), or the first half only.
 * Throws when the file is not cached.
 */
export async function damageCachedModelFile(page: Page, file: string, damage: CacheDamage): Promise<void> {
  await page.evaluate(
    async ({ cacheName, file, damage }) => {
      const cache = await caches.open(cacheName);
      const requests = await cache.keys();
      const request = requests.find(candidate => new URL(candidate.url).pathname.endsWith(`/${file}`));
      const response = request && (await cache.match(request));
      if (!request || !response) {
        throw new Error(`${file} is not in Cache Storage ${cacheName}; cached: ${requests.map(r => r.url).join(', ')}`);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      let damaged: Uint8Array<ArrayBuffer>;
      if (damage === 'truncated') {
        damaged = bytes.slice(0, Math.floor(bytes.byteLength / 2));
      } else {
        damaged = bytes.slice();
        const start = Math.floor(damaged.byteLength / 2);
        for (let i = start; i < Math.min(start + 16, damaged.byteLength); i++) {
          damaged[i] = damaged[i]! ^ 0xff;
        }
      }
      await cache.put(request, new Response(damaged, { headers: { 'Content-Type': 'application/octet-stream' } }));
    },
    { cacheName: MODEL_CACHE_NAME, file, damage }
  );
}
