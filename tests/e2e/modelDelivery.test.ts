/**
 * Model delivery in the real viewer (headless Chromium). The worker downloads
 * each model file once and keeps it in Cache Storage. It rejects corrupt or
 * truncated files with an error in the panel and caches nothing invalid, and
 * it replaces a damaged cached copy. The last test runs the tiny
 * random-weights model that `npm run model:import` exports.
 *
 * Every scenario gets its own viewer server (a new origin, so a fresh Cache
 * Storage) started from scripts/serve.mjs with its own model folders. Bytes
 * are counted twice: in the browser from Chromium's response body sizes, and
 * on the server from its request log.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ModelFileEntry, ModelManifest } from '../../src/model/ModelManifest';
import { selectEncoder } from '../../src/model/parseModelManifest';
import { launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { damageCachedModelFile, listModelCache, openMedsamMode, waitForShownImage, type CacheDamage, type ModelStatus } from './helpers/modelCache';
import { recordModelTransfers, type ModelFileTransfer, type ModelTransferRecorder } from './helpers/recordModelTransfers';
import { countServedModelBytes, listRequestsBetween, startModelServer, type ModelServer } from './helpers/startModelServer';
import { largestLesionSlice, pixelToPatient, readPhantomGroundTruth } from './helpers/phantomGroundTruth';
import { overrideMedsamConfig } from './helpers/overrideMedsamConfig';
import { drawBox, showImage } from './helpers/viewerPage';

jest.setTimeout(240_000);


const services = getTestServices();
const groundTruth = readPhantomGroundTruth(services.phantomDir);
const studyUid = groundTruth.studyInstanceUid;
const dicomwebUrl = `${services.orthancUrl}/dicom-web`;
const standinDir = path.join(services.modelsDir, 'standin');
const tinyDir = path.join(services.modelsDir, 'tiny');

function readManifest(dir: string): ModelManifest {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
}

/** Formats the model status as "phase: text", so that a failed check shows the panel's message. */
function describeStatus(status: ModelStatus): string {
  return `${status.phase}: ${status.text}`;
}

/** Maps file name to bytes, so that a wrong size names the file in the diff. */
function bytesByFile(entries: { file: string; bytes: number }[]): Record<string, number> {
  return Object.fromEntries(entries.map(({ file, bytes }) => [file, bytes]));
}

function transferredBytesByFile(transfers: ModelFileTransfer[]): Record<string, number> {
  return bytesByFile(transfers.map(transfer => ({ file: transfer.file, bytes: transfer.bodyBytes })));
}

/** Reads the encoder precision from the panel's backend line, e.g. "WASM, 1 thread(s), fp32 encoder". */
async function readEncoderPrecision(browser: LaunchedBrowser): Promise<string> {
  const text = (await browser.page.locator('[data-testid="medsam-backend"]').textContent()) ?? '';
  return /(\w+) encoder/.exec(text)?.[1] ?? `(no precision in "${text}")`;
}

/**
 * Lists the files a load fetches: the decoder, the encoder of the backend in
 * use, and also the WebGPU encoder when WebGPU was tried and its session failed.
 */
async function expectedDownloads(browser: LaunchedBrowser, manifest: ModelManifest): Promise<ModelFileEntry[]> {
  const precision = await readEncoderPrecision(browser);
  const encoder = manifest.encoders.find(entry => entry.precision === precision);
  const files = encoder ? [manifest.decoder, encoder] : [manifest.decoder];
  const fallback = (await browser.page.locator('[data-testid="medsam-fallback"]').count())
    ? await browser.page.locator('[data-testid="medsam-fallback"]').textContent()
    : '';
  const webgpuShaderF16 = await browser.page.evaluate(async () => {
    const adapter = await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu?.requestAdapter();
    return adapter?.features.has('shader-f16') ?? false;
  });
  const webGpuEncoder = selectEncoder(manifest, 'webgpu', { webgpuShaderF16 });
  if (fallback?.includes('WebGPU session failed') && !files.includes(webGpuEncoder)) {
    files.push(webGpuEncoder);
  }
  return files;
}

