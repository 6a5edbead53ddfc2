import type { ChosenIntensity } from '../imaging/chooseIntensity';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import type { CornerstoneLibraries } from '../cornerstoneTypes';
import type { MedsamWorkerClient } from '../inference/MedsamWorkerClient';
import type { OhifServices } from '../ohifTypes';
import type { RangeRunRecord } from './describeRangeRun';
import type { Lesion } from './RangeState';

/** Services of `MedsamService` that `RangeController` uses. */
export interface RangeHost {
  libraries(): CornerstoneLibraries;
  services(): OhifServices;
  /** Loads the model when needed and returns the worker. */
  worker(): Promise<MedsamWorkerClient>;
  /**
   * The intensity mapping for one image, as a single box run would use it,
   * and the reason when it uses the slice's statistics instead of the volume's.
   */
  intensityFor(imageId: string, image: ModalityImage): ChosenIntensity;
  /** The segmentation MedSAM writes to for the series of `imageId`, with the segment added when missing. */
  segmentationFor(imageId: string, segment: { index: number; label: string }): Promise<string>;
  /** The segmentation already created for a display set, if any. */
  knownSegmentation(displaySetInstanceUID: string): string | undefined;
  currentSegment(): Lesion;
  /** Makes `segment` the one that boxes, runs and Save use. */
  selectSegment(segment: Lesion): void;
  /** Calls `listener` whenever the current segment's number, label or type changes. */
  subscribeSegment(listener: (segment: Lesion) => void): () => void;
  /** Makes the last slice of a finished run the service's result, which Save stores. */
  recordRun(run: RangeRunRecord): void;
  notify(type: 'info' | 'success' | 'warning' | 'error', title: string, message: string): void;
}
