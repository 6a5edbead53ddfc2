import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';

/** One-line description of an intensity mapping, as the panel shows it. */
export function describeIntensity(policy: IntensityPolicy): string {
  switch (policy.kind) {
    case 'ct-window':
      return `CT window W${policy.windowWidthHU}/L${policy.windowCenterHU} HU (${policy.preset ?? 'custom'})`;
    case 'percentile':
      return `Percentiles 0.5-99.5 of the ${policy.source}: ${policy.lowValue.toFixed(1)} to ${policy.highValue.toFixed(1)}`;
    case 'rgb':
      return 'RGB, unchanged';
  }
}
