import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  concatenateGroundTruthMasks,
  createGroundTruthReport,
  createPhantomSeries,
  GROUND_TRUTH_MASK_FILE_NAME,
  phantomFileName,
  type PhantomOptions,
} from '../src/phantom';

const HELP = `Usage: node scripts/make-phantom.mjs --out DIR [options]

Writes a synthetic CT phantom series (one CT####.dcm per instance, named by
InstanceNumber), ground-truth.json and ${GROUND_TRUTH_MASK_FILE_NAME} into DIR.

Options:
  --out DIR               output folder, created if missing (required)
  --seed N                seed for all UIDs; the same seed gives identical files
  --slices N              number of slice positions (default 48)
  --rows N, --columns N   image size in pixels (default 512 x 512)
  --pixel-spacing R,C     PixelSpacing in mm, row then column (default 0.7,0.7)
  --slice-spacing MM      distance between slice centres in mm (default 2.5)
  --slice-thickness MM    SliceThickness in mm (default: the slice spacing)
  --omit-slices I,J,...   grid indices (0 = lowest z) to leave out as a gap
  --reverse-order         InstanceNumber 1 is the highest slice
  --help                  print this text
`;

/** Parses the command line, writes the phantom, and returns the exit code. */
export function runMakePhantom(argv: string[]): number {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        seed: { type: 'string' },
        slices: { type: 'string' },
        rows: { type: 'string' },
        columns: { type: 'string' },
        'pixel-spacing': { type: 'string' },
        'slice-spacing': { type: 'string' },
        'slice-thickness': { type: 'string' },
        'omit-slices': { type: 'string' },
        'reverse-order': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }

  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.out) {
    process.stderr.write(`Missing --out DIR.\n\n${HELP}`);
    return 2;
  }

  try {
    writePhantom(values.out, buildOptions(values));
  } catch (error) {
    if (error instanceof RangeError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  return 0;
}

interface CliValues {
  seed?: string;
  slices?: string;
  rows?: string;
  columns?: string;
  'pixel-spacing'?: string;
  'slice-spacing'?: string;
  'slice-thickness'?: string;
  'omit-slices'?: string;
  'reverse-order'?: boolean;
}

function buildOptions(values: CliValues): PhantomOptions {
  const options: PhantomOptions = {
    seed: values.seed,
    slices: parseNumber('--slices', values.slices),
    rows: parseNumber('--rows', values.rows),
    columns: parseNumber('--columns', values.columns),
    sliceSpacingMm: parseNumber('--slice-spacing', values['slice-spacing']),
    sliceThicknessMm: parseNumber('--slice-thickness', values['slice-thickness']),
    omitSlices: parseList('--omit-slices', values['omit-slices']),
    reverseInstanceOrder: values['reverse-order'] ?? false,
  };
  const pixelSpacing = parseList('--pixel-spacing', values['pixel-spacing']);
  if (pixelSpacing) {
    if (pixelSpacing.length !== 2) {
      throw new RangeError(`Invalid --pixel-spacing "${values['pixel-spacing']}": expected two numbers, ROW,COLUMN.`);
    }
    options.pixelSpacingMm = [pixelSpacing[0] ?? 0, pixelSpacing[1] ?? 0];
  }
  return options;
}

function writePhantom(outputDirectory: string, options: PhantomOptions): void {
  const series = createPhantomSeries(options);
  mkdirSync(outputDirectory, { recursive: true });
  for (const instance of series.instances) {
    writeFileSync(join(outputDirectory, phantomFileName(instance.instanceNumber)), new Uint8Array(instance.file));
  }
  const report = createGroundTruthReport(series);
  writeFileSync(join(outputDirectory, 'ground-truth.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outputDirectory, GROUND_TRUTH_MASK_FILE_NAME), concatenateGroundTruthMasks(series));

  const lesionSlices = series.groundTruth.filter((slice) => slice.voxelCount > 0).length;
  process.stdout.write(
    `Wrote ${series.instances.length} CT instances (lesion on ${lesionSlices}) and the ground truth to ${outputDirectory}.\n`,
  );
}

function parseNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new RangeError(`Invalid ${flag} "${text}": expected a number.`);
  }
  return value;
}

function parseList(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) {
    return undefined;
  }
  return text.split(',').map((item) => parseNumber(flag, item.trim()) ?? Number.NaN);
}
