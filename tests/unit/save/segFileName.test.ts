import { segFileName } from '../../../extension/src/save/downloadSegFile';

describe('segFileName', () => {
  test('names label, UTC time and UID tail', () => {
    const name = segFileName({ label: 'Phantom lesion', savedAt: '2026-12-04T17:05:09.123Z', sopInstanceUid: '2.25.1234567890' });
    expect(name).toBe('MedSAM-SEG_Phantom-lesion_20261204-170509_567890.dcm');
  });

  test('replaces path characters in the label', () => {
    const name = segFileName({ label: '../a/b:c', savedAt: '2026-12-04T17:05:09Z', sopInstanceUid: '2.25.1' });
    expect(name).toBe('MedSAM-SEG_a-b-c_20261204-170509_2251.dcm');
  });

  test('uses "segment" for a label without letters', () => {
    const name = segFileName({ label: '***', savedAt: '2026-12-04T17:05:09Z', sopInstanceUid: '2.25.1' });
    expect(name).toBe('MedSAM-SEG_segment_20261204-170509_2251.dcm');
  });
});
