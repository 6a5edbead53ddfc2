import type { SliceReference } from './SeriesSlice';

/** Formats a slice for error messages: its array index, SOP Instance UID and frame. */
export function describeSlice(sliceIndex: number, slice: SliceReference): string {
  return `slice ${sliceIndex} (SOP Instance UID ${slice.sopInstanceUid}, frame ${slice.frameNumber})`;
}
