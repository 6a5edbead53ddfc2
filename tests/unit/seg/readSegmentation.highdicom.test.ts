import { readdirSync } from 'node:fs';

import { readPart10, readSegmentation } from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';
import { readArrayBuffer, readWithPydicom } from './dicomTools';

const folder = 'seg-highdicom';
const readSeg = (name: string) => readSegmentation(readArrayBuffer(dataPath(folder, 'seg', name)));

/** The CT2 source slices, by SOP Instance UID. */
const ct2 = new Map(
  readdirSync(dataPath(folder, 'source/dicomdirtests-CT2')).map((name) => {
    const dataset = readPart10(readArrayBuffer(dataPath(folder, 'source/dicomdirtests-CT2', name))).dataset;
    return [dataset.SOPInstanceUID as string, dataset];
  }),
);

describe.each([
  ['seg_image_ct_binary.dcm', 1, 3],
  ['seg_image_ct_binary_overlap.dcm', 2, 8],
])('readSegmentation on highdicom %s', (name, segmentCount, frameCount) => {
  const file = readArrayBuffer(dataPath(folder, 'seg', name));
  const decoded = readSegmentation(file);

  test('reads every frame and segment', () => {
    expect(decoded.frames).toHaveLength(frameCount);
    expect(decoded.segments).toHaveLength(segmentCount);
  });

  test('references the CT2 sources', () => {
    for (const frame of decoded.frames) {
      expect(ct2.has(frame.referencedSopInstanceUid!)).toBe(true);
    }
  });

  test('positions match the sources', () => {
    for (const frame of decoded.frames) {
      const source = ct2.get(frame.referencedSopInstanceUid!)!;
      const expected = source.ImagePositionPatient as number[];
      frame.imagePositionPatient!.forEach((value, axis) => expect(value).toBeCloseTo(expected[axis]!, 4));
    }
  });

  test('shares the frame of reference and size', () => {
    const source = ct2.values().next().value!;
    expect(decoded.frameOfReferenceUid).toBe(source.FrameOfReferenceUID);
    expect([decoded.rows, decoded.columns]).toEqual([source.Rows, source.Columns]);
  });

  test('matches pydicom pixel by pixel', () => {
    const reference = readWithPydicom(file);
    decoded.frames.forEach((frame, index) => {
      expect(frame.segmentNumber).toBe(reference[index]!.segmentNumber);
      expect(frame.mask.reduce((sum, value) => sum + value, 0)).toBe(reference[index]!.foreground);
      expect([...frame.mask.keys()].filter((i) => frame.mask[i] === 1).slice(0, 10)).toEqual(reference[index]!.firstPixels);
    });
  });
});

describe('readSegmentation on other highdicom SEGs', () => {
  test('reads the single-frame CT SEG on CT_small', () => {
    const decoded = readSeg('seg_image_ct_binary_single_frame.dcm');
    const source = readPart10(readArrayBuffer(dataPath(folder, 'source/CT_small.dcm'))).dataset;
    expect(decoded.frames).toHaveLength(1);
    expect(decoded.frames[0]!.referencedSopInstanceUid).toBe(source.SOPInstanceUID);
    expect([decoded.rows, decoded.columns]).toEqual([128, 128]);
  });

  test('reads the CR SEG without a frame of reference', () => {
    const decoded = readSeg('seg_image_cr_binary.dcm');
    expect(decoded.frameOfReferenceUid).toBeUndefined();
    expect(decoded.frames).toHaveLength(1);
    expect(decoded.frames[0]!.imagePositionPatient).toBeUndefined();
  });

  test('reads the 20-segment slide SEG', () => {
    const decoded = readSeg('seg_image_sm_control.dcm');
    expect(decoded.segments).toHaveLength(20);
    // As dcmdump lists ReferencedSegmentNumber: segment 2 has no frame and segment 19 has two.
    const expected = [1, ...Array.from({ length: 17 }, (_, i) => i + 3), 19, 20];
    expect(decoded.frames.map((frame) => frame.segmentNumber)).toEqual(expected);
  });

  test.each(['seg_image_sm_control_labelmap.dcm', 'seg_image_sm_control_labelmap_palette_color.dcm'])(
    'reads the label map %s',
    (name) => {
      const decoded = readSeg(name);
      const binary = readSeg('seg_image_sm_control.dcm');
      expect(decoded.segmentationType).toBe('LABELMAP');
      expect(decoded.frameCount).toBe(20);
      // The same 20 control segments, one per pixel, as in the BINARY version.
      const foreground = (frames: typeof decoded.frames) =>
        frames.reduce((sum, frame) => sum + frame.mask.reduce((count, value) => count + value, 0), 0);
      expect(foreground(decoded.frames)).toBeGreaterThan(0);
      expect(new Set(decoded.frames.map((frame) => frame.segmentNumber)).size).toBeLessThanOrEqual(binary.segments.length);
    },
  );

  test.each([
    ['seg_image_ct_binary_fractional.dcm', 'SegmentationType FRACTIONAL with BitsAllocated 8'],
    ['seg_image_ct_true_fractional.dcm', 'SegmentationType FRACTIONAL with BitsAllocated 8'],
    ['seg_image_sm_dots_tiled_full.dcm', 'DimensionOrganizationType TILED_FULL'],
  ])('rejects %s with a clear error', (name, message) => {
    expect(() => readSeg(name)).toThrow(message);
  });
});
