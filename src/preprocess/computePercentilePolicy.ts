import { MedsamError } from '../MedsamError';
import type { IntensityPolicy } from './IntensityPolicy';
import type { PixelValues } from './ModalityImage';

/** Percentiles MedSAM clips non-CT images to (pre_CT_MR.py), in percent. */
export const LOW_PERCENTILE = 0.5;
export const HIGH_PERCENTILE = 99.5;

/** Integer value ranges up to this many bins use a histogram instead of a sort. */
const MAX_HISTOGRAM_BINS = 1 << 22;

/**
 * Computes the 0.5th and 99.5th percentiles of the values greater than 0,
 * as MedSAM's pre-processing does for MR and other non-CT images (numpy's
 * default 'linear' method). Pass every slice of a volume for `source:
 * 'volume'` or one frame for `source: 'slice'`; the source is recorded in
 * the policy. Throws `pixels/constant` when no value is above 0.
 */
export function computePercentilePolicy(
  frames: PixelValues | readonly PixelValues[],
  source: 'volume' | 'slice',
): Extract<IntensityPolicy, { kind: 'percentile' }> {
  const list: readonly PixelValues[] = isPixelValues(frames) ? [frames] : frames;
  const sorted = positiveValuesSorter(list);
  if (sorted.count === 0) {
    throw new MedsamError(
      'pixels/constant',
      `No pixel value is above 0 in the ${source}, so the ${LOW_PERCENTILE}th/${HIGH_PERCENTILE}th ` +
        'percentiles are undefined and MedSAM would see a black image.',
    );
  }

  return {
    kind: 'percentile',
    lowValue: linearPercentile(sorted, LOW_PERCENTILE),
    highValue: linearPercentile(sorted, HIGH_PERCENTILE),
    source,
  };
}

interface OrderStatistics {
  count: number;
  /** Value at 0-based rank `k` of the ascending order. */
  at(k: number): number;
}

/** numpy.percentile(method='linear'), including numpy's two-sided interpolation. */
function linearPercentile(sorted: OrderStatistics, percent: number): number {
  const virtualIndex = (sorted.count - 1) * (percent / 100);
  const previous = Math.floor(virtualIndex);
  if (virtualIndex >= sorted.count - 1) return sorted.at(sorted.count - 1);

  const gamma = virtualIndex - previous;
  const a = sorted.at(previous);
  const b = sorted.at(previous + 1);
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}

function positiveValuesSorter(frames: readonly PixelValues[]): OrderStatistics {
  const allInteger = frames.every((values) => !(values instanceof Float32Array || values instanceof Float64Array));
  let max = 0;
  let count = 0;
  for (const values of frames) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v > 0) {
        count++;
        if (v > max) max = v;
      }
    }
  }

  if (allInteger && max <= MAX_HISTOGRAM_BINS) return histogramStatistics(frames, max, count);
  return sortedStatistics(frames, count);
}

function histogramStatistics(frames: readonly PixelValues[], max: number, count: number): OrderStatistics {
  const histogram = new Uint32Array(max + 1);
  for (const values of frames) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v > 0) histogram[v] = (histogram[v] as number) + 1;
    }
  }
  const cumulative = new Float64Array(max + 1);
  let running = 0;
  for (let v = 0; v <= max; v++) {
    running += histogram[v] as number;
    cumulative[v] = running;
  }

  return {
    count,
    at(k: number): number {
      // Smallest value whose cumulative count exceeds k (binary search).
      let low = 1;
      let high = max;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((cumulative[mid] as number) > k) high = mid;
        else low = mid + 1;
      }
      return low;
    },
  };
}

function sortedStatistics(frames: readonly PixelValues[], count: number): OrderStatistics {
  const positive = new Float64Array(count);
  let n = 0;
  for (const values of frames) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v > 0) positive[n++] = v;
    }
  }
  positive.sort();
  return { count, at: (k: number) => positive[k] as number };
}

function isPixelValues(frames: PixelValues | readonly PixelValues[]): frames is PixelValues {
  return ArrayBuffer.isView(frames);
}
