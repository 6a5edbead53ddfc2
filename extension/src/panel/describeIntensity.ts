import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';

/**
 * Describes an intensity mapping in one line, as the panel shows it. For a
 * CT window, `withRange` adds whether the min-max ran over the volume or the slice.
 */
export function describeIntensity(policy: IntensityPolicy, { withRange = true } = {}): string {
  switch (policy.kind) {
    case 'ct-window': {
      const window = `CT window W${policy.windowWidthHU}/L${policy.windowCenterHU} HU (${policy.preset ?? 'custom'})`;
      if (!withRange) {
        return window;
      }
      return `${window}, ${policy.volumeRange ? 'min-max of the volume' : 'min-max of the slice'}`;
    }
    case 'percentile':
      return `Percentiles 0.5-99.5 of the ${policy.source}: ${policy.lowValue.toFixed(1)} to ${policy.highValue.toFixed(1)}`;
    case 'rgb':
      return 'RGB, unchanged';
  }
}

/** Data attributes with the exact numbers of an intensity mapping, for tests and tooling that read the panel. */
export function intensityAttributes(policy: IntensityPolicy): Record<string, string> {
  switch (policy.kind) {
    case 'ct-window':
      return {
        'data-statistics': policy.volumeRange ? 'volume' : 'slice',
        'data-low-value': String(policy.volumeRange?.min ?? ''),
        'data-high-value': String(policy.volumeRange?.max ?? ''),
      };
    case 'percentile':
      return { 'data-statistics': policy.source, 'data-low-value': String(policy.lowValue), 'data-high-value': String(policy.highValue) };
    case 'rgb':
      return { 'data-statistics': 'none' };
  }
}
