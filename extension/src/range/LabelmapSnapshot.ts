import type { CornerstoneLibraries } from '../cornerstoneTypes';
import { findLabelmapImage } from '../segmentation/writeMaskToLabelmap';

type LabelmapPixels = { [index: number]: number; length: number };

/** The labelmap slices of one segmentation as they were before a run changed them. */
export class LabelmapSnapshot {
  // Segment indices fit 16 bits: DICOM SEG numbers segments with a US value.
  private readonly before = new Map<string, Uint16Array>();

  constructor(
    private readonly libraries: CornerstoneLibraries,
    readonly segmentationId: string
  ) {}

  /** Copies the labelmap slice of `referencedImageId` the first time the run is about to change it. */
  keep(referencedImageId: string): void {
    if (this.before.has(referencedImageId)) {
      return;
    }
    const pixels = this.pixelsOf(referencedImageId);
    const copy = new Uint16Array(pixels.length);
    for (let index = 0; index < pixels.length; index++) {
      copy[index] = pixels[index]!;
    }
    this.before.set(referencedImageId, copy);
  }

  /** Number of slices kept. */
  get size(): number {
    return this.before.size;
  }

  /** Writes every kept slice back, so the labelmap is as it was before the run. */
  restore(): void {
    for (const [referencedImageId, values] of this.before) {
      const pixels = this.pixelsOf(referencedImageId);
      for (let index = 0; index < values.length; index++) {
        pixels[index] = values[index]!;
      }
    }
    this.libraries.cornerstoneTools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(
      this.segmentationId
    );
  }

  private pixelsOf(referencedImageId: string): LabelmapPixels {
    return findLabelmapImage(this.libraries, this.segmentationId, referencedImageId).getPixelData() as unknown as LabelmapPixels;
  }
}
