import type { MeasurementState } from '../range/RangeState';

/**
 * Renders the volume, longest in-plane (axial, for an axial series)
 * diameter and slice range of the current segment, which the controller
 * measures again whenever its labelmap changes.
 */
export function MeasurementsSection({ measurement }: { measurement: MeasurementState }) {
  switch (measurement.phase) {
    case 'none':
      return <div className="text-muted-foreground" data-testid="medsam-measurements" data-phase="none">No segment yet.</div>;
    case 'empty':
      return <div className="text-muted-foreground" data-testid="medsam-measurements" data-phase="empty">The segment is empty.</div>;
    case 'error':
      return (
        <div className="text-red-400" data-testid="medsam-measurements" data-phase="error">
          {measurement.message}
        </div>
      );
    case 'ready':
      return (
        <div
          className="flex flex-col gap-1"
          data-testid="medsam-measurements"
          data-phase="ready"
          data-volume-ml={measurement.volumeMl}
          data-diameter-mm={measurement.longestDiameterMm ?? ''}
          data-first-slice={measurement.firstSliceIndex}
          data-last-slice={measurement.lastSliceIndex}
          data-slice-count={measurement.sliceCount}
        >
          <div>Volume: {measurement.volumeMl.toFixed(2)} mL</div>
          <div>
            Longest axial diameter:{' '}
            {measurement.longestDiameterMm === null
              ? 'none'
              : `${measurement.longestDiameterMm.toFixed(1)} mm on image ${(measurement.diameterSliceIndex ?? 0) + 1}`}
          </div>
          <div>
            Slices: images {measurement.firstSliceIndex + 1} to {measurement.lastSliceIndex + 1}, {measurement.sliceCount}{' '}
            with mask, {measurement.extentMm.toFixed(1)} mm apart
          </div>
        </div>
      );
  }
}
