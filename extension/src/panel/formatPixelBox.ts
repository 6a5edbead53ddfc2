import type { PixelBox } from '../../../src/protocol/workerMessages';

/** Formats a box as "x 10.0-52.5, y 20.0-61.0 px" for the panel. */
export function formatPixelBox(box: PixelBox): string {
  return `x ${box.x0.toFixed(1)}-${box.x1.toFixed(1)}, y ${box.y0.toFixed(1)}-${box.y1.toFixed(1)} px`;
}
