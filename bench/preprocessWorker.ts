/**
 * Worker of the pre-processing benchmark on bench.html: times
 * `preprocessForMedsam`, the function the inference worker calls for every
 * slice, on frames posted by the page. It runs in a dedicated worker, as
 * in the viewer, so the figures include the browser's JIT and memory
 * behaviour rather than Node's. Like `MedsamPipeline`, it writes every run
 * into one reused input tensor.
 */
import type { IntensityPolicy } from '../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../src/preprocess/ModalityImage';
import { preprocessForMedsam } from '../src/preprocess/preprocessForMedsam';

export interface PreprocessBenchCase {
  name: string;
  image: ModalityImage;
  policy: IntensityPolicy;
  runs: number;
}

export interface PreprocessBenchTiming {
  name: string;
  /** Milliseconds of each timed run, after one warm-up run. */
  samples: number[];
}

export type PreprocessWorkerResponse = { type: 'done'; timings: PreprocessBenchTiming[] } | { type: 'error'; message: string };

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<PreprocessBenchCase[]>) => void) | null;
  postMessage(message: PreprocessWorkerResponse): void;
};

scope.onmessage = event => {
  try {
    const output = new Float32Array(3 * 1024 * 1024);
    const timings = event.data.map(({ name, image, policy, runs }) => {
      preprocessForMedsam(image, policy, { output });
      const samples: number[] = [];
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        preprocessForMedsam(image, policy, { output });
        samples.push(performance.now() - started);
      }
      return { name, samples };
    });
    scope.postMessage({ type: 'done', timings });
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
