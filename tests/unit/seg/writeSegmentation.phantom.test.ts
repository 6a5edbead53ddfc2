import { createPhantomSeries } from '../../../src/phantom';
import { readPart10, readSegmentation, SEG_CODES, writeSegmentation, type WriteSegmentationRequest } from '../../../src/seg';
import { readWithPydicom, runDciodvfy } from './dicomTools';

// Reversed instance order, so that sorting by position is exercised.
const phantom = createPhantomSeries({ seed: 'seg-test', reverseInstanceOrder: true });
const sourceImages = phantom.instances.map((instance) => readPart10(instance.file).dataset);
const masks = new Map(phantom.groundTruth.map((slice) => [slice.sopInstanceUid, slice.mask]));
const lesionSlices = phantom.groundTruth.filter((slice) => slice.voxelCount > 0);

function request(options: WriteSegmentationRequest['options'] = {}): WriteSegmentationRequest {
  return {
    sourceImages,
    segments: [{ segmentNumber: 1, label: 'Lesion', masks }],
    algorithm: { name: 'MedSAM', version: '0.1.0', model: { name: 'MedSAM ViT-B stand-in', version: '1', standIn: true } },
    options: { contentCreatorName: 'MEDSAM^WRITER', ...options },
  };
}

describe('writeSegmentation on the phantom', () => {
  const written = writeSegmentation(request());
  const decoded = readSegmentation(written.file);

  test('dciodvfy reports no errors', () => {
    const { errors } = runDciodvfy(written.file);
    expect(errors).toEqual([]);
  });

  test('dciodvfy reports no warnings', () => {
    const { warnings } = runDciodvfy(written.file);
    expect(warnings).toEqual([]);
  });

  test('omits empty frames by default', () => {
    expect(written.frameCount).toBe(lesionSlices.length);
    expect(decoded.frames).toHaveLength(24);
  });

  test('orders frames by ascending z', () => {
    const z = decoded.frames.map((frame) => frame.imagePositionPatient![2]);
    expect(z).toEqual(lesionSlices.map((slice) => slice.imagePositionPatient[2]));
  });

  test('round-trips every voxel by position', () => {
    for (const frame of decoded.frames) {
      const truth = phantom.groundTruth.find(
        (slice) => slice.imagePositionPatient[2] === frame.imagePositionPatient![2],
      )!;
      expect(frame.referencedSopInstanceUid).toBe(truth.sopInstanceUid);
      expect(Buffer.from(frame.mask).equals(Buffer.from(truth.mask))).toBe(true);
    }
  });

  test('keeps the study and frame of reference', () => {
    expect(decoded.studyInstanceUid).toBe(phantom.studyInstanceUid);
    expect(decoded.frameOfReferenceUid).toBe(phantom.frameOfReferenceUid);
    expect(written.studyInstanceUid).toBe(phantom.studyInstanceUid);
  });

  test('returns new series and instance UIDs', () => {
    expect(decoded.sopInstanceUid).toBe(written.sopInstanceUid);
    expect(decoded.seriesInstanceUid).toBe(written.seriesInstanceUid);
    expect(written.seriesInstanceUid).not.toBe(phantom.seriesInstanceUid);
  });

  test('describes the segment with SNOMED CT codes', () => {
    const segment = decoded.segments[0]!;
    expect(segment.label).toBe('Lesion');
    expect(segment.algorithmType).toBe('SEMIAUTOMATIC');
    expect(segment.algorithmName).toBe('MedSAM');
    expect(segment.category).toEqual(SEG_CODES.morphologicallyAbnormalStructure);
    expect(segment.type).toEqual(SEG_CODES.mass);
  });

  test('writes the algorithm identification', () => {
    const { dataset } = readPart10(written.file);
    const item = (dataset.SegmentSequence as Record<string, unknown>[])[0]!;
    const identification = (item.SegmentationAlgorithmIdentificationSequence as Record<string, unknown>[])[0]!;
    const family = (identification.AlgorithmFamilyCodeSequence as Record<string, unknown>[])[0]!;
    expect(identification.AlgorithmName).toBe('MedSAM');
    expect(identification.AlgorithmVersion).toBe('0.1.0');
    expect(identification.AlgorithmParameters).toContain('MedSAM ViT-B stand-in');
    expect(family.CodeValue).toBe('123110');
    expect(family.CodingSchemeDesignator).toBe('DCM');
  });

  test('writes dimension indices on segment and position', () => {
    const { dataset } = readPart10(written.file);
    const perFrame = dataset.PerFrameFunctionalGroupsSequence as Record<string, unknown>[];
    const indices = perFrame.map(
      (group) => ((group.FrameContentSequence as Record<string, unknown>[])[0]!.DimensionIndexValues as number[]),
    );
    const firstLesionGridIndex = lesionSlices[0]!.gridIndex;
    expect(indices[0]).toEqual([1, firstLesionGridIndex + 1]);
    expect(indices.at(-1)).toEqual([1, firstLesionGridIndex + 24]);
  });

  test('references every source image once', () => {
    const { dataset } = readPart10(written.file);
    const series = dataset.ReferencedSeriesSequence as Record<string, unknown>[];
    expect(series).toHaveLength(1);
    expect(series[0]!.SeriesInstanceUID).toBe(phantom.seriesInstanceUid);
    expect((series[0]!.ReferencedInstanceSequence as unknown[]).length).toBe(48);
  });

  test('pydicom reads the same frames', () => {
    const frames = readWithPydicom(written.file);
    expect(frames.map((frame) => frame.referencedSopInstanceUid)).toEqual(
      decoded.frames.map((frame) => frame.referencedSopInstanceUid),
    );
    frames.forEach((frame, index) => {
      const truth = lesionSlices[index]!;
      expect(frame.foreground).toBe(truth.voxelCount);
      expect(frame.firstPixels).toEqual([...truth.mask.keys()].filter((i) => truth.mask[i] === 1).slice(0, 10));
    });
  });
});

