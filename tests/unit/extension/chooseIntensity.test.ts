import { chooseIntensity } from '../../../extension/src/imaging/chooseIntensity';
import { computePercentilePolicy } from '../../../src/preprocess/computePercentilePolicy';
import { ctWindowPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { VolumeStatistics } from '../../../src/preprocess/VolumeStatistics';

const slice: ModalityImage = { width: 3, height: 2, samplesPerPixel: 1, values: Float32Array.of(-1000, 0, 20, 60, 300, 900) };
const otherSlice = Float32Array.of(-1024, 5, 40, 80, 1200, 2000);

function completeStatus() {
  const statistics = new VolumeStatistics();
  statistics.addFrame(slice.values);
  statistics.addFrame(otherSlice);
  return { phase: 'complete' as const, framesTotal: 2, statistics };
}

describe('chooseIntensity', () => {
  test('CT uses the volume range when complete', () => {
    const chosen = chooseIntensity('CT', slice, ctWindowPolicy('lung'), completeStatus());
    expect(chosen.policy).toEqual({ ...ctWindowPolicy('lung'), volumeRange: { min: -1024, max: 2000 } });
    expect(chosen.notice).toBeNull();
  });

  test('CT falls back to the slice while loading', () => {
    const chosen = chooseIntensity('CT', slice, ctWindowPolicy('soft-tissue'), { phase: 'loading', framesDone: 12, framesTotal: 48 });
    expect(chosen.policy).toEqual(ctWindowPolicy('soft-tissue'));
    expect(chosen.notice).toBe(
      "Volume statistics are still loading (12 of 48 slices), so MedSAM used this slice's min and max HU.",
    );
  });

  test('CT drops a stale volume range of the window', () => {
    const stale = { ...ctWindowPolicy('brain'), volumeRange: { min: 0, max: 1 } };
    const chosen = chooseIntensity('CT', slice, stale, 'off');
    expect(chosen.policy).toEqual(ctWindowPolicy('brain'));
    expect(chosen.notice).toContain('volumeStatistics: false');
  });

  test('MR uses volume percentiles when complete', () => {
    const chosen = chooseIntensity('MR', slice, ctWindowPolicy('soft-tissue'), completeStatus());
    expect(chosen.policy).toEqual(computePercentilePolicy([slice.values, otherSlice], 'volume'));
    expect(chosen.notice).toBeNull();
  });

  test('MR falls back to slice percentiles when unavailable', () => {
    const status = { phase: 'unavailable' as const, framesDone: 3, framesTotal: 9, reason: 'Frame 4 of 9 could not be read: 404' };
    const chosen = chooseIntensity('MR', slice, ctWindowPolicy('soft-tissue'), status);
    expect(chosen.policy).toEqual(computePercentilePolicy(slice.values, 'slice'));
    expect(chosen.notice).toBe(
      "Volume statistics are unavailable: Frame 4 of 9 could not be read: 404, so MedSAM used this slice's percentiles.",
    );
  });

  test('MR falls back when volume percentiles fail', () => {
    const statistics = new VolumeStatistics({ maxKeptValues: 2 });
    statistics.addFrame(Float32Array.of(0.5, 1.5, 2.5));
    const chosen = chooseIntensity('MR', slice, ctWindowPolicy('soft-tissue'), { phase: 'complete', framesTotal: 1, statistics });
    expect(chosen.policy).toEqual(computePercentilePolicy(slice.values, 'slice'));
    expect(chosen.notice).toMatch(/^The volume's percentiles are unavailable \(The volume has 3 positive values/);
  });

  test('a series never started is named', () => {
    const chosen = chooseIntensity('MR', slice, ctWindowPolicy('soft-tissue'), undefined);
    expect(chosen.notice).toBe("Volume statistics have not started for this series, so MedSAM used this slice's percentiles.");
  });

  test('colour frames need no statistics', () => {
    const rgb: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: Float32Array.of(1, 2, 3) };
    const chosen = chooseIntensity('US', rgb, ctWindowPolicy('soft-tissue'), undefined);
    expect(chosen).toEqual({ policy: { kind: 'rgb' }, notice: null });
  });
});
