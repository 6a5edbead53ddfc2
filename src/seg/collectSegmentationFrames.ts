import { MedsamError } from '../MedsamError';
import { sourceFrameKey, type PositionedSourceFrame } from './sortSourceFramesAlongNormal';
import type { ValidatedSegment, ValidatedSegmentation } from './validateSegmentationInput';
import { describeFrame } from './validateSourceImages';

/** One frame of the SEG, derived from one source frame. */
export interface SegmentationFrame {
  source: PositionedSourceFrame;
  /** 1-based rank of the source frame along the slice normal, or in input order without geometry. */
  positionIndex: number;
  /** The frame's segment in a BINARY SEG; absent in a LABELMAP SEG, whose frames hold every segment. */
  segment?: ValidatedSegment;
  /** rows x columns, row-major: 0 or 1 for BINARY, the segment number (0 = background) for LABELMAP. */
  pixels: Uint8Array | Uint16Array;
}

/**
 * Lists the frames of the SEG in the order they are written. A BINARY SEG
 * gets one frame per segment and source frame, ordered by segment number
 * and then by position. A LABELMAP SEG gets one frame per source frame.
 * Frames with no foreground are left out unless `keepEmptyFrames` is set.
 * Throws MedsamError `seg/invalid-input` when label map segments overlap.
 */
export function collectSegmentationFrames(
  validated: ValidatedSegmentation,
  keepEmptyFrames: boolean,
): SegmentationFrame[] {
  return validated.segmentationType === 'LABELMAP'
    ? collectLabelMapFrames(validated, keepEmptyFrames)
    : collectBinaryFrames(validated, keepEmptyFrames);
}

function collectBinaryFrames(validated: ValidatedSegmentation, keepEmptyFrames: boolean): SegmentationFrame[] {
  const first = validated.instances[0]!;
  const emptyMask = new Uint8Array(first.rows * first.columns);
  const frames: SegmentationFrame[] = [];

  for (const segment of validated.segments) {
    validated.frames.forEach((source, index) => {
      const mask = segment.masks.get(sourceFrameKey(source.instance.sopInstanceUid, source.frameNumber));
      const isEmpty = !mask || !mask.includes(1);
      if (isEmpty && !keepEmptyFrames) {
        return;
      }
      frames.push({ segment, source, positionIndex: index + 1, pixels: mask ?? emptyMask });
    });
  }
  return frames;
}

function collectLabelMapFrames(validated: ValidatedSegmentation, keepEmptyFrames: boolean): SegmentationFrame[] {
  const first = validated.instances[0]!;
  const pixelCount = first.rows * first.columns;
  const useSixteenBits = validated.segments.length > 255;
  const frames: SegmentationFrame[] = [];

  validated.frames.forEach((source, index) => {
    const key = sourceFrameKey(source.instance.sopInstanceUid, source.frameNumber);
    const labels = useSixteenBits ? new Uint16Array(pixelCount) : new Uint8Array(pixelCount);
    let foreground = 0;
    for (const segment of validated.segments) {
      const mask = segment.masks.get(key);
      if (!mask) {
        continue;
      }
      for (let pixel = 0; pixel < pixelCount; pixel++) {
        if (mask[pixel] !== 1) {
          continue;
        }
        const previous = labels[pixel]!;
        if (previous !== 0) {
          throw new MedsamError(
            'seg/invalid-input',
            `Segments ${previous} and ${segment.segmentNumber} overlap at pixel ${pixel} of source frame ${describeFrame(source)}, but a label map holds one segment per pixel; remove the overlap or write a BINARY SEG.`,
          );
        }
        labels[pixel] = segment.segmentNumber;
        foreground++;
      }
    }
    if (foreground > 0 || keepEmptyFrames) {
      frames.push({ source, positionIndex: index + 1, pixels: labels });
    }
  });
  return frames;
}
