import { MedsamError } from '../MedsamError';
import type { IntensityPolicy } from './IntensityPolicy';
import type { PixelValues } from './ModalityImage';

/** Percentiles MedSAM clips non-CT images to (pre_CT_MR.py), in percent. */
export const LOW_PERCENTILE = 0.5;
export const HIGH_PERCENTILE = 99.5;

/** Integral values up to this size are counted in a histogram instead of being kept. */
const MAX_HISTOGRAM_BINS = 1 << 22;

/**
 * Most positive values kept for an exact percentile when they are not all
 * small integers (128 MiB of float64). Beyond it the volume's percentiles
 * are unavailable and callers fall back to the slice's.
 */
export const MAX_KEPT_VALUES = 1 << 24;

/** Value range of every frame added, in modality units. */
export interface ValueRange {
  min: number;
  max: number;
}

/**
 * Accumulates the intensity statistics that MedSAM's pre_CT_MR.py takes
 * over a whole volume, one frame at a time as the frames arrive. These are
 * the min and max of all values (for the CT window's min-max) and the
 * 0.5th/99.5th percentiles of the values above 0 (numpy's default 'linear'
 * method).
 *
 * Integral values (integer pixels after an integral rescale) are counted in
 * a histogram, so memory does not grow with the number of frames. Other
 * values are kept and sorted, up to `MAX_KEPT_VALUES`.
 */
export class VolumeStatistics {
  private frames = 0;
  private min = Infinity;
  private max = -Infinity;
  private positiveCount = 0;
  /** Counts per integral value while every positive value is a small integer. */
  private histogram: Uint32Array | null = new Uint32Array(0);
  /** Positive values once any of them is not a small integer. */
  private keptValues: Float64Array | null = null;
  private keptSorted = false;
  private unavailableReason: string | null = null;
  private readonly maxKeptValues: number;

  /** `maxKeptValues` lowers the limit on non-integral values kept (for tests of the limit). */
  constructor(options: { maxKeptValues?: number } = {}) {
    this.maxKeptValues = options.maxKeptValues ?? MAX_KEPT_VALUES;
  }

  /** Number of frames added so far. */
  get frameCount(): number {
    return this.frames;
  }

