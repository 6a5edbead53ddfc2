import { useEffect, useState } from 'react';
import { Button, ProgressLoadingBar } from '@ohif/ui-next';

import type { RangeController } from '../range/RangeController';
import type { RangeSlice, RangeState } from '../range/RangeState';
import { formatPixelBox } from './formatPixelBox';
import { KeyBoxList } from './KeyBoxList';
import { MeasurementsSection } from './MeasurementsSection';

const SELECT_CLASS = 'rounded border border-input bg-background px-2 py-1 text-white';

/**
 * Renders the range workflow of the panel: lesion segments, key boxes,
 * "Segment range" with its progress and Cancel, the per-slice review, undo
 * and the measurements of the current segment.
 */
export function RangeSection({ range }: { range: RangeController }) {
  const [state, setState] = useState<RangeState>(range.getState());
  useEffect(() => range.subscribe(setState), [range]);
  useEffect(() => range.refresh(), [range]);
  const running = state.run.phase === 'running';

  return (
    <div className="flex flex-col gap-2 px-2 py-1" data-testid="medsam-range">
      <div className="flex items-center gap-2">
        <label htmlFor="medsam-lesion-select">Lesion</label>
        <select
          id="medsam-lesion-select"
          className={SELECT_CLASS}
          data-testid="medsam-lesion-select"
          value={state.currentLesion}
          disabled={running}
          onChange={event => range.selectLesion(Number(event.target.value))}
        >
          {state.lesions.map(lesion => (
            <option key={lesion.index} value={lesion.index}>
              {lesion.index}: {lesion.label || '(no label)'}
            </option>
          ))}
        </select>
        <Button variant="ghost" size="sm" data-testid="medsam-new-lesion" disabled={running} onClick={() => range.newLesion()}>
          New lesion
        </Button>
      </div>

      <div className="text-muted-foreground">Key boxes</div>
      <KeyBoxList
        keyBoxes={state.keyBoxes}
        onJump={entry => void range.jumpTo(entry)}
        onDelete={entry => range.deleteKeyBox(entry)}
      />

      <div className="flex items-center gap-2">
        <label htmlFor="medsam-range-mode">Boxes between</label>
        <select
          id="medsam-range-mode"
          className={SELECT_CLASS}
          data-testid="medsam-range-mode"
          value={state.mode}
          disabled={running}
          onChange={event => range.setMode(event.target.value === 'propagate' ? 'propagate' : 'interpolate')}
        >
          <option value="interpolate">Interpolate key boxes</option>
          <option value="propagate">Propagate from mask</option>
        </select>
      </div>
      {state.mode === 'interpolate' && state.keyBoxes.length === 1 && (
        <NumberField
          id="medsam-repeat-slices"
          label="Slices on each side of the key box"
          value={state.repeatSlices}
          onChange={value => range.setRepeatSlices(value)}
        />
      )}
      {state.mode === 'propagate' && (
        <NumberField id="medsam-margin" label="Margin around the mask (px)" value={state.marginPx} onChange={value => range.setMarginPx(value)} />
      )}

      <PlanNote state={state} />
      <div className="flex gap-2">
        <Button
          data-testid="medsam-segment-range"
          disabled={running || state.keyBoxes.length === 0 || state.planError !== null}
          onClick={() => void range.segmentRange()}
        >
          Segment range
        </Button>
        {running && (
          <Button variant="secondary" data-testid="medsam-range-cancel" onClick={() => range.cancel()}>
            Cancel
          </Button>
        )}
      </div>
      <RunProgress run={state.run} />

      {state.review.length > 0 && (
        <Review
          review={state.review}
          disabled={running}
          onAccept={sliceIndex => range.accept(sliceIndex)}
          onReject={sliceIndex => range.reject(sliceIndex)}
        />
      )}
      <Button
        variant="secondary"
        data-testid="medsam-range-undo"
        disabled={running || state.undoableRuns === 0}
        onClick={() => range.undoRun()}
      >
        Undo last range run
      </Button>

      <div className="text-muted-foreground">Measurements</div>
      <MeasurementsSection measurement={state.measurement} />
    </div>
  );
}

function NumberField({ id, label, value, onChange }: { id: string; label: string; value: number; onChange: (value: number) => void }) {
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={id}
        className={`${SELECT_CLASS} w-16`}
        type="number"
        min={0}
        step={1}
        value={value}
        onChange={event => {
          const parsed = Number(event.target.value);
          if (Number.isInteger(parsed) && parsed >= 0) {
            onChange(parsed);
          }
        }}
      />
    </div>
  );
}

