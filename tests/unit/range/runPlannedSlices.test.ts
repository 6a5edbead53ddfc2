import { runPlannedSlices } from '../../../extension/src/range/runPlannedSlices';
import type { SliceJob, SliceOutcome, SliceRunSteps } from '../../../extension/src/range/SliceJob';

const box = { x0: 1, y0: 1, x1: 3, y1: 3 };
const jobs: SliceJob[] = ['a', 'b', 'c', 'd'].map(imageId => ({ imageId, box }));

/** Steps whose segment requests resolve only when the test releases them, recording the call order. */
function scriptedSteps() {
  const events: string[] = [];
  const releases: (() => void)[] = [];
  const written: string[] = [];
  const steps: SliceRunSteps = {
    loadImage: async imageId => {
      events.push(`load ${imageId}`);
    },
    segment: job =>
      new Promise<SliceOutcome>(resolve => {
        events.push(`segment ${job.imageId}`);
        releases.push(() => resolve({ mask: new Uint8Array([1]), encoderMs: 1, decoderMs: 1 }));
      }),
    onResult: job => {
      written.push(job.imageId);
    },
  };
  return { steps, events, releases, written };
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) {
    await Promise.resolve();
  }
}

describe('runPlannedSlices', () => {
  test('posts the next slice before the first returns', async () => {
    const { steps, events, releases } = scriptedSteps();
    const run = runPlannedSlices(jobs, steps);
    await settle();
    expect(events.filter(event => event.startsWith('segment'))).toEqual(['segment a', 'segment b']);
    releases.forEach(release => release());
    while (releases.length < jobs.length) {
      await settle();
      releases.forEach(release => release());
    }
    await run;
  });

  test('loads pixels ahead of the posted requests', async () => {
    const { steps, events } = scriptedSteps();
    void runPlannedSlices(jobs, steps);
    await settle();
    expect(events.filter(event => event.startsWith('load'))).toEqual(['load a', 'load b', 'load c', 'load d']);
  });

  test('writes every result in order', async () => {
    const { steps, releases, written } = scriptedSteps();
    const run = runPlannedSlices(jobs, steps);
    for (let released = 0; released < jobs.length; ) {
      await settle();
      // Release out of order: the newest request first.
      for (const release of releases.splice(0).reverse()) {
        release();
        released++;
      }
    }
    await expect(run).resolves.toEqual({ completed: 4, cancelled: false });
    expect(written).toEqual(['a', 'b', 'c', 'd']);
  });

  test('abort stops after the awaited slice', async () => {
    const { steps, releases, written } = scriptedSteps();
    const controller = new AbortController();
    const run = runPlannedSlices(jobs, steps, { signal: controller.signal });
    await settle();
    controller.abort();
    releases[0]!();
    await expect(run).resolves.toEqual({ completed: 1, cancelled: true });
    expect(written).toEqual(['a']);
  });

  test('aborted signal runs no slice', async () => {
    const { steps, events } = scriptedSteps();
    const controller = new AbortController();
    controller.abort();
    await expect(runPlannedSlices(jobs, steps, { signal: controller.signal })).resolves.toEqual({
      completed: 0,
      cancelled: true,
    });
    expect(events).toEqual([]);
  });

  test('failed slice rejects after earlier results are written', async () => {
    const written: string[] = [];
    const steps: SliceRunSteps = {
      loadImage: async imageId => {
        if (imageId === 'c') {
          throw new Error('Image c failed to load.');
        }
      },
      segment: async () => ({ mask: new Uint8Array([1]), encoderMs: null, decoderMs: 1 }),
      onResult: job => {
        written.push(job.imageId);
      },
    };
    await expect(runPlannedSlices(jobs, steps)).rejects.toThrow('Image c failed to load.');
    expect(written).toEqual(['a', 'b']);
  });
});