  /**
   * Adds one frame's modality values. Throws `pixels/invalid` for a NaN or
   * infinite value, which would make every statistic meaningless.
   */
  addFrame(values: PixelValues): void {
    let min = this.min;
    let max = this.max;
    let positive = 0;
    let maxPositive = 0;
    let integral = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) {
        throw new MedsamError(
          'pixels/invalid',
          `Frame ${this.frames + 1} has the value ${v} at index ${i}, so no volume statistics can be computed.`,
        );
      }
      if (v < min) min = v;
      if (v > max) max = v;
      if (v > 0) {
        positive++;
        if (v > maxPositive) maxPositive = v;
        if (integral && v !== Math.floor(v)) integral = false;
      }
    }
    this.min = min;
    this.max = max;
    this.frames++;
    this.positiveCount += positive;
    if (this.unavailableReason !== null || positive === 0) return;

    if (this.histogram !== null && integral && maxPositive <= MAX_HISTOGRAM_BINS) {
      this.countIntegral(values, maxPositive);
    } else {
      this.keepPositive(values, positive);
    }
  }

  /** Min and max of every value added. Throws `pixels/invalid` before the first frame. */
  range(): ValueRange {
    if (this.frames === 0) {
      throw new MedsamError('pixels/invalid', 'No frame was added, so the volume has no value range.');
    }
    return { min: this.min, max: this.max };
  }

  /**
   * Returns the `percentile` policy of the values above 0, recording
   * `source`. Throws `pixels/constant` when no value is above 0 and
   * `pixels/unsupported` when too many non-integral values were added.
   */
  percentilePolicy(source: 'volume' | 'slice'): Extract<IntensityPolicy, { kind: 'percentile' }> {
    if (this.unavailableReason !== null) {
      throw new MedsamError('pixels/unsupported', this.unavailableReason);
    }
    if (this.positiveCount === 0) {
      throw new MedsamError(
        'pixels/constant',
        `No pixel value is above 0 in the ${source}, so the ${LOW_PERCENTILE}th/${HIGH_PERCENTILE}th ` +
          'percentiles are undefined and MedSAM would see a black image.',
      );
    }
    const at = this.orderStatistic();
    return {
      kind: 'percentile',
      lowValue: linearPercentile(at, this.positiveCount, LOW_PERCENTILE),
      highValue: linearPercentile(at, this.positiveCount, HIGH_PERCENTILE),
      source,
    };
  }

  private countIntegral(values: PixelValues, maxPositive: number): void {
    let histogram = this.histogram as Uint32Array;
    if (histogram.length <= maxPositive) {
      const grown = new Uint32Array(Math.min(MAX_HISTOGRAM_BINS + 1, Math.max(maxPositive + 1, 2 * histogram.length)));
      grown.set(histogram);
      histogram = grown;
      this.histogram = grown;
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v > 0) histogram[v] = (histogram[v] as number) + 1;
    }
  }

  private keepPositive(values: PixelValues, positive: number): void {
    const previous = this.positiveCount - positive;
    if (this.positiveCount > this.maxKeptValues) {
      this.unavailableReason =
        `The volume has ${this.positiveCount} positive values that are not all small integers, more than the ` +
        `${this.maxKeptValues} that exact percentiles keep in memory.`;
      this.histogram = null;
      this.keptValues = null;
      return;
    }

    let keptValues = this.keptValues;
    if (keptValues === null || keptValues.length < this.positiveCount) {
      // Capacity doubles, so adding N frames copies O(N) values in total.
      const grown = new Float64Array(Math.min(this.maxKeptValues, Math.max(this.positiveCount, 2 * (keptValues?.length ?? 0))));
      if (keptValues !== null) grown.set(keptValues.subarray(0, previous));
      keptValues = grown;
    }
    if (this.histogram !== null) {
      // The first non-integral frame: expand the counts so far into values.
      let n = 0;
      const histogram = this.histogram;
      for (let v = 1; v < histogram.length; v++) {
        keptValues.fill(v, n, n + (histogram[v] as number));
        n += histogram[v] as number;
      }
      this.histogram = null;
    }

    let n = previous;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v > 0) keptValues[n++] = v;
    }
    this.keptValues = keptValues;
    this.keptSorted = false;
  }

  /** Returns a function from a 0-based rank of the ascending positive values to the value. */
  private orderStatistic(): (k: number) => number {
    if (this.histogram !== null) {
      const histogram = this.histogram;
      const cumulative = new Float64Array(histogram.length);
      let running = 0;
      for (let v = 0; v < histogram.length; v++) {
        running += histogram[v] as number;
        cumulative[v] = running;
      }
      const top = histogram.length - 1;
      return (k) => {
        // Smallest value whose cumulative count exceeds k (binary search).
        let low = 1;
        let high = top;
        while (low < high) {
          const mid = (low + high) >>> 1;
          if ((cumulative[mid] as number) > k) high = mid;
          else low = mid + 1;
        }
        return low;
      };
    }

    const keptValues = (this.keptValues as Float64Array).subarray(0, this.positiveCount);
    if (!this.keptSorted) {
      keptValues.sort();
      this.keptSorted = true;
    }
    return (k) => keptValues[k] as number;
  }
}

/** numpy.percentile(method='linear'), including numpy's two-sided interpolation. */
function linearPercentile(at: (k: number) => number, count: number, percent: number): number {
  const virtualIndex = (count - 1) * (percent / 100);
  const previous = Math.floor(virtualIndex);
  if (virtualIndex >= count - 1) return at(count - 1);

  const gamma = virtualIndex - previous;
  const a = at(previous);
  const b = at(previous + 1);
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}