/** Renders what "Segment range" will run, with the boxes of the slices between the key slices. */
function PlanNote({ state }: { state: RangeState }) {
  if (state.planError && state.keyBoxes.length > 0) {
    return (
      <div className="text-yellow-400" data-testid="medsam-range-plan" data-count={0}>
        {state.planError}
      </div>
    );
  }
  if (state.plan.length === 0) {
    return null;
  }
  const between = state.plan.filter(entry => entry.source !== 'key');
  const first = state.plan[0]!;
  const last = state.plan[state.plan.length - 1]!;
  const boxSource =
    state.mode === 'propagate'
      ? 'boxes from the previous slice\'s mask'
      : state.keyBoxes.length === 1
        ? 'the key box repeated'
        : 'interpolated boxes';
  return (
    <details data-testid="medsam-range-plan" data-count={state.plan.length}>
      <summary>
        {state.plan.length} slice(s), images {first.sliceIndex + 1} to {last.sliceIndex + 1}: {between.length} with {boxSource}
      </summary>
      {state.plan.map(entry => (
        <div key={entry.sliceIndex} data-testid="medsam-range-plan-slice" data-slice-index={entry.sliceIndex} data-source={entry.source}>
          Image {entry.sliceIndex + 1} ({entry.source}): {entry.box ? formatPixelBox(entry.box) : 'box from the mask'}
        </div>
      ))}
    </details>
  );
}

function RunProgress({ run }: { run: RangeState['run'] }) {
  switch (run.phase) {
    case 'idle':
      return null;
    case 'running': {
      const percent = run.total > 0 ? Math.round((100 * run.done) / run.total) : 0;
      return (
        <div data-testid="medsam-range-progress" data-phase="running" data-done={run.done} data-total={run.total}>
          <div>
            {run.done} of {run.total} slice(s)
            {run.remainingMs === null ? '' : `, about ${Math.ceil(run.remainingMs / 1000)} s left`}
          </div>
          <ProgressLoadingBar progress={percent} />
        </div>
      );
    }
    case 'done':
      return (
        <div
          data-testid="medsam-range-progress"
          data-phase="done"
          data-done={run.done}
          data-total={run.total}
          data-cancelled={run.cancelled}
          data-elapsed-ms={run.elapsedMs.toFixed(0)}
        >
          {run.cancelled ? `Cancelled after ${run.done} of ${run.total} slice(s); those are kept.` : `Segmented ${run.done} slice(s).`}
        </div>
      );
    case 'error':
      return (
        <div className="text-red-400" data-testid="medsam-range-progress" data-phase="error" data-done={run.done}>
          {run.message} {run.done > 0 ? `${run.done} slice(s) were written before the error.` : ''}
        </div>
      );
  }
}

function Review({
  review,
  disabled,
  onAccept,
  onReject,
}: {
  review: readonly RangeSlice[];
  disabled: boolean;
  onAccept: (sliceIndex?: number) => void;
  onReject: (sliceIndex?: number) => void;
}) {
  return (
    <div className="flex flex-col gap-1" data-testid="medsam-range-review">
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" data-testid="medsam-range-accept-all" disabled={disabled} onClick={() => onAccept()}>
          Accept all
        </Button>
        <Button variant="secondary" size="sm" data-testid="medsam-range-reject-all" disabled={disabled} onClick={() => onReject()}>
          Reject all
        </Button>
      </div>
      {review.map(entry => (
        <div
          key={entry.sliceIndex}
          className="flex items-center justify-between gap-1"
          data-testid="medsam-range-slice"
          data-slice-index={entry.sliceIndex}
          data-position-mm={entry.positionMm}
          data-source={entry.source}
          data-status={entry.status}
          data-box={entry.box ? [entry.box.x0, entry.box.y0, entry.box.x1, entry.box.y1].join(',') : ''}
          data-encoder-ms={entry.encoderMs ?? ''}
          data-decoder-ms={entry.decoderMs ?? ''}
        >
          <span>
            Image {entry.sliceIndex + 1} ({entry.source}), {entry.maskPixels ?? 0} px: {entry.status}
          </span>
          <span className="flex gap-1">
            <Button variant="ghost" size="sm" data-testid="medsam-range-accept" disabled={disabled} onClick={() => onAccept(entry.sliceIndex)}>
              Accept
            </Button>
            <Button variant="ghost" size="sm" data-testid="medsam-range-reject" disabled={disabled} onClick={() => onReject(entry.sliceIndex)}>
              Reject
            </Button>
          </span>
        </div>
      ))}
    </div>
  );
}
