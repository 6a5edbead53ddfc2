import { createHash } from 'node:crypto';

import { readPart10, readSegmentation, writeSegmentation, type WriteSegmentationRequest } from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';
import { readArrayBuffer, readWithPydicom, runDciodvfy } from './dicomTools';

type Dataset = ReturnType<typeof readPart10>['dataset'];

/** Creates a mask with a filled rectangle (inclusive bounds), rows x columns, row-major. */
function rectangleMask(rows: number, columns: number, top: number, left: number, bottom: number, right: number): Uint8Array {
  const mask = new Uint8Array(rows * columns);
  for (let row = top; row <= bottom; row++) {
    mask.fill(1, row * columns + left, row * columns + right + 1);
  }
  return mask;
}

describe.each([
  ['RGB ultrasound 640x480', 'odd/rgb-us-uncompressed__US1_UNCR.dcm', 480, 640],
  ['YBR secondary capture 100x100', 'odd/ybr-full-422-uncompressed__SC_ybr_full_422_uncompressed.dcm', 100, 100],
  ['RGB secondary capture 3x3', 'odd/rgb-3x3-odd-size__SC_rgb_small_odd.dcm', 3, 3],
])('writeSegmentation on %s', (_name, path, rows, columns) => {
  const source = readPart10(readArrayBuffer(dataPath(path))).dataset;
  const mask = rectangleMask(rows, columns, Math.floor(rows / 3), Math.floor(columns / 4), rows - 1, Math.floor(columns / 2));
  const request: WriteSegmentationRequest = {
    sourceImages: [source],
    segments: [{ segmentNumber: 1, label: 'Region', masks: { [source.SOPInstanceUID as string]: mask } }],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
  };
  const written = writeSegmentation(request);
  const { dataset } = readPart10(written.file);
  // The shared item is empty, which dcmjs reads back as an undefined item.
  const shared: Dataset = (dataset.SharedFunctionalGroupsSequence as (Dataset | undefined)[])[0] ?? {};
  const perFrame = (dataset.PerFrameFunctionalGroupsSequence as Dataset[])[0]!;

  test('source has no frame of reference', () => {
    expect(source.FrameOfReferenceUID).toBeUndefined();
    expect(source.Rows).toBe(rows);
    expect(source.Columns).toBe(columns);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(written.file).errors).toEqual([]);
  });

  test('writes no frame of reference', () => {
    expect(dataset.FrameOfReferenceUID).toBeUndefined();
    expect(dataset.PositionReferenceIndicator).toBeUndefined();
  });

  test('writes no plane geometry', () => {
    expect(shared.PixelMeasuresSequence).toBeUndefined();
    expect(shared.PlaneOrientationSequence).toBeUndefined();
    expect(perFrame.PlanePositionSequence).toBeUndefined();
  });

  test('matches the source size', () => {
    expect(dataset.Rows).toBe(rows);
    expect(dataset.Columns).toBe(columns);
  });

  test('writes an empty PatientOrientation', () => {
    expect('PatientOrientation' in dataset).toBe(true);
  });

  test('indexes frames by segment and stack position', () => {
    const labels = (dataset.DimensionIndexSequence as Dataset[]).map((item) => item.DimensionDescriptionLabel);
    expect(labels).toEqual(['ReferencedSegmentNumber', 'InStackPositionNumber']);
  });

  test('round-trips every pixel', () => {
    const decoded = readSegmentation(written.file);
    expect(decoded.frames).toHaveLength(1);
    const frame = decoded.frames[0]!;
    expect(frame.referencedSopInstanceUid).toBe(source.SOPInstanceUID);
    expect(frame.referencedFrameNumber).toBeUndefined();
    expect(frame.imagePositionPatient).toBeUndefined();
    expect(Buffer.from(frame.mask).equals(Buffer.from(mask))).toBe(true);
  });

  test('pydicom reads the same pixels', () => {
    const [frame] = readWithPydicom(written.file);
    expect(frame!.referencedSopInstanceUid).toBe(source.SOPInstanceUID);
    expect(frame!.sha256).toBe(createHash('sha256').update(mask).digest('hex'));
  });
});

describe('writeSegmentation on a 30-frame ultrasound cine', () => {
  // Only the header is used; the JPEG frames are never decoded.
  const source = readPart10(
    readArrayBuffer(dataPath('odd/rgb-us-multiframe-30f-jpeg-baseline-ybr422__examples_ybr_color.dcm')),
  ).dataset;
  const rows = source.Rows as number;
  const columns = source.Columns as number;
  const masks = [3, 17].map((frameNumber) => ({
    sopInstanceUid: source.SOPInstanceUID as string,
    frameNumber,
    mask: rectangleMask(rows, columns, frameNumber, 10, frameNumber + 20, 40),
  }));
  const written = writeSegmentation({
    sourceImages: [source],
    segments: [{ segmentNumber: 1, label: 'Region', masks }],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
  });
  const decoded = readSegmentation(written.file);

  test('source is a cine without geometry', () => {
    expect(Number(source.NumberOfFrames)).toBe(30);
    expect(source.FrameOfReferenceUID).toBeUndefined();
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(written.file).errors).toEqual([]);
  });

  test('keeps frame order and numbers', () => {
    expect(decoded.frames.map((frame) => frame.referencedFrameNumber)).toEqual([3, 17]);
  });

  test('round-trips every pixel', () => {
    decoded.frames.forEach((frame, index) => {
      expect(Buffer.from(frame.mask).equals(Buffer.from(masks[index]!.mask))).toBe(true);
    });
  });
});
