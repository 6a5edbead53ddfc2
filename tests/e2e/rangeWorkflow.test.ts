/**
 * The key-box range workflow end to end, in the real OHIF viewer (headless
 * Chromium) against the real Orthanc. The tests draw five MedSAM boxes on
 * slices 5 to 6 apart and click "Segment range". They then check the 3D
 * mask, the panel's measurements, the saved SEG, the review, undo and
 * cancel.
 *
 * The model is the inscribed-ellipse stand-in, so each slice's mask is the
 * ellipse inscribed in its interpolated box, and the volume that the boxes
 * imply is known exactly. The phantoms are generated here with exact ground
 * truth: in ascending storage order, stored top down, and with two slices
 * missing inside the lesion.
 */
import { computeSlabThicknessesMm, inscribedEllipseVolumeMl } from '../../src/measure';
import type { PhantomOptions, PhantomSeries } from '../../src/phantom';
import { readSegmentation } from '../../src/seg';
import { assertOnlyLoopbackRequests, launchBrowser, type LaunchedBrowser } from '../helpers/launchBrowser';
import { getTestServices } from '../helpers/services';
import { downloadInstance } from './helpers/orthanc';
import {
  readReviewBoxes,
  paintWithBrush,
  readSegmentSlices,
  segmentRange,
  uploadPhantom,
  waitForKeyBoxes,
  type SegmentSlice,
} from './helpers/rangePage';
import { drawBox, openStudyInMedsamMode, showImage, type Point3 } from './helpers/viewerPage';

jest.setTimeout(900_000);

const services = getTestServices();

/**
 * Grid indices (0 = lowest z) of the key slices. The default phantom's
 * lesion covers grid slices 12 to 35, so these are 5, 5, 6 and 5 slices
 * apart and leave one lesion slice outside the key range at each end.
 */
const KEY_GRID_INDICES = [13, 18, 23, 29, 34];
/** Grid slices left out of the gap phantom, between the second and third key slice. */
const GAP_GRID_INDICES = [20, 21];

function positionKey(position: readonly number[]): string {
  return position.map(value => value.toFixed(3)).join('\\');
}

/** Patient position (mm) of continuous pixel coordinates, (0, 0) at the first pixel's top-left corner, on an axial phantom slice. */
function pixelToPatient(series: PhantomSeries, position: readonly number[], x: number, y: number): Point3 {
  const [rowSpacing, columnSpacing] = series.pixelSpacingMm;
  return [position[0]! + (x - 0.5) * columnSpacing, position[1]! + (y - 0.5) * rowSpacing, position[2]!];
}

/** Dice of the labelmap slices against the ground truth, matching slices by ImagePositionPatient. */
function diceByPosition(series: PhantomSeries, slices: readonly SegmentSlice[]): number {
  const byPosition = new Map(slices.map(slice => [positionKey(slice.imagePositionPatient), slice]));
  let overlap = 0;
  let total = 0;
  for (const truth of series.groundTruth) {
    const found = byPosition.get(positionKey(truth.imagePositionPatient));
    const indices = found?.indices ?? [];
    total += truth.voxelCount + indices.length;
    for (const index of indices) {
      overlap += truth.mask[index]!;
    }
  }
  return (2 * overlap) / total;
}

function maskPixelCount(slices: readonly SegmentSlice[]): number {
  return slices.reduce((sum, slice) => sum + slice.indices.length, 0);
}

