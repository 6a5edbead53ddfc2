import { readdirSync } from 'node:fs';

import { readPart10, readSegmentation, writeSegmentation } from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';
import { readArrayBuffer, readWithPydicom, runDciodvfy } from './dicomTools';

function readSeries(folder: string): ReturnType<typeof readPart10>['dataset'][] {
  const directory = dataPath(folder);
  return readdirSync(directory)
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .map((name) => readPart10(readArrayBuffer(`${directory}/${name}`)).dataset);
}

/** A deterministic pattern that is not byte aligned: pixel i is set when (i * 7 + frame) % 5 < 2. */
function patternMask(pixels: number, frame: number): Uint8Array {
  const mask = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    mask[i] = (i * 7 + frame) % 5 < 2 ? 1 : 0;
  }
  return mask;
}

describe('writeSegmentation on the 23x38 chest crop', () => {
  const sources = readSeries('ct-chest-crop-23x38x3-dcmqi/image');
  const pixels = (sources[0]!.Rows as number) * (sources[0]!.Columns as number);
  const masks = new Map(sources.map((source, index) => [source.SOPInstanceUID as string, patternMask(pixels, index)]));
  const written = writeSegmentation({
    sourceImages: sources,
    segments: [{ segmentNumber: 1, label: 'Pattern', masks }],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
  });
  const decoded = readSegmentation(written.file);

  test('frames are not byte aligned', () => {
    expect(pixels).toBe(874);
    expect(pixels % 8).not.toBe(0);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(written.file).errors).toEqual([]);
  });

  test('keeps 38 rows and 23 columns', () => {
    expect(decoded.rows).toBe(38);
    expect(decoded.columns).toBe(23);
  });

  test('round-trips every pixel', () => {
    expect(decoded.frames).toHaveLength(3);
    for (const frame of decoded.frames) {
      const expected = masks.get(frame.referencedSopInstanceUid!)!;
      expect(Buffer.from(frame.mask).equals(Buffer.from(expected))).toBe(true);
    }
  });

  test('pydicom unpacks the same pixels', () => {
    const frames = readWithPydicom(written.file);
    frames.forEach((frame) => {
      const expected = masks.get(frame.referencedSopInstanceUid)!;
      expect(frame.foreground).toBe(expected.reduce((sum, value) => sum + value, 0));
      expect(frame.firstPixels).toEqual([...expected.keys()].filter((i) => expected[i] === 1).slice(0, 10));
    });
  });

  test('reads the dcmqi SEG like pydicom', () => {
    const dcmqi = readArrayBuffer(dataPath('ct-chest-crop-23x38x3-dcmqi/seg/label.seg.dcm'));
    const ours = readSegmentation(dcmqi);
    const reference = readWithPydicom(dcmqi);
    expect(ours.frames.map((frame) => frame.mask.reduce((sum, value) => sum + value, 0))).toEqual(
      reference.map((frame) => frame.foreground),
    );
    expect(ours.frames.map((frame) => frame.referencedSopInstanceUid)).toEqual(
      reference.map((frame) => frame.referencedSopInstanceUid),
    );
  });
});

describe('writeSegmentation on the 3-slice liver CT', () => {
  const sources = readSeries('ct-liver-3slice-dcmqi/image');
  const dcmqiFile = readArrayBuffer(dataPath('ct-liver-3slice-dcmqi/seg/liver.dcm'));
  const dcmqi = readSegmentation(dcmqiFile);

  test('our reader matches pydicom on the dcmqi SEG', () => {
    const reference = readWithPydicom(dcmqiFile);
    expect(dcmqi.frames).toHaveLength(3);
    dcmqi.frames.forEach((frame, index) => {
      const expected = reference[index]!;
      expect(frame.referencedSopInstanceUid).toBe(expected.referencedSopInstanceUid);
      expect(frame.imagePositionPatient![2]).toBeCloseTo(expected.z as number, 6);
      expect(frame.mask.reduce((sum, value) => sum + value, 0)).toBe(expected.foreground);
      expect([...frame.mask.keys()].filter((i) => frame.mask[i] === 1).slice(0, 10)).toEqual(expected.firstPixels);
    });
  });

  test('dcmqi liver covers about 35k pixels per slice', () => {
    for (const frame of dcmqi.frames) {
      const count = frame.mask.reduce((sum, value) => sum + value, 0);
      expect(count).toBeGreaterThan(20_000);
      expect(count).toBeLessThan(50_000);
    }
  });

  describe('rewritten by our writer', () => {
    const masks = new Map(dcmqi.frames.map((frame) => [frame.referencedSopInstanceUid!, frame.mask]));
    const written = writeSegmentation({
      sourceImages: sources,
      segments: [{ segmentNumber: 1, label: 'Liver', masks }],
      algorithm: { name: 'MedSAM', version: '0.1.0' },
    });
    const decoded = readSegmentation(written.file);

    test('dciodvfy reports no errors', () => {
      expect(runDciodvfy(written.file).errors).toEqual([]);
    });

    test('copies the patient and study', () => {
      const { dataset } = readPart10(written.file);
      expect(dataset.PatientID).toBe('99000');
      expect(dataset.StudyInstanceUID).toBe(sources[0]!.StudyInstanceUID);
      expect(dataset.AccessionNumber).toBe(sources[0]!.AccessionNumber);
    });

    test('frames follow ascending z', () => {
      const z = decoded.frames.map((frame) => frame.imagePositionPatient![2]);
      expect(z).toEqual([...z].sort((a, b) => a - b));
    });

    test('round-trips the dcmqi masks by source image', () => {
      for (const frame of decoded.frames) {
        const expected = masks.get(frame.referencedSopInstanceUid!)!;
        expect(Buffer.from(frame.mask).equals(Buffer.from(expected))).toBe(true);
      }
    });

    test('positions match the source images', () => {
      for (const frame of decoded.frames) {
        const source = sources.find((item) => item.SOPInstanceUID === frame.referencedSopInstanceUid)!;
        expect(frame.imagePositionPatient).toEqual(source.ImagePositionPatient);
      }
    });
  });
});
