import { useEffect, useState } from 'react';
import { Button, PanelSection, ProgressLoadingBar } from '@ohif/ui-next';

import type { MedsamService } from '../MedsamService';
import type { MedsamState } from '../MedsamState';
import { CtWindowControls } from './CtWindowControls';
import { describeIntensity, intensityAttributes } from './describeIntensity';
import { RangeSection } from './RangeSection';
import { SegmentEditor } from './SegmentEditor';
import { IntensityNotice, StatisticsStatus } from './StatisticsStatus';
import { UnsavedSegList } from './UnsavedSegList';

/** Renders the MedSAM side panel: model status, pre-processing, segment, the range workflow, the current box, the result and Save. */
export function MedsamPanel({ service }: { service: MedsamService }) {
  const [state, setState] = useState<MedsamState>(service.getState());
  useEffect(() => service.subscribe(setState), [service]);

  return (
    <div className="flex flex-col gap-1 p-1 text-sm text-white" data-testid="medsam-panel">
      <PanelSection defaultOpen>
        <PanelSection.Header>Model</PanelSection.Header>
        <PanelSection.Content>
          <ModelStatus model={state.model} />
        </PanelSection.Content>
      </PanelSection>

      <PanelSection defaultOpen>
        <PanelSection.Header>Pre-processing</PanelSection.Header>
        <PanelSection.Content>
          <div className="flex flex-col gap-2 px-2 py-1">
            <CtWindowControls intensity={state.intensity} origin={state.intensityOrigin} onChange={intensity => service.setIntensity(intensity)} />
            <StatisticsStatus statistics={state.statistics} />
          </div>
        </PanelSection.Content>
      </PanelSection>

      <PanelSection defaultOpen>
        <PanelSection.Header>Segment</PanelSection.Header>
        <PanelSection.Content>
          <SegmentEditor label={state.segment.label} type={state.segment.type} onChange={segment => service.setSegment(segment)} />
        </PanelSection.Content>
      </PanelSection>

      <PanelSection defaultOpen>
        <PanelSection.Header>Range</PanelSection.Header>
        <PanelSection.Content>
          <RangeSection range={service.range} />
        </PanelSection.Content>
      </PanelSection>

      <PanelSection defaultOpen>
        <PanelSection.Header>Result</PanelSection.Header>
        <PanelSection.Content>
          <div className="flex flex-col gap-2 px-2 py-1">
            <div data-testid="medsam-box">
              {state.box
                ? `Box: x ${state.box.pixels.x0.toFixed(1)}-${state.box.pixels.x1.toFixed(1)}, ` +
                  `y ${state.box.pixels.y0.toFixed(1)}-${state.box.pixels.y1.toFixed(1)} px`
                : 'Draw a box with the MedSAM tool (hotkey M).'}
            </div>
            <RunStatus run={state.run} />
            {state.preencoded > 0 && (
              <div className="text-muted-foreground" data-testid="medsam-preencoded" data-count={state.preencoded}>
                Encoded ahead: {state.preencoded} neighbouring slice(s)
              </div>
            )}
            {state.run.phase === 'done' && (
              <IntensityNotice
                notice={state.run.intensityNotice}
                volumeReady={state.statistics?.phase === 'complete'}
                onRerun={() => service.rerun()}
              />
            )}
            <Button
              data-testid="medsam-save"
              disabled={state.run.phase !== 'done' || state.save.phase === 'saving' || state.segment.label.trim() === ''}
              onClick={() => void service.save().catch(() => undefined)}
            >
              Save as DICOM SEG
            </Button>
            {state.run.phase === 'done' && state.segment.label.trim() === '' && (
              <div className="text-yellow-400" data-testid="medsam-save-hint">
                Enter a segment label to save.
              </div>
            )}
            <SaveStatus save={state.save} />
          </div>
        </PanelSection.Content>
      </PanelSection>

      <UnsavedSegList
        unsaved={state.unsaved}
        onRetry={uid => void service.retryUnsaved(uid).catch(() => undefined)}
        onDownload={uid => service.downloadUnsaved(uid)}
      />
    </div>
  );
}

