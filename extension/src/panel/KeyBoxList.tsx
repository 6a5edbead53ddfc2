import { Button } from '@ohif/ui-next';

import type { KeyBoxEntry } from '../range/listKeyBoxes';
import { formatPixelBox } from './formatPixelBox';

/**
 * Renders the key slices of the current segment: image number, position
 * along the slice normal and box, with buttons to show the slice or delete
 * its box. Moving or resizing a box is done with the MedSAM box tool.
 */
export function KeyBoxList({
  keyBoxes,
  onJump,
  onDelete,
}: {
  keyBoxes: readonly KeyBoxEntry[];
  onJump: (entry: KeyBoxEntry) => void;
  onDelete: (entry: KeyBoxEntry) => void;
}) {
  if (keyBoxes.length === 0) {
    return (
      <div className="text-muted-foreground" data-testid="medsam-keybox-list" data-count={0}>
        No key boxes yet: draw a MedSAM box on the first, last and a few middle slices of the lesion.
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-1" data-testid="medsam-keybox-list" data-count={keyBoxes.length}>
      {keyBoxes.map(entry => (
        <div
          key={entry.annotationUID}
          className="flex items-center justify-between gap-1"
          data-testid="medsam-keybox"
          data-slice-index={entry.sliceIndex}
          data-sop-instance-uid={entry.sopInstanceUid}
        >
          <span>
            Image {entry.sliceIndex + 1}, {entry.positionMm.toFixed(1)} mm: {formatPixelBox(entry.box)}
          </span>
          <span className="flex gap-1">
            <Button variant="ghost" size="sm" data-testid="medsam-keybox-jump" onClick={() => onJump(entry)}>
              Show
            </Button>
            <Button variant="ghost" size="sm" data-testid="medsam-keybox-delete" onClick={() => onDelete(entry)}>
              Delete
            </Button>
          </span>
        </div>
      ))}
    </div>
  );
}
