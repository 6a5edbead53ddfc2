import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { MedsamState } from '../MedsamState';
import type { SliceOutcome } from './SliceJob';

/** The last slice of a finished range run. */
export interface RangeRunRecord {
  imageId: string;
  sopInstanceUid: string;
  segmentationId: string;
  maskPixels: number;
  outcome: SliceOutcome;
  intensity: IntensityPolicy;
  /** Reason a slice of the run used its own statistics, or null when every slice used the volume's. */
  intensityNotice: string | null;
}

/**
 * Describes a finished range run as the service's `done` result, so Save
 * stores the segment it wrote. Returns null while no model is ready.
 */
export function describeRangeRun(model: MedsamState['model'], run: RangeRunRecord): MedsamState['run'] | null {
  if (model.phase !== 'ready') {
    return null;
  }
  return {
    phase: 'done',
    imageId: run.imageId,
    sopInstanceUid: run.sopInstanceUid,
    maskPixels: run.maskPixels,
    areaMm2: null,
    encoderMs: run.outcome.encoderMs,
    decoderMs: run.outcome.decoderMs,
    segmentationId: run.segmentationId,
    intensity: run.intensity,
    intensityNotice: run.intensityNotice,
    model: { name: model.modelName, standIn: model.standIn, backend: model.backend },
  };
}