function ModelStatus({ model }: { model: MedsamState['model'] }) {
  switch (model.phase) {
    case 'idle':
      return <div className="px-2 py-1" data-testid="medsam-model-status">Not loaded</div>;
    case 'loading': {
      const percent = model.totalBytes ? Math.round((100 * (model.loadedBytes ?? 0)) / model.totalBytes) : null;
      return (
        <div className="flex flex-col gap-1 px-2 py-1" data-testid="medsam-model-status" data-phase="loading">
          <div>
            {model.stage === 'download' && model.file
              ? `Downloading ${model.file}: ${formatBytes(model.loadedBytes ?? 0)} of ${formatBytes(model.totalBytes ?? 0)}`
              : `Loading (${model.stage})`}
          </div>
          <ProgressLoadingBar progress={percent ?? undefined} />
        </div>
      );
    }
    case 'ready':
      return (
        <div className="flex flex-col gap-1 px-2 py-1" data-testid="medsam-model-status" data-phase="ready">
          <div data-testid="medsam-model-name">{model.modelName}</div>
          <div data-testid="medsam-backend" data-backend={model.backend}>
            {model.backend === 'webgpu'
              ? `WebGPU, ${model.encoderPrecision} encoder`
              : `WASM, ${model.wasmThreads} thread(s), ${model.encoderPrecision} encoder`}
          </div>
          <div data-testid="medsam-embedding-storage" data-storage={model.embeddingStorage}>
            Embedding cache: {model.embeddingStorage}
          </div>
          {model.encoderNote && <div data-testid="medsam-encoder-note">{model.encoderNote}</div>}
          {model.fallbackReason && (
            <div className="text-yellow-400" data-testid="medsam-fallback">
              WebGPU not used: {model.fallbackReason}
            </div>
          )}
        </div>
      );
    case 'error':
      return (
        <div className="px-2 py-1 text-red-400" data-testid="medsam-model-status" data-phase="error">
          {model.message}
        </div>
      );
  }
}

function RunStatus({ run }: { run: MedsamState['run'] }) {
  switch (run.phase) {
    case 'idle':
      return null;
    case 'running':
      return <div data-testid="medsam-run" data-phase="running">Segmenting...</div>;
    case 'done':
      return (
        <div data-testid="medsam-run" data-phase="done" data-mask-pixels={run.maskPixels}>
          <div>
            Mask: {run.maskPixels} px{run.areaMm2 !== null ? `, ${(run.areaMm2 / 100).toFixed(2)} cm²` : ''}
          </div>
          <div data-testid="medsam-timing" data-encoder-ms={run.encoderMs ?? ''} data-decoder-ms={run.decoderMs}>
            {run.encoderMs === null ? 'Encoder: cached embedding' : `Encoder: ${run.encoderMs.toFixed(0)} ms`}, decoder:{' '}
            {run.decoderMs.toFixed(0)} ms
          </div>
          <div data-testid="medsam-run-intensity" {...intensityAttributes(run.intensity)}>
            {describeIntensity(run.intensity)}
          </div>
        </div>
      );
    case 'error':
      return (
        <div className="text-red-400" data-testid="medsam-run" data-phase="error">
          {run.message}
        </div>
      );
  }
}

function SaveStatus({ save }: { save: MedsamState['save'] }) {
  switch (save.phase) {
    case 'idle':
      return null;
    case 'saving':
      return <div data-testid="medsam-save-status" data-phase="saving">Storing in the archive...</div>;
    case 'saved':
      return (
        <div data-testid="medsam-save-status" data-phase="saved" data-sop-instance-uid={save.sopInstanceUid}>
          Stored: {save.frames} frame(s), confirmed by the archive.
        </div>
      );
    case 'error':
      return (
        <div className="text-red-400" data-testid="medsam-save-status" data-phase="error">
          {save.message}
        </div>
      );
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}
