import { createPhantomSeries } from '../../../src/phantom';
import {
  LABEL_MAP_SEGMENTATION_STORAGE,
  readPart10,
  readSegmentation,
  SEG_CODES,
  SEGMENTATION_STORAGE,
  SEGMENTED_PROPERTY_CATEGORIES,
  SEGMENTED_PROPERTY_TYPES,
  writeSegmentation,
  type WriteSegmentationRequest,
} from '../../../src/seg';
import { runDciodvfy, syntheticCtSource } from './dicomTools';

// A non-square phantom (rows != columns) keeps the test fast.
const phantom = createPhantomSeries({ seed: 'labelmap-test', rows: 90, columns: 70, slices: 12, pixelSpacingMm: [1.5, 2], sliceSpacingMm: 6 });
const sourceImages = phantom.instances.map((instance) => readPart10(instance.file).dataset);
const lesionMasks = new Map(phantom.groundTruth.map((slice) => [slice.sopInstanceUid, slice.mask]));
const pixels = phantom.rows * phantom.columns;

/** A second, disjoint "lesion": a 6x6 square in the top-left corner of every other slice. */
const cystMasks = new Map(
  phantom.groundTruth
    .filter((slice) => slice.gridIndex % 2 === 0)
    .map((slice) => {
      const mask = new Uint8Array(pixels);
      for (let row = 2; row < 8; row++) {
        mask.fill(1, row * phantom.columns + 2, row * phantom.columns + 8);
      }
      return [slice.sopInstanceUid, mask];
    }),
);
const cyst = SEGMENTED_PROPERTY_TYPES.find((type) => type.meaning === 'Cyst')!;

function request(options: WriteSegmentationRequest['options'] = {}): WriteSegmentationRequest {
  return {
    sourceImages,
    segments: [
      { segmentNumber: 1, label: 'Lesion', masks: lesionMasks },
      { segmentNumber: 2, label: 'Cyst', category: SEGMENTED_PROPERTY_CATEGORIES.morphologicallyAbnormalStructure, type: cyst, masks: cystMasks },
    ],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
    options: { segmentationType: 'LABELMAP', ...options },
  };
}

describe('writeSegmentation LABELMAP', () => {
  const written = writeSegmentation(request());
  const decoded = readSegmentation(written.file);
  const { dataset } = readPart10(written.file);
  const slicesWithForeground = phantom.groundTruth.filter(
    (slice) => slice.voxelCount > 0 || cystMasks.has(slice.sopInstanceUid),
  );

  test('both segments have foreground', () => {
    expect(phantom.groundTruth.filter((slice) => slice.voxelCount > 0).length).toBeGreaterThan(2);
    expect(cystMasks.size).toBe(6);
  });

  test('uses the label map SOP class', () => {
    expect(written.sopClassUid).toBe(LABEL_MAP_SEGMENTATION_STORAGE);
    expect(dataset.SegmentationType).toBe('LABELMAP');
  });

  test('stores 8-bit pixels', () => {
    expect(dataset.BitsAllocated).toBe(8);
    expect(dataset.BitsStored).toBe(8);
    expect(dataset.HighBit).toBe(7);
  });

  test('writes one frame per slice with foreground', () => {
    expect(decoded.frameCount).toBe(slicesWithForeground.length);
  });

  test('describes background as segment 0', () => {
    expect(decoded.segments.map((segment) => segment.segmentNumber)).toEqual([0, 1, 2]);
    expect(decoded.segments[0]!.type).toEqual(SEG_CODES.background);
    expect(decoded.segments[0]!.category).toEqual(SEG_CODES.spatialAndRelationalConcept);
  });

  test('writes SegmentsOverlap NO', () => {
    expect(dataset.SegmentsOverlap).toBe('NO');
  });

  test('round-trips both segments by position', () => {
    for (const slice of phantom.groundTruth) {
      const onSlice = decoded.frames.filter((frame) => frame.imagePositionPatient![2] === slice.imagePositionPatient[2]);
      const lesion = onSlice.find((frame) => frame.segmentNumber === 1);
      const second = onSlice.find((frame) => frame.segmentNumber === 2);
      expect(lesion ? Buffer.from(lesion.mask).equals(Buffer.from(slice.mask)) : slice.voxelCount === 0).toBe(true);
      const expectedCyst = cystMasks.get(slice.sopInstanceUid);
      expect(second ? Buffer.from(second.mask).equals(Buffer.from(expectedCyst!)) : expectedCyst === undefined).toBe(true);
    }
  });

  test('dciodvfy reports only label map errors', () => {
    // dicom3tools 1.00~20220618 predates the 2024 label map class: it finds
    // no IOD for the SOP class and rejects segment 0.
    const { errors } = runDciodvfy(written.file);
    expect(errors).toEqual([
      'Error - SegmentNumber not monotonically increasing from one by one - have SegmentSequence item number 1 (from one) with SegmentNumber of 0',
      'Error - Information Object Not found',
    ]);
  });

  test('BINARY stays the default', () => {
    const binary = writeSegmentation({ ...request(), options: {} });
    expect(binary.sopClassUid).toBe(SEGMENTATION_STORAGE);
  });

  test('rejects overlapping segments', () => {
    const overlapping = request();
    overlapping.segments[1] = { ...overlapping.segments[1]!, masks: lesionMasks };
    expect(() => writeSegmentation(overlapping)).toThrow(/Segments 1 and 2 overlap at pixel \d+ of source frame/);
  });

  test('rejects an unknown segmentation type', () => {
    const invalid = request({ segmentationType: 'FRACTIONAL' as 'BINARY' });
    expect(() => writeSegmentation(invalid)).toThrow('Invalid segmentationType "FRACTIONAL"');
  });
});

describe('writeSegmentation LABELMAP with 300 segments', () => {
  const source = syntheticCtSource(15, 21);
  const segments = Array.from({ length: 300 }, (_, index) => {
    const mask = new Uint8Array(315);
    mask[index] = 1;
    return { segmentNumber: index + 1, label: `S${index + 1}`, masks: { '2.25.100': mask } };
  });
  const written = writeSegmentation({
    sourceImages: [source],
    segments,
    algorithm: { name: 'MedSAM', version: '1' },
    options: { segmentationType: 'LABELMAP' },
  });
  const decoded = readSegmentation(written.file);

  test('stores 16-bit pixels', () => {
    expect(readPart10(written.file).dataset.BitsAllocated).toBe(16);
  });

  test('round-trips every segment', () => {
    expect(decoded.frames).toHaveLength(300);
    decoded.frames.forEach((frame, index) => {
      expect(frame.segmentNumber).toBe(index + 1);
      expect(frame.mask.indexOf(1)).toBe(index);
      expect(frame.mask.reduce((sum, value) => sum + value, 0)).toBe(1);
    });
  });
});