describe('writeSegmentation keepEmptyFrames', () => {
  const written = writeSegmentation(request({ keepEmptyFrames: true }));
  const decoded = readSegmentation(written.file);

  test('writes a frame per source image', () => {
    expect(decoded.frames).toHaveLength(48);
  });

  test('kept empty frames are all zero', () => {
    const empty = decoded.frames.filter((frame) => !frame.mask.includes(1));
    expect(empty).toHaveLength(24);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(written.file).errors).toEqual([]);
  });
});

describe('writeSegmentation with two lesions on a non-square phantom', () => {
  const small = createPhantomSeries({ seed: 'two-lesions', rows: 96, columns: 64, slices: 10, pixelSpacingMm: [1.5, 2.5], sliceSpacingMm: 7 });
  const sources = small.instances.map((instance) => readPart10(instance.file).dataset);
  const first = new Map(small.groundTruth.map((slice) => [slice.sopInstanceUid, slice.mask]));
  // The second lesion is the first one mirrored left to right, on the other side of the body.
  const mirrored = new Map(
    small.groundTruth.map((slice) => {
      const mask = new Uint8Array(slice.mask.length);
      for (let row = 0; row < small.rows; row++) {
        for (let column = 0; column < small.columns; column++) {
          mask[row * small.columns + column] = slice.mask[row * small.columns + (small.columns - 1 - column)]!;
        }
      }
      return [slice.sopInstanceUid, mask];
    }),
  );
  const nodule = { value: '27925004', scheme: 'SCT', meaning: 'Nodule' };
  const written = writeSegmentation({
    sourceImages: sources,
    segments: [
      { segmentNumber: 1, label: 'Lesion', masks: first },
      { segmentNumber: 2, label: 'Nodule', type: nodule, recommendedDisplayCieLab: [40000, 20000, 50000], masks: mirrored },
    ],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
  });
  const decoded = readSegmentation(written.file);
  const lesionSlices = small.groundTruth.filter((slice) => slice.voxelCount > 0);

  test('lesion lies on several slices', () => {
    expect(lesionSlices.length).toBeGreaterThan(2);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(written.file).errors).toEqual([]);
  });

  test('keeps rows and columns apart', () => {
    expect(decoded.rows).toBe(96);
    expect(decoded.columns).toBe(64);
  });

  test('describes two segments with their codes', () => {
    expect(decoded.segments.map((segment) => segment.label)).toEqual(['Lesion', 'Nodule']);
    expect(decoded.segments[0]!.type).toEqual(SEG_CODES.mass);
    expect(decoded.segments[1]!.type).toEqual(nodule);
  });

  test('orders frames by segment, then z', () => {
    const order = decoded.frames.map((frame) => [frame.segmentNumber, frame.imagePositionPatient![2]]);
    const expected = [1, 2].flatMap((segment) => lesionSlices.map((slice) => [segment, slice.imagePositionPatient[2]]));
    expect(order).toEqual(expected);
  });

  test('round-trips both segments by position', () => {
    for (const frame of decoded.frames) {
      const truth = small.groundTruth.find((slice) => slice.imagePositionPatient[2] === frame.imagePositionPatient![2])!;
      const expected = (frame.segmentNumber === 1 ? first : mirrored).get(truth.sopInstanceUid)!;
      expect(Buffer.from(frame.mask).equals(Buffer.from(expected))).toBe(true);
    }
  });

  test('pydicom reads the same foreground', () => {
    const frames = readWithPydicom(written.file);
    expect(frames.map((frame) => frame.foreground)).toEqual(
      decoded.frames.map((frame) => frame.mask.reduce((sum, value) => sum + value, 0)),
    );
  });
});
