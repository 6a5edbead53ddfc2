import { applyModalityRescale } from '../../../src/preprocess/applyModalityRescale';
import { applyPhotometricInterpretation } from '../../../src/preprocess/applyPhotometricInterpretation';
import { computePercentilePolicy } from '../../../src/preprocess/computePercentilePolicy';
import { defaultIntensityPolicy } from '../../../src/preprocess/defaultIntensityPolicy';
import { ctWindowPolicy, customCtWindowPolicy, type IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import { invertMonochrome1 } from '../../../src/preprocess/invertMonochrome1';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { toUint8Image } from '../../../src/preprocess/toUint8Image';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { expectMedsamError } from './expectMedsamError';
import { createRandom, syntheticCtHU } from './syntheticImages';

function grayImage(values: ModalityImage['values'], width: number, height: number): ModalityImage {
  return { width, height, samplesPerPixel: 1, values };
}

const CT = grayImage(syntheticCtHU(64, 48, 3), 64, 48);

/** Builds an MR-like frame: zero background, positive tissue with a long bright tail. */
function syntheticMr(width: number, height: number, seed: number): Uint16Array {
  const random = createRandom(seed);
  const values = new Uint16Array(width * height);
  for (let i = 0; i < values.length; i++) {
    const r = random();
    values[i] = r < 0.3 ? 0 : Math.round(200 + 600 * random() + (r > 0.995 ? 3000 : 0));
  }
  return values;
}

const MR = grayImage(syntheticMr(50, 40, 5), 50, 40);

describe('toUint8Image', () => {
  const policies: Record<string, IntensityPolicy> = {
    'soft-tissue': ctWindowPolicy('soft-tissue'),
    lung: ctWindowPolicy('lung'),
    brain: ctWindowPolicy('brain'),
    'custom-odd-width': customCtWindowPolicy(55, 301),
  };
  let results: Map<string, ReferenceResult>;

  beforeAll(() => {
    const batch = new ReferenceBatch();
    try {
      const ctSpec = batch.addArray(CT.values as Int16Array, [CT.height, CT.width]);
      for (const [name, policy] of Object.entries(policies)) {
        batch.addCase({ name: `ct-${name}`, kind: 'image', source: { type: 'raw', ...ctSpec }, policy });
      }
      const mrSpec = batch.addArray(MR.values as Uint16Array, [MR.height, MR.width]);
      batch.addCase({
        name: 'mr-slice',
        kind: 'image',
        source: { type: 'raw', ...mrSpec },
        policy: { kind: 'percentile', source: 'slice' },
      });
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 60_000);

  it.each(Object.keys(policies))('matches the reference CT window %s exactly', (name) => {
    const actual = toUint8Image(CT, policies[name] as IntensityPolicy);
    const expected = results.get(`ct-${name}`)?.arrays.uint8 as Uint8Array;
    expect(Buffer.from(actual.data).equals(Buffer.from(expected))).toBe(true);
  });

  it('records the HU range mapped to 0..255', () => {
    const actual = toUint8Image(CT, ctWindowPolicy('soft-tissue'));
    expect(actual.applied.mappedLowValue).toBe(-160);
    expect(actual.applied.mappedHighValue).toBe(240);
  });

  it('matches the reference slice percentiles', () => {
    const policy = computePercentilePolicy(MR.values, 'slice');
    const info = results.get('mr-slice')?.info.policy as { lowValue: number; highValue: number };
    expect(policy.lowValue).toBe(info.lowValue);
    expect(policy.highValue).toBe(info.highValue);
  });

  it('matches the reference percentile mapping exactly', () => {
    const actual = toUint8Image(MR, computePercentilePolicy(MR.values, 'slice'));
    const expected = results.get('mr-slice')?.arrays.uint8 as Uint8Array;
    expect(Buffer.from(actual.data).equals(Buffer.from(expected))).toBe(true);
  });

  it('keeps zero pixels at 0 under percentiles', () => {
    const actual = toUint8Image(MR, computePercentilePolicy(MR.values, 'slice'));
    for (let i = 0; i < MR.values.length; i++) {
      if (MR.values[i] === 0) expect(actual.data[i]).toBe(0);
    }
  });

  it('gives the same percentiles for float and integer arrays', () => {
    const fromIntegers = computePercentilePolicy(MR.values, 'slice');
    const fromFloats = computePercentilePolicy(Float64Array.from(MR.values), 'slice');
    expect(fromFloats).toEqual(fromIntegers);
  });

  it('truncates RGB values already within 0..255', () => {
    const values = Float32Array.from([0, 10.7, 255, 3, 4, 5]);
    const actual = toUint8Image({ width: 2, height: 1, samplesPerPixel: 3, values }, { kind: 'rgb' });
    expect(Array.from(actual.data)).toEqual([0, 10, 255, 3, 4, 5]);
  });

  it('min-maxes RGB values beyond 255', () => {
    const values = Uint16Array.from([0, 500, 1000, 250, 750, 1000]);
    const actual = toUint8Image({ width: 2, height: 1, samplesPerPixel: 3, values }, { kind: 'rgb' });
    expect(Array.from(actual.data)).toEqual([0, 127, 255, 63, 191, 255]);
  });

  it('rejects a CT slice that is uniform after windowing', () => {
    const air = grayImage(new Int16Array(64).fill(-1000), 8, 8);
    const error = expectMedsamError(() => toUint8Image(air, ctWindowPolicy('soft-tissue')), 'pixels/constant');
    expect(error.message).toContain('-160 HU');
  });

  it('rejects an all-zero frame under percentiles', () => {
    const zeros = grayImage(new Uint16Array(64), 8, 8);
    expectMedsamError(() => computePercentilePolicy(zeros.values, 'slice'), 'pixels/constant');
  });

  it('rejects volume percentiles that make the slice uniform', () => {
    const dark = grayImage(new Uint16Array(64).fill(5), 8, 8);
    const policy: IntensityPolicy = { kind: 'percentile', lowValue: 100, highValue: 900, source: 'volume' };
    expectMedsamError(() => toUint8Image(dark, policy), 'pixels/constant');
  });

  it('rejects a truncated frame', () => {
    const truncated = grayImage(new Int16Array(63), 8, 8);
    const error = expectMedsamError(() => toUint8Image(truncated, ctWindowPolicy('lung')), 'pixels/invalid');
    expect(error.message).toContain('63');
  });

  it('rejects NaN values', () => {
    const values = new Float32Array(64).fill(10);
    values[5] = NaN;
    expectMedsamError(() => toUint8Image(grayImage(values, 8, 8), ctWindowPolicy('lung')), 'pixels/invalid');
  });

  it('rejects an RGB policy for a grayscale frame', () => {
    expectMedsamError(() => toUint8Image(CT, { kind: 'rgb' }), 'pixels/unsupported');
  });

  it('rejects a non-positive window width', () => {
    expectMedsamError(() => customCtWindowPolicy(40, 0), 'config/invalid');
  });

  it('maps a CT slice with the volume range', () => {
    // Soft tissue is [-160, 240] HU. The slice reaches -1000 and 100 HU, the volume 700 HU.
    const slice = grayImage(Int16Array.from([-1000, 100, 40, -160]), 2, 2);
    const policy: IntensityPolicy = { ...ctWindowPolicy('soft-tissue'), volumeRange: { min: -1000, max: 700 } };
    const actual = toUint8Image(slice, policy);
    expect(Array.from(actual.data)).toEqual([0, 165, 127, 0]);
    expect(actual.applied.mappedHighValue).toBe(240);
  });

  it('maps the same slice with its own range', () => {
    const slice = grayImage(Int16Array.from([-1000, 100, 40, -160]), 2, 2);
    const actual = toUint8Image(slice, ctWindowPolicy('soft-tissue'));
    expect(Array.from(actual.data)).toEqual([0, 255, 196, 0]);
    expect(actual.applied.mappedHighValue).toBe(100);
  });

  it('widens a volume range narrower than the slice', () => {
    const slice = grayImage(Int16Array.from([-1000, 300, 40, -160]), 2, 2);
    const policy: IntensityPolicy = { ...ctWindowPolicy('soft-tissue'), volumeRange: { min: -500, max: 100 } };
    const actual = toUint8Image(slice, policy);
    expect(Array.from(actual.data)).toEqual([0, 255, 127, 0]);
    expect(actual.applied.mappedHighValue).toBe(240);
  });

  it('rejects a reversed volume range', () => {
    const policy: IntensityPolicy = { ...ctWindowPolicy('soft-tissue'), volumeRange: { min: 10, max: -10 } };
    expectMedsamError(() => toUint8Image(CT, policy), 'config/invalid');
  });
});

describe('applyModalityRescale', () => {
  const stored = { width: 2, height: 1, samplesPerPixel: 1 as const, storedValues: Uint16Array.from([0, 1064]) };

  it('converts stored values to HU', () => {
    const image = applyModalityRescale(stored, { slope: 1, intercept: -1024 });
    expect(Array.from(image.values)).toEqual([-1024, 40]);
  });

  it('keeps fractional slopes in float64', () => {
    const image = applyModalityRescale(stored, { slope: 0.5, intercept: -1024.25 });
    expect(image.values).toBeInstanceOf(Float64Array);
    expect(Array.from(image.values)).toEqual([-1024.25, -492.25]);
  });

  it('rejects a missing rescale', () => {
    expectMedsamError(() => applyModalityRescale(stored, undefined), 'pixels/invalid');
  });

  it('rejects a zero slope', () => {
    expectMedsamError(() => applyModalityRescale(stored, { slope: 0, intercept: 0 }), 'pixels/invalid');
  });
});

describe('applyPhotometricInterpretation', () => {
  it('inverts MONOCHROME1 over the frame range', () => {
    const image = grayImage(Uint16Array.from([10, 20, 110]), 3, 1);
    const inverted = applyPhotometricInterpretation(image, 'MONOCHROME1');
    expect(Array.from(inverted.values)).toEqual([110, 100, 10]);
  });

  it('keeps the array type when inverting', () => {
    const inverted = invertMonochrome1(grayImage(Int16Array.from([-5, 5]), 2, 1));
    expect(inverted.values).toBeInstanceOf(Int16Array);
  });

  it('passes MONOCHROME2 through', () => {
    expect(applyPhotometricInterpretation(CT, 'MONOCHROME2')).toBe(CT);
  });

  it('rejects PALETTE COLOR without its lookup tables', () => {
    expectMedsamError(() => applyPhotometricInterpretation(CT, 'PALETTE COLOR'), 'pixels/invalid');
  });

  it('rejects RGB with one sample per pixel', () => {
    expectMedsamError(() => applyPhotometricInterpretation(CT, 'RGB'), 'pixels/unsupported');
  });
});

describe('defaultIntensityPolicy', () => {
  it('uses the soft-tissue window for CT', () => {
    expect(defaultIntensityPolicy('CT', CT)).toEqual({
      kind: 'ct-window',
      windowCenterHU: 40,
      windowWidthHU: 400,
      preset: 'soft-tissue',
    });
  });

  it('uses slice percentiles for MR without volume percentiles', () => {
    expect(defaultIntensityPolicy('MR', MR)).toMatchObject({ kind: 'percentile', source: 'slice' });
  });

  it('uses volume percentiles when given', () => {
    const policy = defaultIntensityPolicy('MR', MR, { volumePercentiles: { lowValue: 3, highValue: 700 } });
    expect(policy).toEqual({ kind: 'percentile', lowValue: 3, highValue: 700, source: 'volume' });
  });

  it('uses rgb for colour frames', () => {
    const rgb: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: new Uint8Array(3) };
    expect(defaultIntensityPolicy('US', rgb)).toEqual({ kind: 'rgb' });
  });
});
