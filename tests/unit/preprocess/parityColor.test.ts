import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { compareWithReference, expectParity } from './parityHarness';
import { dataFile, readModalityImage } from './realImages';

interface ColorCase {
  name: string;
  file: string;
  frame: number;
}

// The reference converts with pydicom (convert_color_space, apply_color_lut),
// and this side with applyPhotometricInterpretation on readDicomPixels' output.
const CASES: ColorCase[] = [
  { name: 'ybr-full-422-us-800x555', file: 'odd/ybr-full-422-us-uncompressed-800x555__US-YBR_FULL_422-EVRLE.dcm', frame: 0 },
  { name: 'ybr-full-422-sc-100x100', file: 'odd/ybr-full-422-uncompressed__SC_ybr_full_422_uncompressed.dcm', frame: 0 },
  { name: 'ybr-full-jpeg-sc-100x100', file: 'odd/rgb-sc-jpeg-baseline__SC_rgb_jpeg_dcmtk.dcm', frame: 0 },
  {
    name: 'ybr-full-422-jpeg-us-cine-frame-29',
    file: 'odd/rgb-us-multiframe-30f-jpeg-baseline-ybr422__examples_ybr_color.dcm',
    frame: 29,
  },
  { name: 'palette-8bit-us-800x600', file: 'odd/palette-color-us-8bit__OBXXXX1A.dcm', frame: 0 },
  { name: 'palette-16bit-segmented-us', file: 'odd/palette-color-us-16bit-segmented-lut__gdcm-US-ALOKA-16.dcm', frame: 0 },
  { name: 'ybr-rct-j2k-us', file: 'odd/rgb-us-j2k-lossless-ybr-rct__US1_J2KR.dcm', frame: 0 },
  { name: 'ybr-ict-j2k-us', file: 'odd/rgb-us-j2k-lossy-ybr-ict__US1_J2KI.dcm', frame: 0 },
];

const RGB_POLICY: IntensityPolicy = { kind: 'rgb' };

describe('preprocessForMedsam parity on YBR and PALETTE COLOR files', () => {
  const images = new Map<string, ModalityImage>();
  let results: Map<string, ReferenceResult>;

  beforeAll(async () => {
    const batch = new ReferenceBatch();
    try {
      for (const { name, file, frame } of CASES) {
        images.set(name, await readModalityImage(file, frame));
        batch.addCase({ name, kind: 'image', source: { type: 'dicom', path: dataFile(file), frame }, policy: RGB_POLICY });
      }
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 300_000);

  it.each(CASES.map((c) => c.name))('matches the reference for %s', (name) => {
    const image = images.get(name) as ModalityImage;
    const outcome = compareWithReference(image, RGB_POLICY, results.get(name) as ReferenceResult);
    expectParity(outcome);
  });
});
