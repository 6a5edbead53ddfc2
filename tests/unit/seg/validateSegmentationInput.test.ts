import {
  packBinaryFrames,
  unpackBinaryFrame,
  writeSegmentation,
  type SourceImage,
  type WriteSegmentationRequest,
} from '../../../src/seg';

function source(index: number, overrides: Partial<SourceImage> = {}): SourceImage {
  return {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUid: `2.25.${100 + index}`,
    studyInstanceUid: '2.25.1',
    seriesInstanceUid: '2.25.2',
    frameOfReferenceUid: '2.25.3',
    rows: 3,
    columns: 5,
    pixelSpacingMm: [1, 1],
    imagePositionPatient: [0, 0, index * 2],
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    sliceThicknessMm: 2,
    patient: { patientName: 'TEST^PATIENT', patientId: 'P1' },
    study: {},
    ...overrides,
  };
}

const mask = (...ones: number[]): Uint8Array => {
  const values = new Uint8Array(15);
  ones.forEach((index) => (values[index] = 1));
  return values;
};

function request(overrides: Partial<WriteSegmentationRequest> = {}): WriteSegmentationRequest {
  return {
    sourceImages: [source(0), source(1)],
    segments: [{ segmentNumber: 1, label: 'Lesion', masks: { '2.25.100': mask(0, 14) } }],
    algorithm: { name: 'MedSAM', version: '1' },
    ...overrides,
  };
}

describe('writeSegmentation validation', () => {
  test('accepts a minimal typed request', () => {
    expect(writeSegmentation(request()).frameCount).toBe(1);
  });

  const cases: [string, Partial<WriteSegmentationRequest>, string][] = [
    ['no source images', { sourceImages: [] }, 'has no source images'],
    ['no segments', { segments: [] }, 'has no segments'],
    [
      'segment numbers with a gap',
      { segments: [{ segmentNumber: 2, label: 'Lesion', masks: {} }] },
      'SegmentNumber must start at 1',
    ],
    ['empty label', { segments: [{ segmentNumber: 1, label: ' ', masks: {} }] }, 'label is empty'],
    [
      'retired SRT scheme',
      { segments: [{ segmentNumber: 1, label: 'L', type: { value: 'M-03000', scheme: 'SRT', meaning: 'Mass' }, masks: {} }] },
      'retired SNOMED-RT scheme SRT',
    ],
    [
      'mask of unknown image',
      { segments: [{ segmentNumber: 1, label: 'L', masks: { '2.25.999': mask(1) } }] },
      'SOPInstanceUID 2.25.999, which is not among the source images',
    ],
    [
      'mask of wrong size',
      { segments: [{ segmentNumber: 1, label: 'L', masks: { '2.25.100': new Uint8Array(14) } }] },
      'has 14 pixels, but the source images have 15',
    ],
    [
      'mask value 255',
      { segments: [{ segmentNumber: 1, label: 'L', masks: { '2.25.100': new Uint8Array(15).fill(255) } }] },
      'has value 255 at pixel 0',
    ],
    ['missing algorithm', { algorithm: undefined }, 'but no algorithm'],
    [
      'mixed frames of reference',
      { sourceImages: [source(0), source(1, { frameOfReferenceUid: '2.25.4' })] },
      'has FrameOfReferenceUID 2.25.4',
    ],
    ['mixed studies', { sourceImages: [source(0), source(1, { studyInstanceUid: '2.25.9' })] }, 'belongs to study 2.25.9'],
    ['different sizes', { sourceImages: [source(0), source(1, { rows: 4 })] }, 'is 4x5 pixels'],
    [
      'non-parallel slices',
      { sourceImages: [source(0), source(1, { imageOrientationPatient: [0, 1, 0, 0, 0, 1] })] },
      'all source frames must be parallel',
    ],
    ['same position twice', { sourceImages: [source(0), source(1, { imagePositionPatient: [0, 0, 0] })] }, 'lie at the same position'],
    ['duplicate image', { sourceImages: [source(0), source(0)] }, 'appears twice'],
    ['invalid UID', { sourceImages: [source(0, { sopInstanceUid: '1.2.abc' })] }, '"1.2.abc" is not a valid UID'],
    [
      'all masks empty',
      { segments: [{ segmentNumber: 1, label: 'L', masks: { '2.25.100': mask() } }] },
      'Every mask of segment(s) "L" is empty',
    ],
    ['invalid content label', { options: { contentLabel: 'lower case' } }, 'Invalid contentLabel "lower case"'],
  ];

  test.each(cases)('rejects %s', (_name, overrides, message) => {
    expect(() => writeSegmentation(request(overrides))).toThrow(message);
  });

  test('errors carry code seg/invalid-input', () => {
    expect(() => writeSegmentation(request({ segments: [] }))).toThrow(
      expect.objectContaining({ code: 'seg/invalid-input' }),
    );
  });

  test('MANUAL segments need no algorithm', () => {
    const manual = request({
      algorithm: undefined,
      segments: [{ segmentNumber: 1, label: 'L', algorithmType: 'MANUAL', masks: { '2.25.100': mask(3) } }],
    });
    expect(writeSegmentation(manual).frameCount).toBe(1);
  });
});

describe('packBinaryFrames', () => {
  test('sets bit 0 for the first pixel', () => {
    expect([...packBinaryFrames([new Uint8Array([1, 0, 0, 0, 0, 0, 0, 1])], 8)]).toEqual([0x81, 0]);
  });

  test('runs on across frame boundaries', () => {
    // Two frames of 5 pixels: bits 0..4 and 5..9 of one stream.
    const packed = packBinaryFrames([new Uint8Array([0, 0, 0, 0, 1]), new Uint8Array([1, 0, 0, 0, 1])], 5);
    expect([...packed]).toEqual([0b00110000, 0b00000010]);
  });

  test('pads to an even length', () => {
    expect(packBinaryFrames([new Uint8Array(9)], 9).length).toBe(2);
    expect(packBinaryFrames([new Uint8Array(17)], 17).length).toBe(4);
  });

  test('unpacks what it packed for 874-pixel frames', () => {
    const frames = [0, 1, 2].map((frame) => Uint8Array.from({ length: 874 }, (_, i) => ((i * 3 + frame) % 7 === 0 ? 1 : 0)));
    const packed = packBinaryFrames(frames, 874);
    frames.forEach((frame, index) => {
      expect([...unpackBinaryFrame(packed, index, 874)]).toEqual([...frame]);
    });
  });

  test('unpacking past the end is rejected', () => {
    expect(() => unpackBinaryFrame(new Uint8Array(2), 2, 8)).toThrow('too few for frame 3');
  });
});