describe('MedSAM range from key boxes', () => {
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls === 0) {
      process.stdout.write(browser.consoleMessages.slice(-60).join('\n'));
    }
  });

  describeRangeCase('ascending phantom', { seed: 'range-ascending' }, () => {
    const keyPositions = () =>
      currentSeries()
        .groundTruth.filter(slice => KEY_GRID_INDICES.includes(slice.gridIndex))
        .map(slice => slice.imagePositionPatient[2]);

    test('rejecting a slice clears only that slice', async () => {
      const { page } = browser;
      const review = await readReviewBoxes(page);
      const target = review.find(entry => entry.source === 'interpolated')!;
      const row = page.locator(`[data-testid="medsam-range-slice"][data-slice-index="${target.sliceIndex}"]`);
      const volumeBefore = Number(await page.locator('[data-testid="medsam-measurements"]').getAttribute('data-volume-ml'));
      await row.locator('[data-testid="medsam-range-reject"]').click();
      await page.locator(`[data-testid="medsam-range-slice"][data-slice-index="${target.sliceIndex}"][data-status="rejected"]`).waitFor();

      const slices = await readSegmentSlices(page, 1);
      const withMask = slices.filter(slice => slice.indices.length > 0).map(slice => slice.imagePositionPatient[2]);
      expect(withMask).toHaveLength(review.length - 1);
      expect(withMask).not.toContain(target.positionMm);
      await page.waitForFunction(
        before => Number(document.querySelector('[data-testid="medsam-measurements"]')?.getAttribute('data-volume-ml')) < before,
        volumeBefore
      );
    });

    test('undo restores the slices before the run', async () => {
      const { page } = browser;
      await page.locator('[data-testid="medsam-range-undo"]').click();
      await page.locator('[data-testid="medsam-range-review"]').waitFor({ state: 'detached' });
      const slices = await readSegmentSlices(page, 1);
      // Before the run only the key slices had masks, from their single-box runs.
      const withMask = slices.filter(slice => slice.indices.length > 0).map(slice => slice.imagePositionPatient[2]);
      expect(withMask.sort((a, b) => a - b)).toEqual(keyPositions());
    });

    test('second lesion is a separate segment and cancel keeps its slices', async () => {
      const { page } = browser;
      const lesionOneBefore = maskPixelCount(await readSegmentSlices(page, 1));
      await page.locator('[data-testid="medsam-new-lesion"]').click();
      await expect(page.locator('[data-testid="medsam-lesion-select"]').inputValue()).resolves.toBe('2');
      await expect(page.locator('[data-testid="medsam-segment-label"]').inputValue()).resolves.toBe('Lesion 2');

      // A box in the soft tissue left of the spine, on slices 43 apart, so the run is long enough to cancel.
      const series = currentSeries();
      const ends = [series.groundTruth[2]!, series.groundTruth[45]!];
      for (const [count, slice] of ends.entries()) {
        await showImage(page, slice.sopInstanceUid);
        await drawBox(page, pixelToPatient(series, slice.imagePositionPatient, 150, 230), pixelToPatient(series, slice.imagePositionPatient, 200, 270));
        await waitForKeyBoxes(page, count + 1);
      }
      await page.locator('[data-testid="medsam-segment-range"]').click();
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="medsam-range-progress"][data-phase="running"]')?.getAttribute('data-done')) >= 2
      );
      await page.locator('[data-testid="medsam-range-cancel"]').click();
      const progress = page.locator('[data-testid="medsam-range-progress"][data-phase="done"]');
      await progress.waitFor({ timeout: 120_000 });
      await expect(progress.getAttribute('data-cancelled')).resolves.toBe('true');
      const done = Number(await progress.getAttribute('data-done'));
      const total = Number(await progress.getAttribute('data-total'));
      expect(done).toBeLessThan(total);

      const lesionTwo = await readSegmentSlices(page, 2);
      const lesionTwoSlices = lesionTwo.filter(slice => slice.indices.length > 0).length;
      // The run's slices plus the far key slice, whose single-box run happened before.
      expect(lesionTwoSlices).toBeGreaterThanOrEqual(done);
      expect(lesionTwoSlices).toBeLessThanOrEqual(done + 1);
      expect(maskPixelCount(await readSegmentSlices(page, 1))).toBe(lesionOneBefore);
      await page.locator(`[data-testid="medsam-measurements"][data-slice-count="${lesionTwoSlices}"]`).waitFor();
    });

    test('brush paints the current lesion and updates measurements', async () => {
      const { page } = browser;
      const series = currentSeries();
      const lesionOneBefore = maskPixelCount(await readSegmentSlices(page, 1));
      const lesionTwoBefore = maskPixelCount(await readSegmentSlices(page, 2));
      const volumeBefore = Number(await page.locator('[data-testid="medsam-measurements"]').getAttribute('data-volume-ml'));

      // The shown image is the far key slice of lesion 2; paint away from its box.
      const shown = series.groundTruth[45]!.imagePositionPatient;
      await paintWithBrush(page, pixelToPatient(series, shown, 240, 140), pixelToPatient(series, shown, 280, 150));
      await page.waitForFunction(
        before => Number(document.querySelector('[data-testid="medsam-measurements"]')?.getAttribute('data-volume-ml')) > before,
        volumeBefore
      );
      expect(maskPixelCount(await readSegmentSlices(page, 2))).toBeGreaterThan(lesionTwoBefore);
      expect(maskPixelCount(await readSegmentSlices(page, 1))).toBe(lesionOneBefore);
    });
  });

  describeRangeCase('phantom stored in reverse order', { seed: 'range-reverse', reverseInstanceOrder: true });

  describeRangeCase('phantom with a gap', { seed: 'range-gap', omitSlices: GAP_GRID_INDICES }, () => {
    test('propagate mode prompts with the previous mask', async () => {
      const { page } = browser;
      const series = currentSeries();
      await page.locator('[data-testid="medsam-new-lesion"]').click();
      await page.locator('[data-testid="medsam-range-mode"]').selectOption('propagate');
      await page.locator('[data-testid="medsam-margin"]').fill('3');

      // Two key boxes 4 slices apart in the soft tissue left of the spine.
      const keys = [14, 18].map(grid => series.groundTruth.find(slice => slice.gridIndex === grid)!);
      for (const [count, slice] of keys.entries()) {
        await showImage(page, slice.sopInstanceUid);
        await drawBox(page, pixelToPatient(series, slice.imagePositionPatient, 150, 230), pixelToPatient(series, slice.imagePositionPatient, 200, 270));
        await waitForKeyBoxes(page, count + 1);
      }
      await expect(segmentRange(page)).resolves.toEqual({ done: 5, total: 5, cancelled: false });

      const review = await readReviewBoxes(page);
      expect(review.map(entry => entry.source)).toEqual(['key', 'mask', 'mask', 'mask', 'key']);
      // Propagation starts at the lower key slice, so the second slice's box is the first slice's mask bounds plus 3 px.
      const first = (await readSegmentSlices(page, 2)).find(slice => slice.sopInstanceUid === keys[0]!.sopInstanceUid)!;
      const columns = first.indices.map(index => index % series.columns);
      const rows = first.indices.map(index => Math.floor(index / series.columns));
      expect(review[1]!.box).toEqual({
        x0: Math.min(...columns) - 3,
        y0: Math.min(...rows) - 3,
        x1: Math.max(...columns) + 1 + 3,
        y1: Math.max(...rows) + 1 + 3,
      });
    });
  });

  // Declared last so that it runs after every step above.
  describe('network', () => {
    test('no request left loopback', () => {
      expect(() => assertOnlyLoopbackRequests(browser.requests)).not.toThrow();
    });
  });

  let current: PhantomSeries | null = null;
  function currentSeries(): PhantomSeries {
    if (!current) {
      throw new Error('No phantom was uploaded yet.');
    }
    return current;
  }

  /** Declares the range tests on one phantom, then `extra` tests on the same page. */
  function describeRangeCase(name: string, options: PhantomOptions, extra?: () => void): void {
    describe(name, () => {
      let series: PhantomSeries;
      const keySlices = () => series.groundTruth.filter(slice => KEY_GRID_INDICES.includes(slice.gridIndex));
      const rangeSlices = () =>
        series.groundTruth.filter(slice => slice.gridIndex >= KEY_GRID_INDICES[0]! && slice.gridIndex <= KEY_GRID_INDICES[4]!);

      beforeAll(async () => {
        series = await uploadPhantom(services.orthancUrl, options);
        current = series;
      });

      test('key boxes are listed in spatial order', async () => {
        const { page } = browser;
        await openStudyInMedsamMode(page, services.viewerUrl, series.studyInstanceUid);
        // Drawn out of spatial order, as a reader might.
        const drawOrder = [2, 0, 4, 1, 3].map(rank => keySlices()[rank]!);
        for (const [count, slice] of drawOrder.entries()) {
          await showImage(page, slice.sopInstanceUid);
          const box = slice.boundingBox!;
          await drawBox(
            page,
            pixelToPatient(series, slice.imagePositionPatient, box.xMin, box.yMin),
            pixelToPatient(series, slice.imagePositionPatient, box.xMax + 1, box.yMax + 1)
          );
          await waitForKeyBoxes(page, count + 1);
        }
        const listed = await page
          .locator('[data-testid="medsam-keybox"]')
          .evaluateAll(rows => rows.map(row => row.getAttribute('data-sop-instance-uid')));
        expect(listed).toEqual(keySlices().map(slice => slice.sopInstanceUid));
      });

      test('segment range runs every slice between the key slices', async () => {
        const { page } = browser;
        const progress = await segmentRange(page);
        expect(progress).toEqual({ done: rangeSlices().length, total: rangeSlices().length, cancelled: false });
      });

      test('review lists the range in spatial order', async () => {
        const review = await readReviewBoxes(browser.page);
        expect(review.map(entry => entry.positionMm)).toEqual(rangeSlices().map(slice => slice.imagePositionPatient[2]));
      });

      test('3D mask matches the ground truth', async () => {
        const slices = await readSegmentSlices(browser.page, 1);
        expect(diceByPosition(series, slices)).toBeGreaterThanOrEqual(0.95);
      });

      test('no mask outside the key range', async () => {
        const slices = await readSegmentSlices(browser.page, 1);
        const inRange = new Set(rangeSlices().map(slice => positionKey(slice.imagePositionPatient)));
        const outside = slices.filter(slice => slice.indices.length > 0 && !inRange.has(positionKey(slice.imagePositionPatient)));
        expect(outside).toEqual([]);
      });

      test('measured volume matches the interpolated boxes', async () => {
        const { page } = browser;
        const review = await readReviewBoxes(page);
        const positions = series.groundTruth.map(slice => slice.imagePositionPatient[2]);
        const slabs = computeSlabThicknessesMm(positions);
        const [rowSpacingMm, columnSpacingMm] = series.pixelSpacingMm;
        const expectedMl = review.reduce((sum, entry) => {
          const sliceSpacingMm = slabs[positions.indexOf(entry.positionMm)]!;
          return sum + inscribedEllipseVolumeMl([entry.box], { rowSpacingMm, columnSpacingMm, sliceSpacingMm });
        }, 0);
        const measurement = page.locator('[data-testid="medsam-measurements"][data-phase="ready"]');
        await page.locator(`[data-testid="medsam-measurements"][data-slice-count="${rangeSlices().length}"]`).waitFor();
        const measuredMl = Number(await measurement.getAttribute('data-volume-ml'));
        expect(Math.abs(measuredMl / expectedMl - 1)).toBeLessThan(0.01);
      });

      test('saved SEG frames lie on their slices', async () => {
        const { page } = browser;
        await page.locator('[data-testid="medsam-save"]').click();
        const status = page.locator('[data-testid="medsam-save-status"][data-phase="saved"]');
        await status.waitFor({ timeout: 120_000 });
        const seg = readSegmentation(await downloadInstance(services.orthancUrl, (await status.getAttribute('data-sop-instance-uid')) ?? ''));

        const truthBySop = new Map(series.groundTruth.map(slice => [slice.sopInstanceUid, slice]));
        const misplaced = seg.frames.filter(
          frame => positionKey(frame.imagePositionPatient ?? []) !== positionKey(truthBySop.get(frame.referencedSopInstanceUid ?? '')?.imagePositionPatient ?? [])
        );
        expect(misplaced).toEqual([]);
        const frames = seg.frames.map(frame => ({
          sopInstanceUid: frame.referencedSopInstanceUid ?? '',
          imagePositionPatient: frame.imagePositionPatient as Point3,
          indices: Array.from(frame.mask.entries())
            .filter(([, value]) => value)
            .map(([index]) => index),
        }));
        expect(diceByPosition(series, frames)).toBeGreaterThanOrEqual(0.95);
      });

      extra?.();
    });
  }
});
