import { MedsamError } from '../../../src/MedsamError';
import { computePercentilePolicy } from '../../../src/preprocess/computePercentilePolicy';
import type { CtWindowPolicy, IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import type { SeriesStatisticsStatus } from './SeriesStatisticsTracker';

/** The intensity policy for one frame, and why it does not use the volume when it does not. */
export interface ChosenIntensity {
  policy: IntensityPolicy;
  /** Set when the policy fell back to the slice's statistics; the panel shows it. */
  notice: string | null;
}

/**
 * Chooses MedSAM's intensity policy for a frame of a series. Colour frames
 * get `rgb`. CT gets the user's window, with the min-max over the series'
 * HU range once the volume statistics are complete. Other grayscale
 * modalities get the 0.5th/99.5th percentiles of the volume once complete.
 * Before that, or when the volume statistics are unavailable or `'off'`,
 * the slice's own statistics are used and `notice` gives the reason.
 */
export function chooseIntensity(
  modality: string,
  image: ModalityImage,
  ctWindow: CtWindowPolicy,
  status: SeriesStatisticsStatus | 'off' | undefined
): ChosenIntensity {
  if (image.samplesPerPixel === 3) {
    return { policy: { kind: 'rgb' }, notice: null };
  }
  const { volumeRange: _previous, ...sliceWindow } = ctWindow;
  const isCt = modality.trim().toUpperCase() === 'CT';
  const sliceStatistic = isCt ? "this slice's min and max HU" : "this slice's percentiles";
  const slicePolicy = (): IntensityPolicy => (isCt ? sliceWindow : computePercentilePolicy(image.values, 'slice'));

  if (status === undefined || status === 'off' || status.phase !== 'complete') {
    return { policy: slicePolicy(), notice: `${describeIncomplete(status)}, so MedSAM used ${sliceStatistic}.` };
  }
  if (isCt) {
    return { policy: { ...sliceWindow, volumeRange: status.statistics.range() }, notice: null };
  }
  try {
    return { policy: status.statistics.percentilePolicy('volume'), notice: null };
  } catch (error) {
    if (!(error instanceof MedsamError)) {
      throw error;
    }
    return { policy: slicePolicy(), notice: `The volume's percentiles are unavailable (${error.message}), so MedSAM used ${sliceStatistic}.` };
  }
}

type IncompleteStatus = Exclude<SeriesStatisticsStatus, { phase: 'complete' }> | 'off' | undefined;

function describeIncomplete(status: IncompleteStatus): string {
  if (status === 'off') {
    return 'Volume statistics are off in the MedSAM configuration (volumeStatistics: false)';
  }
  if (status === undefined) {
    return 'Volume statistics have not started for this series';
  }
  if (status.phase === 'loading') {
    return `Volume statistics are still loading (${status.framesDone} of ${status.framesTotal} slices)`;
  }
  return `Volume statistics are unavailable: ${status.reason}`;
}
