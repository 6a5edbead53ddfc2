import type { PixelBox } from '../protocol/workerMessages';

/** Formats a box as `{x0: …, y0: …, x1: …, y1: …}` in pixels for messages. */
export function formatBox(box: PixelBox): string {
  return `{x0: ${box.x0}, y0: ${box.y0}, x1: ${box.x1}, y1: ${box.y1}}`;
}