/** Copies a model folder with `encoderBytes` as its encoder.onnx and the original manifest. */
function writeModelWithEncoder(sourceDir: string, targetDir: string, encoderBytes: Uint8Array): void {
  mkdirSync(targetDir, { recursive: true });
  for (const file of ['manifest.json', 'decoder.onnx']) {
    copyFileSync(path.join(sourceDir, file), path.join(targetDir, file));
  }
  writeFileSync(path.join(targetDir, 'encoder.onnx'), encoderBytes);
}

describe('model delivery in the browser', () => {
  let browser: LaunchedBrowser;
  let recorder: ModelTransferRecorder;
  let workDir = '';
  let tinyServer: ModelServer;
  const tinyManifest = readManifest(tinyDir);

  /** Opens the MedSAM mode on `server` and returns what crossed the network while it loaded. */
  async function visit(server: ModelServer) {
    recorder.clear();
    const statsBefore = await server.fetchStats();
    const status = await openMedsamMode(browser.page, server.url, studyUid);
    const transfers = await recorder.settle();
    const requests = listRequestsBetween(statsBefore, await server.fetchStats());
    const servedBytes = countServedModelBytes(requests, server.modelDirs);
    const manifestPaths = requests.filter(entry => entry.path.endsWith('/manifest.json')).map(entry => entry.path);
    return { status, transfers, servedBytes, manifestPaths };
  }

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'medsam-delivery-'));
    browser = await launchBrowser();
    recorder = recordModelTransfers(browser.context);
    tinyServer = await startModelServer({ modelDirs: { tiny: tinyDir }, modelBaseUrl: '/medsam/models/tiny/', dicomwebUrl });
  });

  afterAll(async () => {
    recorder?.stop();
    await tinyServer?.close();
    await browser?.close();
    if (workDir) {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  afterEach(() => {
    if (expect.getState().assertionCalls === 0) {
      process.stdout.write(`${browser.consoleMessages.slice(-60).join('\n')}\n`);
    }
  });

  describe('Cache Storage', () => {
    let firstVisitFiles: string[] = [];

    test('first visit downloads each file once', async () => {
      const { status, transfers, servedBytes, manifestPaths } = await visit(tinyServer);
      // The manifest comes from window.config.medsam.modelBaseUrl, not the stand-in default.
      expect(manifestPaths).toEqual(['/medsam/models/tiny/manifest.json']);
      expect(describeStatus(status)).toMatch(/^ready: /);

      const expected = await expectedDownloads(browser, tinyManifest);
      const expectedBytes = bytesByFile(expected.map(entry => ({ file: entry.path, bytes: entry.bytes })));
      const expectedTotal = expected.reduce((sum, entry) => sum + entry.bytes, 0);
      firstVisitFiles = Object.keys(expectedBytes).sort();

      expect(transfers.map(transfer => transfer.file).sort()).toEqual(firstVisitFiles);
      expect(transferredBytesByFile(transfers)).toEqual(expectedBytes);
      expect(servedBytes).toBe(expectedTotal);
    });

    test('verified files are cached under their hash', async () => {
      const cached = await listModelCache(browser.page);
      expect(cached.map(entry => entry.file).sort()).toEqual(firstVisitFiles);
      for (const entry of cached) {
        expect(`${entry.file} ${entry.bodySha256}`).toBe(`${entry.file} ${entry.keySha256}`);
      }
    });

    test('second visit downloads no model file', async () => {
      const { status, transfers, servedBytes } = await visit(tinyServer);
      expect(describeStatus(status)).toMatch(/^ready: /);
      expect(transfers).toEqual([]);
      expect(servedBytes).toBe(0);
    });
  });

  describe('broken encoder.onnx on the server', () => {
    const standinManifest = readManifest(standinDir);
    const goodEncoder = readFileSync(path.join(standinDir, 'encoder.onnx'));
    const flipped = Uint8Array.from(goodEncoder);
    for (let i = 0; i < 16; i++) {
      flipped[Math.floor(flipped.length / 2) + i]! ^= 0xff;
    }
    const truncated = Uint8Array.from(goodEncoder.subarray(0, Math.floor(goodEncoder.length / 2)));
    const cases = [
      { name: 'corrupt', encoder: flipped },
      { name: 'truncated', encoder: truncated },
    ];
    const servers = new Map<string, ModelServer>();
    const encoderEntry = standinManifest.encoders.find(entry => entry.path === 'encoder.onnx')!;

    beforeAll(async () => {
      for (const { name, encoder } of cases) {
        const dir = path.join(workDir, name);
        writeModelWithEncoder(standinDir, dir, encoder);
        servers.set(name, await startModelServer({ modelDirs: { [name]: dir }, modelBaseUrl: `/medsam/models/${name}/`, dicomwebUrl }));
      }
    });

    afterAll(async () => {
      for (const server of servers.values()) {
        await server.close();
      }
    });

    describe.each(cases)('$name file', ({ name, encoder }) => {
      let message = '';

      test('panel shows the integrity error', async () => {
        const { status, transfers } = await visit(servers.get(name)!);
        expect(describeStatus(status)).toMatch(/^error: /);
        expect(transfers.filter(transfer => transfer.file === 'encoder.onnx').map(transfer => transfer.bodyBytes)).toEqual([encoder.length]);

        message = status.text;
        expect(message).toContain('/encoder.onnx');
        expect(message).toContain('corrupt or truncated');
        expect(message).toContain(`${encoder.length} of ${encoderEntry.bytes} bytes`);
      });

      test('error says what to do', () => {
        expect(message).toMatch(/re-copy the file .* and reload/i);
      });

      test('nothing invalid stays cached', async () => {
        const cached = await listModelCache(browser.page);
        expect(cached.map(entry => entry.file)).not.toContain('encoder.onnx');
        for (const entry of cached) {
          expect(`${entry.file} ${entry.bodySha256}`).toBe(`${entry.file} ${entry.keySha256}`);
        }
      });
    });
  });

  describe('damaged cached copy', () => {
    let server: ModelServer;

    beforeAll(async () => {
      server = await startModelServer({ modelDirs: { tiny: tinyDir }, modelBaseUrl: '/medsam/models/tiny/', dicomwebUrl });
    });

    afterAll(async () => {
      await server?.close();
    });

    test.each<CacheDamage>(['flipped bytes', 'truncated'])('with %s is downloaded again', async damage => {
      expect(describeStatus((await visit(server)).status)).toMatch(/^ready: /);
      // The encoder that the backend in use loads: fp16 on WebGPU with shader-f16, else fp32.
      const precision = await readEncoderPrecision(browser);
      const encoderEntry = tinyManifest.encoders.find(entry => entry.precision === precision);
      expect(encoderEntry?.precision).toBe(precision);
      const file = encoderEntry!.path;

      await damageCachedModelFile(browser.page, file, damage);
      const damaged = (await listModelCache(browser.page)).find(entry => entry.file === file);
      expect(damaged?.bodySha256).not.toBe(encoderEntry!.sha256);

      const { status, transfers, servedBytes } = await visit(server);
      expect(describeStatus(status)).toMatch(/^ready: /);
      expect(transferredBytesByFile(transfers)).toEqual({ [file]: encoderEntry!.bytes });
      expect(servedBytes).toBe(encoderEntry!.bytes);

      const cached = (await listModelCache(browser.page)).filter(entry => entry.file === file);
      expect(cached.map(entry => entry.bodySha256)).toEqual([encoderEntry!.sha256]);
    });
  });

  describe('tiny model from model:import', () => {
    const middle = largestLesionSlice(groundTruth);

    test('box runs and gives a mask', async () => {
      const { page } = browser;
      expect(describeStatus(await openMedsamMode(page, tinyServer.url, studyUid))).toMatch(/^ready: /);
      await waitForShownImage(page);

      const modelName = (await page.locator('[data-testid="medsam-model-name"]').textContent()) ?? '';
      expect(modelName).toMatch(/stand-in/i);
      expect(modelName).toMatch(/seeded random weights/i);
      await expect(page.locator('[data-testid="medsam-backend"]').getAttribute('data-backend')).resolves.toMatch(/^(webgpu|wasm)$/);

      await showImage(page, middle.sopInstanceUid);
      const box = middle.boundingBox!;
      await drawBox(page, pixelToPatient(groundTruth, middle, box.xMin - 4, box.yMin - 4), pixelToPatient(groundTruth, middle, box.xMax + 5, box.yMax + 5));
      const run = page.locator('[data-testid="medsam-run"][data-phase="done"], [data-testid="medsam-run"][data-phase="error"]').first();
      await run.waitFor({ timeout: 120_000 });
      expect(`${await run.getAttribute('data-phase')}: ${await run.textContent()}`).toMatch(/^done: /);

      const maskPixels = (await run.getAttribute('data-mask-pixels')) ?? '(missing)';
      expect(maskPixels).toMatch(/^\d+$/);
      expect(Number(maskPixels)).toBeGreaterThanOrEqual(0);
    });

    test('panel names the WebGPU encoder precision', async () => {
      const { page } = browser;
      // The deployed default, WebGPU first. The numbers of this path are checked in webgpuPath.test.ts.
      await overrideMedsamConfig(page, { backend: 'auto' });
      try {
        expect(describeStatus(await openMedsamMode(page, tinyServer.url, studyUid))).toMatch(/^ready: /);
        const shaderF16 = await page.evaluate(async () => {
          const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu;
          return (await gpu?.requestAdapter())?.features.has('shader-f16') ?? false;
        });
        const backend = page.locator('[data-testid="medsam-backend"]');
        const note = page.locator('[data-testid="medsam-encoder-note"]');

        await expect(backend.getAttribute('data-backend')).resolves.toBe('webgpu');
        await expect(backend.textContent()).resolves.toBe(`WebGPU, ${shaderF16 ? 'fp16' : 'fp32'} encoder`);
        await expect(note.count()).resolves.toBe(shaderF16 ? 0 : 1);
        if (!shaderF16) {
          await expect(note.textContent()).resolves.toMatch(/lacks the shader-f16 feature, so the fp32 encoder runs/);
        }
      } finally {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
      }
    });

    test('int8 encoder runs on WASM when configured', async () => {
      const { page } = browser;
      await overrideMedsamConfig(page, { backend: 'wasm', wasmEncoderPrecision: 'int8' });
      try {
        expect(describeStatus(await openMedsamMode(page, tinyServer.url, studyUid))).toMatch(/^ready: /);
        await expect(page.locator('[data-testid="medsam-backend"]').textContent()).resolves.toMatch(/^WASM, \d+ thread\(s\), int8 encoder$/);

        await waitForShownImage(page);
        await showImage(page, middle.sopInstanceUid);
        const box = middle.boundingBox!;
        await drawBox(page, pixelToPatient(groundTruth, middle, box.xMin, box.yMin), pixelToPatient(groundTruth, middle, box.xMax + 1, box.yMax + 1));
        const run = page.locator('[data-testid="medsam-run"][data-phase="done"], [data-testid="medsam-run"][data-phase="error"]').first();
        await run.waitFor({ timeout: 120_000 });
        expect(`${await run.getAttribute('data-phase')}: ${await run.textContent()}`).toMatch(/^done: /);
      } finally {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
      }
    });
  });
});
