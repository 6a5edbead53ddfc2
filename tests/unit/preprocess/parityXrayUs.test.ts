import { computePercentilePolicy } from '../../../src/preprocess/computePercentilePolicy';
import type { IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { compareWithReference, expectParity } from './parityHarness';
import { dataFile, readModalityImage } from './realImages';

const RGB_US = 'odd/rgb-us-uncompressed__US1_UNCR.dcm';
const MONOCHROME1_DX = 'odd/monochrome1-dx-8bit-169x211__dx_image.dcm';
const LARGE_CR_J2K = 'odd/monochrome1-cr-1760-j2k-lossless__RG3_J2KR.dcm';
const RLE_MR = 'odd/rle-mr-64x64__MR_small_RLE.dcm';

interface ParityCase {
  name: string;
  image: ModalityImage;
  policy: IntensityPolicy;
}

// pydicom decodes every file here itself: native, RLE, and JPEG 2000 through Pillow.
describe('preprocessForMedsam parity on US, X-ray and compressed files', () => {
  const cases: ParityCase[] = [];
  let results: Map<string, ReferenceResult>;

  beforeAll(async () => {
    const batch = new ReferenceBatch();
    try {
      const add = async (name: string, file: string, percentile: boolean) => {
        const image = await readModalityImage(file);
        const policy: IntensityPolicy = percentile ? computePercentilePolicy(image.values, 'slice') : { kind: 'rgb' };
        cases.push({ name, image, policy });
        const referencePolicy = percentile ? { kind: 'percentile', source: 'slice' } : policy;
        batch.addCase({ name, kind: 'image', source: { type: 'dicom', path: dataFile(file) }, policy: referencePolicy });
      };

      await add('rgb-us-640x480', RGB_US, false);
      await add('monochrome1-dx-169x211', MONOCHROME1_DX, true);
      await add('monochrome1-cr-1760-j2k', LARGE_CR_J2K, true);
      await add('rle-mr-64x64', RLE_MR, true);
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 120_000);

  it.each(['rgb-us-640x480', 'monochrome1-dx-169x211', 'monochrome1-cr-1760-j2k', 'rle-mr-64x64'])(
    'matches the reference for %s',
    (name) => {
      const parityCase = cases.find((c) => c.name === name) as ParityCase;
      const outcome = compareWithReference(parityCase.image, parityCase.policy, results.get(name) as ReferenceResult);
      expectParity(outcome);
    },
  );
});
