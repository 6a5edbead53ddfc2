import type { PixelBox, ReadyResponse } from '../../src/protocol/workerMessages';
import type { IntensityPolicy } from '../../src/preprocess/IntensityPolicy';
import type { SegmentedPropertyType } from '../../src/seg/segmentedPropertyCodes';
import type { UnsavedSegsState } from './save/SegArchiver';

/** State of the MedSAM panel, owned by `MedsamService`. */
export interface MedsamState {
  model:
    | { phase: 'idle' }
    | { phase: 'loading'; file?: string; loadedBytes?: number; totalBytes?: number; stage: string }
    | ({ phase: 'ready' } & Omit<ReadyResponse, 'type' | 'requestId'>)
    | { phase: 'error'; message: string };
  /** The intensity mapping for the next encoding. */
  intensity: IntensityPolicy;
  /** Origin of the CT window: suggested from the series (with the attribute that decided) or chosen by the user. */
  intensityOrigin: { kind: 'automatic'; reason: string } | { kind: 'user' };
  /** Volume intensity statistics of the series shown or boxed last. */
  statistics: {
    displaySetInstanceUID: string;
    phase: 'loading' | 'complete' | 'unavailable';
    framesDone: number;
    framesTotal: number;
    reason?: string;
  } | null;
  /**
   * The current lesion segment: its number in the labelmap, and the label
   * and coded type (SNOMED CT, DICOM CID 7151) that Save writes.
   */
  segment: { index: number; label: string; type: SegmentedPropertyType };
  /** Slices the worker encoded ahead, around the boxed ones, since the mode was entered. */
  preencoded: number;
  /** The last box the user drew, in image pixels. */
  box: { imageId: string; sopInstanceUid: string; pixels: PixelBox } | null;
  run:
    | { phase: 'idle' }
    | { phase: 'running'; imageId: string }
    | {
        phase: 'done';
        imageId: string;
        sopInstanceUid: string;
        maskPixels: number;
        areaMm2: number | null;
        encoderMs: number | null;
        decoderMs: number;
        segmentationId: string;
        intensity: IntensityPolicy;
        /** Reason `intensity` uses the slice's statistics instead of the volume's, or null when it uses the volume's. */
        intensityNotice: string | null;
        /** The model that produced the mask, recorded in the SEG. */
        model: { name: string; standIn: boolean; backend: string };
      }
    | { phase: 'error'; message: string };
  save:
    | { phase: 'idle' }
    | { phase: 'saving' }
    | { phase: 'saved'; sopInstanceUid: string; seriesInstanceUid: string; frames: number }
    | { phase: 'error'; message: string };
  /** SEGs that the archive has not confirmed, kept for Retry and download. */
  unsaved: UnsavedSegsState;
}
