import { Button, PanelSection } from '@ohif/ui-next';

import type { UnsavedSegsState, UnsavedSegSummary } from '../save/SegArchiver';

interface UnsavedSegListProps {
  unsaved: UnsavedSegsState;
  onRetry: (sopInstanceUid: string) => void;
  onDownload: (sopInstanceUid: string) => void;
}

/**
 * Renders the SEGs that the archive has not confirmed, each with its last
 * error, Retry and "Download .dcm", and the last IndexedDB failure. Renders
 * nothing while both are empty.
 */
export function UnsavedSegList({ unsaved, onRetry, onDownload }: UnsavedSegListProps) {
  if (unsaved.entries.length === 0 && !unsaved.storageError) {
    return null;
  }
  return (
    <PanelSection defaultOpen>
      <PanelSection.Header>Unsaved results ({unsaved.entries.length})</PanelSection.Header>
      <PanelSection.Content>
        <div className="flex flex-col gap-2 px-2 py-1" data-testid="medsam-unsaved-list">
          {unsaved.storageError && (
            <div className="text-yellow-400" data-testid="medsam-storage-error">
              {unsaved.storageError}
            </div>
          )}
          {unsaved.entries.map(entry => (
            <UnsavedSegItem key={entry.sopInstanceUid} entry={entry} onRetry={onRetry} onDownload={onDownload} />
          ))}
        </div>
      </PanelSection.Content>
    </PanelSection>
  );
}

function UnsavedSegItem({ entry, onRetry, onDownload }: { entry: UnsavedSegSummary } & Omit<UnsavedSegListProps, 'unsaved'>) {
  return (
    <div
      className="flex flex-col gap-1 border-t border-gray-700 pt-1"
      data-testid="medsam-unsaved-entry"
      data-sop-instance-uid={entry.sopInstanceUid}
      data-storing={String(entry.storing)}
      data-kept={String(entry.kept)}
    >
      <div>
        <span className="font-semibold">{entry.label}</span>, {entry.frames} frame(s), {formatKiB(entry.byteLength)}
      </div>
      <div className="text-muted-foreground">
        Study {entry.studyInstanceUid}, written {new Date(entry.savedAt).toLocaleString()}
        {entry.kept ? '' : ', not kept in this browser'}
      </div>
      {entry.storing && <div data-testid="medsam-unsaved-storing">Storing in the archive...</div>}
      {!entry.storing && !entry.lastError && (
        <div className="text-yellow-400" data-testid="medsam-unsaved-error">
          The archive has not confirmed this SEG: the page was closed or reloaded while it was being stored.
        </div>
      )}
      {!entry.storing && entry.lastError && (
        <div className="text-red-400" data-testid="medsam-unsaved-error">
          {entry.lastError}
        </div>
      )}
      <div className="flex gap-2">
        <Button data-testid="medsam-unsaved-retry" disabled={entry.storing} onClick={() => onRetry(entry.sopInstanceUid)}>
          Retry
        </Button>
        <Button data-testid="medsam-unsaved-download" onClick={() => onDownload(entry.sopInstanceUid)}>
          Download .dcm
        </Button>
      </div>
    </div>
  );
}

function formatKiB(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}
