/**
 * Range pipeline benchmark (`npm run bench:range`), run inside a private
 * network namespace by scripts/bench-range.mjs. It serves the viewer with
 * the MedSAM extension on a real Orthanc holding a 48-slice phantom, and
 * drives headless Chromium. Five key boxes span 40 slices; each runs alone
 * when drawn, which gives the encoder time alone. "Segment range" then runs
 * the 40 slices: pixel retrieval through the host's image loader,
 * pre-processing, encoder and decoder. The figure is the pipeline
 * efficiency: the encoder time alone times the slices that needed encoding,
 * divided by the wall time of the range.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createPhantomSeries } from '../src/phantom';
import { launchBrowser } from '../tests/helpers/launchBrowser';
import { uploadFiles } from '../tests/e2e/helpers/orthanc';
import { drawPixelBox } from '../tests/e2e/helpers/drawPixelBox';
import { openStudyInMedsamMode, showImage } from '../tests/e2e/helpers/viewerPage';
import { segmentRange, waitForKeyBoxes } from '../tests/e2e/helpers/rangePage';
import { summarize } from './benchStats';

/** Slice indices of the key boxes: 40 slices from the first to the last, a key box every 9 to 10 slices. */
const KEY_SLICES = [4, 14, 24, 33, 43];

export interface RangeBenchOptions {
  orthancUrl: string;
  model: string;
}

export async function runRangeBench(options: RangeBenchOptions & { viewerUrl: string }): Promise<void> {
  const series = createPhantomSeries({});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medsam-bench-range-'));
  const browser = await launchBrowser();
  try {
    const files = series.instances.map(instance => {
      const file = path.join(dir, `${instance.sopInstanceUid}.dcm`);
      writeFileSync(file, Buffer.from(instance.file));
      return file;
    });
    await uploadFiles(options.orthancUrl, files);

    const { page } = browser;
    await openStudyInMedsamMode(page, options.viewerUrl, series.studyInstanceUid);
    // The pre-processing policy must not change between the runs alone and the range.
    await page.locator('[data-testid="medsam-statistics"][data-phase="complete"]').waitFor({ timeout: 180_000 });

    const imageIds = await page.evaluate(() => {
      const w = window as unknown as { cornerstone: { getRenderingEngines(): { getViewports(): { getImageIds(): string[] }[] }[] } };
      return w.cornerstone.getRenderingEngines()[0]!.getViewports()[0]!.getImageIds();
    });
    const aloneMs: number[] = [];
    for (const [count, sliceIndex] of KEY_SLICES.entries()) {
      const sopInstanceUid = await page.evaluate(
        id => (window as unknown as { cornerstone: { metaData: { get(t: string, id: string): { SOPInstanceUID: string } } } }).cornerstone.metaData.get('instance', id).SOPInstanceUID,
        imageIds[sliceIndex]!
      );
      const imageId = await showImage(page, sopInstanceUid);
      await drawPixelBox(page, imageId, { x0: 180, y0: 170, x1: 330, y1: 320 });
      await waitForKeyBoxes(page, count + 1);
      aloneMs.push(Number(await page.locator('[data-testid="medsam-timing"]').getAttribute('data-encoder-ms')));
    }

    // 35 ViT-B encodings on WASM take about 15 minutes on 2 cores.
    const result = await segmentRange(page, { timeoutMs: 60 * 60_000 });
    const progress = page.locator('[data-testid="medsam-range-progress"][data-phase="done"]');
    const wallMs = Number(await progress.getAttribute('data-elapsed-ms'));
    const readTimes = (attribute: string) =>
      page
        .locator('[data-testid="medsam-range-slice"]')
        .evaluateAll(
          (rows, name) => rows.map(row => row.getAttribute(name) ?? '').filter(value => value !== '').map(Number),
          attribute
        );
    const inRunMs = await readTimes('data-encoder-ms');
    const decoderMs = await readTimes('data-decoder-ms');
    const backend = await page.locator('[data-testid="medsam-backend"]').textContent();

    const alone = summarize(aloneMs);
    const expectedMs = alone.median * inRunMs.length;
    const out = process.stdout;
    out.write(
      `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ` +
        `Chromium ${browser.browser.version()}, model ${options.model}, ${backend}\n`
    );
    out.write(`load average ${os.loadavg().map(value => value.toFixed(2)).join(' ')}\n`);
    out.write(`range: ${result.done} of ${result.total} slices, ${inRunMs.length} encoded in the run, cancelled ${result.cancelled}\n`);
    out.write(`encoder alone (the ${aloneMs.length} key boxes): median ${alone.median.toFixed(0)} ms, min ${alone.min.toFixed(0)}, max ${alone.max.toFixed(0)}\n`);
    out.write(`encoder in the run: median ${summarize(inRunMs).median.toFixed(0)} ms, sum ${inRunMs.reduce((a, b) => a + b, 0).toFixed(0)} ms\n`);
    const decoderSum = decoderMs.reduce((a, b) => a + b, 0);
    const busyMs = inRunMs.reduce((a, b) => a + b, 0) + decoderSum;
    out.write(`decoder in the run: median ${summarize(decoderMs).median.toFixed(0)} ms, p95 ${summarize(decoderMs).p95.toFixed(0)} ms, sum ${decoderSum.toFixed(0)} ms\n`);
    out.write(`wall time of the range: ${wallMs.toFixed(0)} ms\n`);
    out.write(`pipeline efficiency (encoder alone x slices encoded / wall time): ${(expectedMs / wallMs).toFixed(3)}\n`);
    // The worker runs the decoder between encodings, so this is the share of the wall time the model itself took.
    out.write(`worker busy share ((encoder + decoder in the run) / wall time): ${(busyMs / wallMs).toFixed(3)}\n`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

