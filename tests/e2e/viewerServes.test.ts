/**
 * Smoke test of the services that npm test starts: the viewer server serves
 * the OHIF Viewer cross-origin isolated, proxies QIDO-RS to Orthanc, and the
 * page makes no request to a host other than loopback.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import {
  assertOnlyLoopbackRequests,
  findNonLoopbackRequests,
  launchBrowser,
  type LaunchedBrowser,
} from '../helpers/launchBrowser';
import { fetchServerStats, getTestServices } from '../helpers/services';

jest.setTimeout(180_000);

const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
}
type DicomJsonDataset = Record<string, DicomJsonAttribute>;

function firstString(dataset: DicomJsonDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : '';
}

/** Formats a DICOM JSON person name the way the OHIF study list shows it: "FAMILY, GIVEN". */
function formatPersonName(dataset: DicomJsonDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0] as { Alphabetic?: string } | undefined;
  return (value?.Alphabetic ?? '').split('^').filter(Boolean).join(', ');
}

describe('viewer server', () => {
  const services = getTestServices();
  let launched: LaunchedBrowser | undefined;

  afterAll(async () => {
    await launched?.close();
  });

  test.each(['/', '/app-config.js', '/medsam?StudyInstanceUIDs=1.2.3', '/dicom-web/studies'])(
    'sends isolation headers on %s',
    async (pathAndQuery) => {
      const response = await fetch(`${services.viewerUrl}${pathAndQuery}`);
      expect(response.status).toBe(200);
      for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
        expect(`${name}: ${response.headers.get(name)}`).toBe(`${name}: ${value}`);
      }
    },
  );

  test('proxies QIDO-RS to Orthanc', async () => {
    const response = await fetch(`${services.viewerUrl}/dicom-web/studies`, {
      headers: { Accept: 'application/dicom+json' },
    });
    expect(response.status).toBe(200);
    const studies = (await response.json()) as DicomJsonDataset[];
    const uids = studies.map((study) => firstString(study, '0020000D'));
    expect(services.phantomStudyUid).not.toBe('');
    expect(uids).toContain(services.phantomStudyUid);
  });

  test('proxies STOW-RS to Orthanc', async () => {
    // Storing a phantom instance again leaves Orthanc's content unchanged, so
    // other tests that share this Orthanc see the same studies.
    const file = await readFile(path.join(services.phantomDir, 'CT0001.dcm'));
    const boundary = `medsam-${Date.now()}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const statsBefore = await fetchServerStats(services);

    const response = await fetch(`${services.viewerUrl}/dicom-web/studies`, {
      method: 'POST',
      headers: {
        Accept: 'application/dicom+json',
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const reply = (await response.json()) as DicomJsonDataset;
    // Referenced SOP Sequence (0008,1199) lists the stored instances.
    expect(reply['00081199']?.Value?.length).toBe(1);

    const statsAfter = await fetchServerStats(services);
    const stowRequests = (statsAfter.byMethodAndPrefix['POST /dicom-web'] ?? 0) - (statsBefore.byMethodAndPrefix['POST /dicom-web'] ?? 0);
    expect(stowRequests).toBeGreaterThanOrEqual(1);
  });

  test('study list shows phantom study', async () => {
    const qido = await fetch(
      `${services.orthancUrl}/dicom-web/studies?StudyInstanceUID=${services.phantomStudyUid}`,
    );
    expect(qido.status).toBe(200);
    const [study] = (await qido.json()) as DicomJsonDataset[];
    expect(study).toBeDefined();
    const patientName = formatPersonName(study ?? {}, '00100010');
    expect(patientName).not.toBe('');

    const statsBefore = await fetchServerStats(services);
    launched = await launchBrowser();
    const { page } = launched;
    await page.goto(`${services.viewerUrl}/`, { waitUntil: 'load' });

    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);

    try {
      await page.getByText(patientName, { exact: true }).first().waitFor({ state: 'visible', timeout: 120_000 });
    } catch (error) {
      throw new Error(
        `The study list never showed patient name "${patientName}": ${(error as Error).message}\n` +
          `Browser console:\n${launched.consoleMessages.slice(-40).join('\n')}`,
      );
    }

    const statsAfter = await fetchServerStats(services);
    const qidoRequests = (statsAfter.byMethodAndPrefix['GET /dicom-web'] ?? 0) - (statsBefore.byMethodAndPrefix['GET /dicom-web'] ?? 0);
    expect(qidoRequests).toBeGreaterThan(0);
    expect(statsAfter.proxyErrors).toBe(statsBefore.proxyErrors);
  });

  test('records dedicated worker requests', async () => {
    expect(launched).toBeDefined();
    const { page, requests } = launched as LaunchedBrowser;
    const workerUrl = `${services.viewerUrl}/__medsam/stats?from=worker`;
    // A blob: worker has no base URL for relative paths, so it gets the absolute URL.
    const reply = await page.evaluate(async (url) => {
      const source = `fetch(${JSON.stringify(url)}).then((r) => postMessage('HTTP ' + r.status), (e) => postMessage(String(e)));`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      const message = await new Promise<string>((resolve) => {
        worker.onmessage = (event) => resolve(String(event.data));
        setTimeout(() => resolve('no reply from the worker within 10 s'), 10_000);
      });
      worker.terminate();
      return message;
    }, workerUrl);
    expect(reply).toBe('HTTP 200');
    expect(requests.map((request) => request.url)).toContain(workerUrl);
  });

  test('page makes only loopback requests', () => {
    expect(launched).toBeDefined();
    const { requests } = launched as LaunchedBrowser;
    expect(requests.length).toBeGreaterThan(0);
    expect(findNonLoopbackRequests(requests).map((request) => request.url)).toEqual([]);
    expect(() => assertOnlyLoopbackRequests(requests)).not.toThrow();
  });
});
