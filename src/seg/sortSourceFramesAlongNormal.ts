import type { SourceFrameGeometry, SourceInstance } from './SourceImage';

/** One frame of a source instance, the unit that a SEG frame is derived from. */
export interface SourceFrame {
  instance: SourceInstance;
  /** 1-based frame number in the instance; 1 for a single-frame image. */
  frameNumber: number;
  /** Absent when the instance has no patient geometry. */
  geometry?: SourceFrameGeometry;
}

/** A source frame with its signed distance along the slice normal, mm. */
export interface PositionedSourceFrame extends SourceFrame {
  /** Dot product of ImagePositionPatient with the slice normal, mm; 0 without patient geometry. */
  distanceMm: number;
}

/** Returns the slice normal, the cross product of the row and column direction cosines. */
export function computeSliceNormal(orientation: SourceFrameGeometry['imageOrientationPatient']): [number, number, number] {
  const [rx, ry, rz, cx, cy, cz] = orientation;
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

/** Lists every frame of the instances, in input order and frame order. */
export function listSourceFrames(instances: readonly SourceInstance[]): SourceFrame[] {
  return instances.flatMap((instance) =>
    Array.from({ length: instance.numberOfFrames }, (_, index) => ({
      instance,
      frameNumber: index + 1,
      geometry: instance.frameGeometry?.[index],
    })),
  );
}

/**
 * Sorts source frames by ascending position along the slice normal of the
 * first frame, which for an axial series is ascending z. Input order,
 * frame numbers and InstanceNumber play no part. Frames without geometry
 * keep their input order.
 */
export function sortSourceFramesAlongNormal(frames: readonly SourceFrame[]): PositionedSourceFrame[] {
  const orientation = frames[0]?.geometry?.imageOrientationPatient;
  if (!orientation) {
    return frames.map((frame) => ({ ...frame, distanceMm: 0 }));
  }
  const normal = computeSliceNormal(orientation);
  return frames
    .map((frame) => {
      const [x, y, z] = frame.geometry!.imagePositionPatient;
      return { ...frame, distanceMm: x * normal[0] + y * normal[1] + z * normal[2] };
    })
    .sort((a, b) => a.distanceMm - b.distanceMm);
}

/** Key of one source frame in the validated mask maps. */
export function sourceFrameKey(sopInstanceUid: string, frameNumber: number): string {
  return `${sopInstanceUid}#${frameNumber}`;
}
