import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { GroundTruthReport } from '../../../src/phantom';

const cli = resolve(__dirname, '../../../scripts/make-phantom.mjs');

describe('make-phantom CLI', () => {
  let directory = '';
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'make-phantom-'));
    result = spawnSync(
      process.execPath,
      [cli, '--out', directory, '--seed', '5', '--slices', '10', '--rows', '64', '--columns', '48', '--pixel-spacing', '5,5', '--omit-slices', '2', '--reverse-order'],
      { encoding: 'utf8' },
    );
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('exits with status 0', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('writes one file per instance and the ground truth', () => {
    const names = readdirSync(directory).sort();
    expect(names.filter((name) => name.endsWith('.dcm'))).toHaveLength(9);
    expect(names).toContain('ground-truth.json');
    expect(names).toContain('ground-truth-mask.bin');
  });

  test('mask file size matches the report shape', () => {
    const report = JSON.parse(readFileSync(join(directory, 'ground-truth.json'), 'utf8')) as GroundTruthReport;
    const mask = readFileSync(join(directory, report.mask.fileName));
    expect(report.mask.shape).toEqual([9, 64, 48]);
    expect(mask.length).toBe(9 * 64 * 48);
  });

  test('report lists slices in ascending z', () => {
    const report = JSON.parse(readFileSync(join(directory, 'ground-truth.json'), 'utf8')) as GroundTruthReport;
    const z = report.slices.map((slice) => slice.imagePositionPatient[2]);
    expect(z).toEqual([...z].sort((a, b) => a - b));
    expect(report.slices[0]!.instanceNumber).toBe(9);
  });

  test('mask voxel counts match the report', () => {
    const report = JSON.parse(readFileSync(join(directory, 'ground-truth.json'), 'utf8')) as GroundTruthReport;
    const mask = readFileSync(join(directory, report.mask.fileName));
    const sliceSize = 64 * 48;
    report.slices.forEach((slice, index) => {
      let count = 0;
      for (let i = index * sliceSize; i < (index + 1) * sliceSize; i++) {
        count += mask[i]!;
      }
      expect(count).toBe(slice.voxelCount);
    });
  });

  test('invalid option exits with status 2', () => {
    const bad = spawnSync(process.execPath, [cli, '--out', directory, '--slices', 'many'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Invalid --slices "many"');
  });
});
