import { createLogger } from '../../../src/logging';
import { VolumeStatistics } from '../../../src/preprocess/VolumeStatistics';
import type { CornerstoneImage } from '../cornerstoneTypes';
import { readModalityImage } from './readModalityImage';

const log = createLogger('medsam.statistics');

/** Frames loaded at once; the host's own loading of the shown slice keeps the rest of the bandwidth. */
const CONCURRENT_LOADS = 2;

/** Listeners hear about progress every this many frames, and on completion or failure. */
const PROGRESS_EVERY_FRAMES = 8;

/** Progress and result of the volume statistics of one display set. */
export type SeriesStatisticsStatus =
  | { phase: 'loading'; framesDone: number; framesTotal: number }
  | { phase: 'complete'; framesTotal: number; statistics: VolumeStatistics }
  | { phase: 'unavailable'; framesDone: number; framesTotal: number; reason: string };

/** Receives the new status of a display set. */
export type StatisticsListener = (displaySetInstanceUID: string, status: SeriesStatisticsStatus) => void;

/**
 * Streams MedSAM's volume intensity statistics for each series the viewer
 * shows. Every frame of a display set goes through the host's image loader
 * (cached frames come back at once), is read in modality units, and is
 * added to a `VolumeStatistics` as it arrives. Until all frames are in,
 * callers use the shown slice's statistics and show a notice.
 */
export class SeriesStatisticsTracker {
  private readonly statuses = new Map<string, SeriesStatisticsStatus>();
  private stopped = false;

  constructor(
    private readonly loadImage: (imageId: string) => Promise<CornerstoneImage>,
    private readonly listener: StatisticsListener
  ) {}

  /** Starts streaming a display set's frames unless it has started already. */
  start(displaySetInstanceUID: string, imageIds: readonly string[]): void {
    if (this.stopped || this.statuses.has(displaySetInstanceUID)) {
      return;
    }
    if (imageIds.length === 0) {
      this.setStatus(displaySetInstanceUID, { phase: 'unavailable', framesDone: 0, framesTotal: 0, reason: 'The series has no images.' });
      return;
    }
    this.setStatus(displaySetInstanceUID, { phase: 'loading', framesDone: 0, framesTotal: imageIds.length });
    void this.stream(displaySetInstanceUID, imageIds);
  }

  /** Returns the status of a display set, or undefined when it never started. */
  status(displaySetInstanceUID: string): SeriesStatisticsStatus | undefined {
    return this.statuses.get(displaySetInstanceUID);
  }

  /** Stops every stream; frames already requested finish loading but are not counted. */
  stop(): void {
    this.stopped = true;
  }

  private async stream(displaySetInstanceUID: string, imageIds: readonly string[]): Promise<void> {
    const statistics = new VolumeStatistics();
    const framesTotal = imageIds.length;
    let next = 0;
    let failure: string | null = null;

    const loadNext = async (): Promise<void> => {
      while (!this.stopped && failure === null && next < imageIds.length) {
        const index = next++;
        const imageId = imageIds[index] as string;
        try {
          const image = await this.loadImage(imageId);
          if (this.stopped || failure !== null) {
            return;
          }
          statistics.addFrame(readModalityImage(image).values);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failure ??= `Frame ${index + 1} of ${framesTotal} (${imageId}) could not be read: ${message}`;
          return;
        }
        const framesDone = statistics.frameCount;
        if (framesDone < framesTotal && framesDone % PROGRESS_EVERY_FRAMES === 0) {
          this.setStatus(displaySetInstanceUID, { phase: 'loading', framesDone, framesTotal });
        }
      }
    };

    await Promise.all(Array.from({ length: Math.min(CONCURRENT_LOADS, framesTotal) }, loadNext));
    if (this.stopped) {
      return;
    }
    if (failure !== null) {
      log.warn(`Volume statistics of display set ${displaySetInstanceUID} are unavailable: ${failure}`);
      this.setStatus(displaySetInstanceUID, { phase: 'unavailable', framesDone: statistics.frameCount, framesTotal, reason: failure });
      return;
    }
    log.info(`Volume statistics of display set ${displaySetInstanceUID} are complete (${framesTotal} frames).`);
    this.setStatus(displaySetInstanceUID, { phase: 'complete', framesTotal, statistics });
  }

  private setStatus(displaySetInstanceUID: string, status: SeriesStatisticsStatus): void {
    this.statuses.set(displaySetInstanceUID, status);
    this.listener(displaySetInstanceUID, status);
  }
}
