import { runPropagatedSlices } from '../../../extension/src/range/runPropagatedSlices';
import type { SliceRunSteps } from '../../../extension/src/range/SliceJob';
import { propagateFromMask, propagationOrder } from '../../../src/workflow';
import { axialSlices } from '../workflow/axialSlices';

const slices = axialSlices([0, 1, 2, 3, 4], { rows: 8, columns: 8 });
const imageIds = slices.map((_, index) => `image:${index}`);
const keyBoxes = [0, 4].map(index => ({ sopInstanceUid: slices[index]!.sopInstanceUid, frameNumber: 1, box: { x0: 2, y0: 2, x1: 6, y1: 6 } }));

/** Steps whose masks fill the prompt box, recording loads and segment requests in call order. */
function recordingSteps(options: { onSegment?: () => void } = {}) {
  const events: string[] = [];
  const steps: SliceRunSteps = {
    loadImage: async imageId => {
      events.push(`load ${imageId}`);
    },
    segment: async job => {
      events.push(`segment ${job.imageId}`);
      options.onSegment?.();
      const mask = new Uint8Array(64);
      for (let y = Math.floor(job.box.y0); y < Math.ceil(job.box.y1); y++) {
        for (let x = Math.floor(job.box.x0); x < Math.ceil(job.box.x1); x++) {
          mask[y * 8 + x] = 1;
        }
      }
      return { mask, encoderMs: 1, decoderMs: 1 };
    },
    onResult: () => undefined,
  };
  return { steps, events };
}

function plan() {
  const start = 0;
  const order = propagationOrder(slices, start);
  return {
    generator: propagateFromMask(slices, keyBoxes, { marginPx: 0, startSliceIndex: start }),
    visitOrder: [start, ...order.ascending, ...order.descending],
  };
}

describe('runPropagatedSlices', () => {
  test('visits every slice of the key range', async () => {
    const { steps, events } = recordingSteps();
    const { generator, visitOrder } = plan();
    await expect(runPropagatedSlices(generator, steps, { imageIds, visitOrder })).resolves.toEqual({ completed: 5, cancelled: false });
    expect(events.filter(event => event.startsWith('segment'))).toEqual(imageIds.map(id => `segment ${id}`));
  });

  test('loads the next slices before segmenting', async () => {
    const { steps, events } = recordingSteps();
    const { generator, visitOrder } = plan();
    await runPropagatedSlices(generator, steps, { imageIds, visitOrder });
    expect(events.slice(0, 4)).toEqual(['load image:0', 'load image:1', 'load image:2', 'segment image:0']);
  });

  test('abort ends after the current slice', async () => {
    const controller = new AbortController();
    const { steps } = recordingSteps({ onSegment: () => controller.abort() });
    const { generator, visitOrder } = plan();
    await expect(runPropagatedSlices(generator, steps, { imageIds, visitOrder, signal: controller.signal })).resolves.toEqual({
      completed: 1,
      cancelled: true,
    });
  });
});
