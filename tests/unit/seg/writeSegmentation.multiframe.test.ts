import { readdirSync } from 'node:fs';

import {
  readPart10,
  readSegmentation,
  writeSegmentation,
  type SourceFrameMask,
  type WriteSegmentationRequest,
} from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';
import { readArrayBuffer, runDciodvfy } from './dicomTools';

type Dataset = ReturnType<typeof readPart10>['dataset'];

function readDataset(...parts: string[]): Dataset {
  return readPart10(readArrayBuffer(dataPath(...parts))).dataset;
}

/** Creates a pattern that differs per frame: pixel i is set when (i * 7 + frame) % 5 < 2. */
function patternMask(pixels: number, frame: number): Uint8Array {
  return Uint8Array.from({ length: pixels }, (_, i) => ((i * 7 + frame) % 5 < 2 ? 1 : 0));
}

/** ImagePositionPatient of every frame of an enhanced image, frame 1 first. */
function framePositions(dataset: Dataset): number[][] {
  const perFrame = dataset.PerFrameFunctionalGroupsSequence as Dataset[];
  return perFrame.map((groups) => ((groups.PlanePositionSequence as Dataset[])[0]!.ImagePositionPatient as number[]));
}

function frameMasks(dataset: Dataset): SourceFrameMask[] {
  const pixels = (dataset.Rows as number) * (dataset.Columns as number);
  return framePositions(dataset).map((_, index) => ({
    sopInstanceUid: dataset.SOPInstanceUID as string,
    frameNumber: index + 1,
    mask: patternMask(pixels, index),
  }));
}

type SegmentInputMasks = WriteSegmentationRequest['segments'][number]['masks'];

function request(dataset: Dataset, masks: SegmentInputMasks): WriteSegmentationRequest {
  return {
    sourceImages: [dataset],
    segments: [{ segmentNumber: 1, label: 'Pattern', masks }],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
  };
}

