import { createHash } from 'node:crypto';

import { readSegmentation } from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';
import { readArrayBuffer, readWithPydicom } from './dicomTools';

// A vendor SEG (ClariSIGMAM 1.1.6) on a 3328x2560 "For Presentation"
// mammogram, Implicit VR Little Endian. The test data has no copy of the mammogram.
const file = readArrayBuffer(dataPath('seg-thirdparty-mg-claripi/seg/seg-test-SEG.dcm'));

describe('readSegmentation on a vendor mammography SEG', () => {
  const decoded = readSegmentation(file);
  const reference = readWithPydicom(file);

  test('reads the frame size', () => {
    expect([decoded.rows, decoded.columns]).toEqual([3328, 2560]);
  });

  test('reads both segments', () => {
    expect(decoded.segments.map((segment) => [segment.segmentNumber, segment.label, segment.algorithmType])).toEqual([
      [1, 'Breast', 'AUTOMATIC'],
      [2, 'Glandular tissue', 'AUTOMATIC'],
    ]);
  });

  test('reads one frame per segment', () => {
    expect(decoded.frames.map((frame) => frame.segmentNumber)).toEqual(reference.map((frame) => frame.segmentNumber));
  });

  test('frames reference the mammogram', () => {
    for (const [index, frame] of decoded.frames.entries()) {
      expect(frame.referencedSopInstanceUid).toBe(reference[index]!.referencedSopInstanceUid);
    }
  });

  test('frames have no patient position', () => {
    expect(decoded.frames.map((frame) => frame.imagePositionPatient)).toEqual([undefined, undefined]);
    expect(reference.map((frame) => frame.z)).toEqual([null, null]);
  });

  test('foreground counts match pydicom', () => {
    expect(decoded.frames.map((frame) => frame.mask.reduce((sum, value) => sum + value, 0))).toEqual(
      reference.map((frame) => frame.foreground),
    );
  });

  test('every pixel matches pydicom', () => {
    const hashes = decoded.frames.map((frame) => createHash('sha256').update(frame.mask).digest('hex'));
    expect(hashes).toEqual(reference.map((frame) => frame.sha256));
  });
});
