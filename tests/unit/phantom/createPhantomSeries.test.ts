import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPhantomSeries, PHANTOM_HU, type PhantomSeries } from '../../../src/phantom';
import { readPart10 } from '../../../src/seg/readPart10';

function readHu(file: ArrayBuffer, row: number, column: number): number {
  const { dataset } = readPart10(file);
  const pixels = (dataset.PixelData as ArrayBuffer[])[0]!;
  const columns = dataset.Columns as number;
  const stored = new DataView(pixels).getInt16((row * columns + column) * 2, true);
  return stored * (dataset.RescaleSlope as number) + (dataset.RescaleIntercept as number);
}

function pixelOf(series: PhantomSeries, xMm: number, yMm: number): { row: number; column: number } {
  const [x0, y0] = series.instances[0]!.imagePositionPatient;
  return {
    column: Math.round((xMm - x0) / series.pixelSpacingMm[1]),
    row: Math.round((yMm - y0) / series.pixelSpacingMm[0]),
  };
}

describe('createPhantomSeries with defaults', () => {
  const series = createPhantomSeries({ seed: 'defaults' });
  const middle = series.groundTruth.find((slice) => slice.imagePositionPatient[2] === 1.25)!;
  const middleFile = series.instances.find((item) => item.sopInstanceUid === middle.sopInstanceUid)!.file;

  test('creates 48 slices of 512x512', () => {
    expect(series.instances).toHaveLength(48);
    expect(series.rows).toBe(512);
    expect(series.columns).toBe(512);
  });

  test('lesion spans 24 slices', () => {
    const lesionSlices = series.groundTruth.filter((slice) => slice.voxelCount > 0);
    expect(lesionSlices).toHaveLength(24);
  });

  test('ground truth is in ascending z', () => {
    const z = series.groundTruth.map((slice) => slice.imagePositionPatient[2]);
    expect(z).toEqual([...z].sort((a, b) => a - b));
  });

  test('pixels hold the documented HU', () => {
    const lesion = pixelOf(series, 50, -10);
    const tissue = pixelOf(series, -100, 0);
    const spine = pixelOf(series, 0, 70);
    expect(readHu(middleFile, lesion.row, lesion.column)).toBe(90);
    expect(readHu(middleFile, tissue.row, tissue.column)).toBe(PHANTOM_HU.softTissue);
    expect(readHu(middleFile, spine.row, spine.column)).toBe(PHANTOM_HU.spine);
    expect(readHu(middleFile, 0, 0)).toBe(PHANTOM_HU.air);
  });

  test('mask matches the ellipsoid at every voxel centre', () => {
    const { centerMm, semiAxesMm } = series.lesion;
    const [x0, y0, z] = middle.imagePositionPatient;
    let mismatches = 0;
    for (let row = 0; row < series.rows; row++) {
      for (let column = 0; column < series.columns; column++) {
        const x = x0 + column * series.pixelSpacingMm[1];
        const y = y0 + row * series.pixelSpacingMm[0];
        const inside =
          ((x - centerMm[0]) / semiAxesMm[0]) ** 2 +
            ((y - centerMm[1]) / semiAxesMm[1]) ** 2 +
            ((z - centerMm[2]) / semiAxesMm[2]) ** 2 <=
          1;
        if ((middle.mask[row * series.columns + column] === 1) !== inside) {
          mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });

  test('bounding box encloses the mask', () => {
    const box = middle.boundingBox!;
    // Semi-axes 25 x 20 mm at 0.7 mm: about 71 x 57 pixels across.
    expect(box.xMax - box.xMin + 1).toBeGreaterThan(68);
    expect(box.xMax - box.xMin + 1).toBeLessThan(74);
    expect(box.yMax - box.yMin + 1).toBeGreaterThan(54);
    expect(box.yMax - box.yMin + 1).toBeLessThan(60);
  });
});

describe('createPhantomSeries options', () => {
  const small = { rows: 64, columns: 80, slices: 12, pixelSpacingMm: [5, 4] as [number, number] };

  test('same seed gives identical bytes', () => {
    const first = createPhantomSeries({ ...small, seed: 42 });
    const second = createPhantomSeries({ ...small, seed: 42 });
    expect(Buffer.from(first.instances[3]!.file).equals(Buffer.from(second.instances[3]!.file))).toBe(true);
    expect(first.studyInstanceUid).toBe(second.studyInstanceUid);
  });

  test('different seeds give different UIDs', () => {
    const first = createPhantomSeries({ ...small, seed: 1 });
    const second = createPhantomSeries({ ...small, seed: 2 });
    expect(first.studyInstanceUid).not.toBe(second.studyInstanceUid);
  });

  test('UIDs are 2.25 decimal UIDs within 64 characters', () => {
    const series = createPhantomSeries({ ...small, seed: 3 });
    const uids = [series.studyInstanceUid, series.seriesInstanceUid, ...series.instances.map((i) => i.sopInstanceUid)];
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
    }
    expect(new Set(uids).size).toBe(uids.length);
  });

  test('reverseInstanceOrder puts the highest slice first', () => {
    const series = createPhantomSeries({ ...small, reverseInstanceOrder: true });
    const z = series.instances.map((item) => item.imagePositionPatient[2]);
    expect(series.instances[0]!.instanceNumber).toBe(1);
    expect(z).toEqual([...z].sort((a, b) => b - a));
  });

  test('omitSlices leaves a gap', () => {
    const series = createPhantomSeries({ ...small, omitSlices: [5, 6] });
    const gridIndices = series.groundTruth.map((slice) => slice.gridIndex);
    expect(series.instances).toHaveLength(10);
    expect(gridIndices).toEqual([0, 1, 2, 3, 4, 7, 8, 9, 10, 11]);
  });

  test('anisotropic spacing reaches the header', () => {
    const series = createPhantomSeries({ ...small, sliceSpacingMm: 5, sliceThicknessMm: 3 });
    const { dataset } = readPart10(series.instances[0]!.file);
    expect(dataset.PixelSpacing).toEqual([5, 4]);
    expect(dataset.SliceThickness).toBe(3);
    expect(dataset.SpacingBetweenSlices).toBe(5);
    expect(series.instances[1]!.imagePositionPatient[2] - series.instances[0]!.imagePositionPatient[2]).toBe(5);
  });

  test('invalid rows names the value', () => {
    expect(() => createPhantomSeries({ rows: 0 })).toThrow('Invalid rows 0');
  });

  test('omitting every slice is rejected', () => {
    expect(() => createPhantomSeries({ slices: 2, omitSlices: [0, 1] })).toThrow(RangeError);
  });

  test('out-of-range omitSlices entry names the value', () => {
    expect(() => createPhantomSeries({ slices: 4, omitSlices: [4] })).toThrow('Invalid omitSlices entry 4');
  });
});

describe('createPhantomSeries files', () => {
  const series = createPhantomSeries({ rows: 96, columns: 96, slices: 4, pixelSpacingMm: [3.5, 3.5], seed: 9 });
  let directory = '';

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'phantom-'));
    series.instances.forEach((item) => writeFileSync(join(directory, `${item.instanceNumber}.dcm`), new Uint8Array(item.file)));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('dciodvfy reports no errors or warnings', () => {
    for (const item of series.instances) {
      const result = spawnSync('dciodvfy', [join(directory, `${item.instanceNumber}.dcm`)], { encoding: 'utf8' });
      const findings = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((line) => /^(Error|Warning)/.test(line));
      expect(findings).toEqual([]);
    }
  });

  test('pydicom reads the HU values', () => {
    const script = [
      'import sys, pydicom',
      'ds = pydicom.dcmread(sys.argv[1])',
      'hu = ds.pixel_array.astype(int) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)',
      'print(ds.file_meta.TransferSyntaxUID, ds.SOPClassUID, hu.min(), hu.max())',
    ].join('\n');
    const result = spawnSync('/usr/bin/python3', ['-c', script, join(directory, '1.dcm')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('1.2.840.10008.1.2.1 1.2.840.10008.5.1.4.1.1.2 -1000 700');
  });
});
