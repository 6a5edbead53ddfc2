import { Button, ProgressLoadingBar } from '@ohif/ui-next';

import type { MedsamState } from '../MedsamState';

/** Shows how far the volume intensity statistics of the current series are. */
export function StatisticsStatus({ statistics }: { statistics: MedsamState['statistics'] }) {
  if (!statistics) {
    return null;
  }
  const { phase, framesDone, framesTotal } = statistics;
  return (
    <div className="flex flex-col gap-1" data-testid="medsam-statistics" data-phase={phase} data-frames-done={framesDone}>
      {phase === 'loading' && (
        <>
          <div>
            Volume statistics: {framesDone} of {framesTotal} slices
          </div>
          <ProgressLoadingBar progress={Math.round((100 * framesDone) / Math.max(1, framesTotal))} />
        </>
      )}
      {phase === 'complete' && <div>Volume statistics: all {framesTotal} slices</div>}
      {phase === 'unavailable' && <div className="text-yellow-400">Volume statistics unavailable: {statistics.reason}</div>}
    </div>
  );
}

/**
 * Says that a result used the slice's statistics, and offers to run the box
 * again once the volume statistics of its series are complete.
 */
export function IntensityNotice({
  notice,
  volumeReady,
  onRerun,
}: {
  notice: string | null;
  volumeReady: boolean;
  onRerun: () => void;
}) {
  if (!notice) {
    return null;
  }
  return (
    <div className="flex flex-col gap-1 text-yellow-400" data-testid="medsam-intensity-notice">
      <div>{notice}</div>
      {volumeReady && (
        <Button data-testid="medsam-rerun" onClick={onRerun}>
          Run again with the volume statistics
        </Button>
      )}
    </div>
  );
}
