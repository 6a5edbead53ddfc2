import { MedsamError } from '../../../src/MedsamError';
import { ctWindowPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { preprocessForMedsam } from '../../../src/preprocess/preprocessForMedsam';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { compareArrays } from './compareTensors';
import { expectMedsamError } from './expectMedsamError';
import { syntheticCtHU } from './syntheticImages';

const CT: ModalityImage = { width: 300, height: 200, samplesPerPixel: 1, values: syntheticCtHU(300, 200, 9) };

describe('preprocessForMedsam', () => {
  let reference: ReferenceResult;

  beforeAll(() => {
    const batch = new ReferenceBatch();
    try {
      const spec = batch.addArray(CT.values as Int16Array, [CT.height, CT.width]);
      batch.addCase({ name: 'ct', kind: 'image', source: { type: 'raw', ...spec }, policy: ctWindowPolicy('soft-tissue') });
      reference = batch.run().get('ct') as ReferenceResult;
    } finally {
      batch.dispose();
    }
  }, 60_000);

  it('returns a [1,3,1024,1024] tensor and the transform', () => {
    const input = preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'));
    expect(input.dims).toEqual([1, 3, 1024, 1024]);
    expect(input.data.length).toBe(3 * 1024 * 1024);
    expect(input.transform).toEqual({ imageWidth: 300, imageHeight: 200, inputSize: 1024 });
  });

  it('matches the reference tensor of a non-square CT', () => {
    const input = preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'));
    const { maxDifference } = compareArrays(input.data, reference.arrays.tensor as Float32Array);
    expect(maxDifference).toBe(0);
  });

  it('spans 0..1 after the final min-max', () => {
    const input = preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'));
    let min = Infinity;
    let max = -Infinity;
    for (const v of input.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('records the applied window', () => {
    const input = preprocessForMedsam(CT, ctWindowPolicy('brain'));
    expect(input.applied.policy).toEqual(ctWindowPolicy('brain'));
  });

  it('writes into a caller-supplied buffer', () => {
    const output = new Float32Array(3 * 1024 * 1024);
    const input = preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'), { output });
    expect(input.data).toBe(output);
    expect(compareArrays(output, reference.arrays.tensor as Float32Array).maxDifference).toBe(0);
  });

  it('is unchanged by slices run before it', () => {
    // Another size, then the same size with other pixels: the second reuses the resize's kept buffers.
    const output = new Float32Array(3 * 1024 * 1024);
    const otherSize: ModalityImage = { width: 512, height: 512, samplesPerPixel: 1, values: syntheticCtHU(512, 512, 4) };
    const sameSize: ModalityImage = { ...CT, values: syntheticCtHU(300, 200, 5) };
    preprocessForMedsam(otherSize, ctWindowPolicy('lung'), { output });
    preprocessForMedsam(sameSize, ctWindowPolicy('brain'), { output });
    preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'), { output });
    expect(compareArrays(output, reference.arrays.tensor as Float32Array).maxDifference).toBe(0);
  });

  it('rejects an output buffer of the wrong size', () => {
    const output = new Float32Array(1024 * 1024);
    expectMedsamError(() => preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'), { output }), 'config/invalid');
  });

  it('repeats gray into identical channels', () => {
    const { data } = preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'));
    const plane = 1024 * 1024;
    expect(compareArrays(data.subarray(0, plane), data.subarray(plane, 2 * plane)).differing).toBe(0);
    expect(compareArrays(data.subarray(0, plane), data.subarray(2 * plane)).differing).toBe(0);
  });

  it('stops on an aborted signal', () => {
    const controller = new AbortController();
    controller.abort();
    const error = expectMedsamError(
      () => preprocessForMedsam(CT, ctWindowPolicy('soft-tissue'), { signal: controller.signal }),
      'inference/aborted',
    );
    expect(error).toBeInstanceOf(MedsamError);
  });

  it('rejects an all-air CT slice instead of a black tensor', () => {
    const air: ModalityImage = { width: 16, height: 16, samplesPerPixel: 1, values: new Int16Array(256).fill(-1000) };
    expectMedsamError(() => preprocessForMedsam(air, ctWindowPolicy('soft-tissue')), 'pixels/constant');
  });
});
