import type { PixelBox } from '../../../src/protocol/workerMessages';

/** One slice of a range run: the image to segment and the box to prompt MedSAM with. */
export interface SliceJob {
  imageId: string;
  /** Box in the image's pixels (corner convention). */
  box: PixelBox;
}

/** Worker result for one slice. */
export interface SliceOutcome {
  /** Row-major mask of the slice, 1 inside. */
  mask: Uint8Array;
  encoderMs: number | null;
  decoderMs: number;
}

/** The steps of a range run that talk to the viewer and the worker. */
export interface SliceRunSteps {
  /** Loads and decodes the slice's pixels into the host's image cache. */
  loadImage(imageId: string): Promise<void>;
  /** Sends the slice to the worker; called only after `loadImage` resolved for it. */
  segment(job: SliceJob): Promise<SliceOutcome>;
  /** Writes one result; called once per slice, in run order. */
  onResult(job: SliceJob, outcome: SliceOutcome, rank: number): void | Promise<void>;
}

/** Outcome of a range run. */
export interface SliceRunSummary {
  /** Slices whose results were written. */
  completed: number;
  /** True when the signal stopped the run before its last slice. */
  cancelled: boolean;
}