describe.each([
  ['Enhanced CT (2 frames)', 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.explicit_little_endian.dcm', 2],
  ['Legacy Converted Enhanced CT (3 frames)', 'ct-chest-crop-23x38x3-dcmqi/multiframe/mf.dcm', 3],
])('writeSegmentation on %s', (_name, path, frameCount) => {
  const source = readDataset(path);
  const masks = frameMasks(source);
  const written = writeSegmentation(request(source, masks));
  const decoded = readSegmentation(written.file);
  const positions = framePositions(source);

  test('source has the expected frames', () => {
    expect(positions).toHaveLength(frameCount);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(written.file).errors).toEqual([]);
  });

  test('writes one frame per source frame', () => {
    expect(decoded.frames).toHaveLength(frameCount);
  });

  test('references the source frame numbers', () => {
    const references = decoded.frames.map((frame) => frame.referencedFrameNumber).sort();
    expect(references).toEqual(positions.map((_, index) => index + 1));
    for (const frame of decoded.frames) {
      expect(frame.referencedSopInstanceUid).toBe(source.SOPInstanceUID);
    }
  });

  test('round-trips every voxel by position', () => {
    for (const frame of decoded.frames) {
      const sourceIndex = positions.findIndex((position) =>
        position.every((value, axis) => Math.abs(value - frame.imagePositionPatient![axis]!) < 1e-4),
      );
      expect(sourceIndex).toBeGreaterThanOrEqual(0);
      expect(frame.referencedFrameNumber).toBe(sourceIndex + 1);
      expect(Buffer.from(frame.mask).equals(Buffer.from(masks[sourceIndex]!.mask))).toBe(true);
    }
  });

  test('orders frames along the slice normal', () => {
    const { dataset } = readPart10(written.file);
    const shared = (dataset.SharedFunctionalGroupsSequence as Dataset[])[0]!;
    const orientation = (shared.PlaneOrientationSequence as Dataset[])[0]!.ImageOrientationPatient as number[];
    const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
    const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
    const distances = decoded.frames.map((frame) =>
      frame.imagePositionPatient!.reduce((sum, value, axis) => sum + value * normal[axis]!, 0),
    );
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  test('references the instance once', () => {
    const { dataset } = readPart10(written.file);
    const series = dataset.ReferencedSeriesSequence as Dataset[];
    expect(series).toHaveLength(1);
    expect((series[0]!.ReferencedInstanceSequence as Dataset[]).length).toBe(1);
  });

  test('keeps the frame of reference', () => {
    expect(decoded.frameOfReferenceUid).toBe(source.FrameOfReferenceUID);
  });

  test('rejects a mask without frame number', () => {
    const byUid = new Map([[source.SOPInstanceUID as string, masks[0]!.mask]]);
    expect(() => writeSegmentation(request(source, byUid))).toThrow('without a frame number');
  });

  test('rejects a frame number out of range', () => {
    const outOfRange = [{ ...masks[0]!, frameNumber: frameCount + 1 }];
    expect(() => writeSegmentation(request(source, outOfRange))).toThrow(`has frames 1 to ${frameCount}`);
  });

  test('rejects the same frame twice', () => {
    expect(() => writeSegmentation(request(source, [masks[0]!, masks[0]!]))).toThrow('has two masks for');
  });
});

describe('Legacy Converted SEG matches the single-frame SEG', () => {
  const directory = 'ct-chest-crop-23x38x3-dcmqi/image';
  const singleFrames = readdirSync(dataPath(directory))
    .filter((name) => name.endsWith('.dcm'))
    .map((name) => readDataset(directory, name));
  const multiFrame = readDataset('ct-chest-crop-23x38x3-dcmqi/multiframe/mf.dcm');
  const dcmqi = readSegmentation(readArrayBuffer(dataPath('ct-chest-crop-23x38x3-dcmqi/seg/label.seg.dcm')));
  const maskAt = (z: number) => dcmqi.frames.find((frame) => Math.abs(frame.imagePositionPatient![2] - z) < 1e-3)?.mask;

  const positions = framePositions(multiFrame);
  const masks: SourceFrameMask[] = positions.flatMap((position, index) => {
    const mask = maskAt(position[2]!);
    return mask ? [{ sopInstanceUid: multiFrame.SOPInstanceUID as string, frameNumber: index + 1, mask }] : [];
  });
  const decoded = readSegmentation(writeSegmentation(request(multiFrame, masks)).file);

  test('the two sources share positions', () => {
    const singleZ = singleFrames.map((dataset) => (dataset.ImagePositionPatient as number[])[2]).sort();
    expect(positions.map((position) => position[2]).sort()).toEqual(singleZ);
  });

  test('dcmqi liver lands on the same positions', () => {
    expect(masks.length).toBe(dcmqi.frames.length);
    for (const frame of decoded.frames) {
      const expected = maskAt(frame.imagePositionPatient![2]);
      expect(expected).toBeDefined();
      expect(Buffer.from(frame.mask).equals(Buffer.from(expected!))).toBe(true);
    }
  });
});

describe('writeSegmentation source mixes', () => {
  const multiFrame = readDataset('ct-chest-crop-23x38x3-dcmqi/multiframe/mf.dcm');
  const ultrasound = readDataset('odd/rgb-us-uncompressed__US1_UNCR.dcm');

  test('rejects images with and without geometry together', () => {
    const mixed: WriteSegmentationRequest = {
      ...request(multiFrame, []),
      sourceImages: [multiFrame, { ...ultrasound, Rows: multiFrame.Rows, Columns: multiFrame.Columns, StudyInstanceUID: multiFrame.StudyInstanceUID }],
    };
    expect(() => writeSegmentation(mixed)).toThrow('cannot mix images with and without a patient frame of reference');
  });

  test('rejects a frame at the position of another image', () => {
    const sameFrame = { ...multiFrame, SOPInstanceUID: '2.25.1234' };
    expect(() => writeSegmentation({ ...request(multiFrame, frameMasks(multiFrame)), sourceImages: [multiFrame, sameFrame] })).toThrow(
      'lie at the same position',
    );
  });
});
