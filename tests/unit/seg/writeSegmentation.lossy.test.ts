import { readPart10, writeSegmentation } from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';
import { readArrayBuffer, runDciodvfy } from './dicomTools';

type Dataset = ReturnType<typeof readPart10>['dataset'];

const chest = (name: string): Dataset =>
  readPart10(readArrayBuffer(dataPath('ts-matrix-ct-chest-wadoloader', `CTImage.${name}.dcm`))).dataset;

/** The real chest CT slice as JPEG Baseline: LossyImageCompression 01, ratio 8.87, ISO_10918_1. */
const jpegBaseline = () => chest('JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50');
/** The same slice as JPEG Extended: ratio 7.239, ISO_10918_1. */
const jpegExtended = () => chest('JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51');
/** The same slice uncompressed: LossyImageCompression absent. */
const uncompressed = () => chest('LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1');

/** Moves a copy of a slice along z, with a new SOP Instance UID, so that it can sit beside the original. */
function asSlice(dataset: Dataset, index: number, changes: Dataset = {}): Dataset {
  const [x, y, z] = dataset.ImagePositionPatient as number[];
  return {
    ...dataset,
    SOPInstanceUID: `2.25.${9000 + index}`,
    ImagePositionPatient: [x!, y!, z! + 5 * index],
    ...changes,
  };
}

/** Writes a one-segment SEG with a small square on every source. */
function writeOn(sources: Dataset[]) {
  const rows = sources[0]!.Rows as number;
  const columns = sources[0]!.Columns as number;
  const mask = new Uint8Array(rows * columns);
  for (let row = 200; row < 240; row++) {
    mask.fill(1, row * columns + 200, row * columns + 240);
  }
  const masks = Object.fromEntries(sources.map((source) => [source.SOPInstanceUID as string, mask]));
  const written = writeSegmentation({
    sourceImages: sources,
    segments: [{ segmentNumber: 1, label: 'Nodule', masks }],
    algorithm: { name: 'MedSAM', version: '0.1.0' },
  });
  return { file: written.file, dataset: readPart10(written.file).dataset };
}

describe('writeSegmentation on a JPEG Baseline CT slice', () => {
  const source = jpegBaseline();
  const { file, dataset } = writeOn([source]);

  test('source is lossy compressed', () => {
    expect(source.LossyImageCompression).toBe('01');
    expect(source.LossyImageCompressionRatio).toBe(8.87);
    expect(source.LossyImageCompressionMethod).toBe('ISO_10918_1');
  });

  test('marks the SEG lossy', () => {
    expect(dataset.LossyImageCompression).toBe('01');
  });

  test('copies the ratio', () => {
    expect(dataset.LossyImageCompressionRatio).toBe(8.87);
  });

  test('copies the method', () => {
    expect(dataset.LossyImageCompressionMethod).toBe('ISO_10918_1');
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(file).errors).toEqual([]);
  });
});

describe('writeSegmentation on lossy sources with different histories', () => {
  // Slice 1 is JPEG Baseline at 8.87:1 and slice 2 JPEG Extended at 7.239:1,
  // both ISO_10918_1. Slice 3 claims JPEG 2000 at 20:1.
  const sources = [
    jpegBaseline(),
    asSlice(jpegExtended(), 1),
    asSlice(jpegBaseline(), 2, { LossyImageCompressionRatio: 20, LossyImageCompressionMethod: 'ISO_15444_1' }),
  ];
  const { file, dataset } = writeOn(sources);

  test('marks the SEG lossy', () => {
    expect(dataset.LossyImageCompression).toBe('01');
  });

  test('lists each method once in source order', () => {
    expect(dataset.LossyImageCompressionMethod).toEqual(['ISO_10918_1', 'ISO_15444_1']);
  });

  test('keeps the largest ratio per method', () => {
    expect(dataset.LossyImageCompressionRatio).toEqual([8.87, 20]);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(file).errors).toEqual([]);
  });
});

describe('writeSegmentation on lossless and lossy sources', () => {
  test('one lossy source makes the SEG lossy', () => {
    const { dataset } = writeOn([uncompressed(), asSlice(jpegExtended(), 1)]);
    expect([dataset.LossyImageCompression, dataset.LossyImageCompressionRatio, dataset.LossyImageCompressionMethod]).toEqual([
      '01',
      7.239,
      'ISO_10918_1',
    ]);
  });

  test('lossless sources leave ratio and method out', () => {
    const { dataset } = writeOn([uncompressed()]);
    expect(dataset.LossyImageCompression).toBe('00');
    expect('LossyImageCompressionRatio' in dataset).toBe(false);
    expect('LossyImageCompressionMethod' in dataset).toBe(false);
  });

  test('successive steps of one source keep their order', () => {
    const twice = asSlice(jpegBaseline(), 1, {
      LossyImageCompressionRatio: [10, 4.5],
      LossyImageCompressionMethod: ['ISO_15444_1', 'ISO_10918_1'],
    });
    const { file, dataset } = writeOn([twice]);
    expect(dataset.LossyImageCompressionMethod).toEqual(['ISO_15444_1', 'ISO_10918_1']);
    expect(dataset.LossyImageCompressionRatio).toEqual([10, 4.5]);
    expect(runDciodvfy(file).errors).toEqual([]);
  });
});

describe('writeSegmentation on a JPEG 2000 source without a method', () => {
  // NEMA CT1 as lossy JPEG 2000 gives LossyImageCompressionRatio 69 and no method.
  const source = readPart10(readArrayBuffer(dataPath('ts-matrix-ct1-nema', 'CT1_J2KI.jpeg2000_lossy.91.dcm'))).dataset;
  const { file, dataset } = writeOn([source]);

  test('source has a ratio and no method', () => {
    expect(source.LossyImageCompressionRatio).toBe(69);
    expect(source.LossyImageCompressionMethod).toBeUndefined();
  });

  test('copies the ratio and writes no method', () => {
    expect(dataset.LossyImageCompression).toBe('01');
    expect(dataset.LossyImageCompressionRatio).toBe(69);
    expect('LossyImageCompressionMethod' in dataset).toBe(false);
  });

  test('dciodvfy reports no errors', () => {
    expect(runDciodvfy(file).errors).toEqual([]);
  });
});

test('writeSegmentation rejects an invalid lossy ratio', () => {
  const source = asSlice(jpegBaseline(), 1, { LossyImageCompressionRatio: 'fast' });
  expect(() => writeOn([source])).toThrow('invalid LossyImageCompressionRatio "fast"');
});
