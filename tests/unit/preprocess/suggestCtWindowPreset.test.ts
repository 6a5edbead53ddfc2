import { suggestCtWindowPreset } from '../../../src/preprocess/suggestCtWindowPreset';

describe('suggestCtWindowPreset', () => {
  it.each([
    [{ BodyPartExamined: 'HEAD' }, 'brain', 'BodyPartExamined "HEAD"'],
    [{ BodyPartExamined: 'BRAIN', SeriesDescription: 'Lung 1mm' }, 'brain', 'BodyPartExamined "BRAIN"'],
    [{ BodyPartExamined: 'HEAD_NECK' }, 'soft-tissue', 'BodyPartExamined "HEAD_NECK"'],
    [{ BodyPartExamined: 'CHEST', SeriesDescription: 'Thorax 1.0 B70f LUNG' }, 'lung', 'SeriesDescription "Thorax 1.0 B70f LUNG"'],
    [{ BodyPartExamined: 'CHEST', SeriesDescription: 'Thorax 3.0 B30f' }, 'soft-tissue', 'no head, brain or lung hint in the series'],
    [{ ProtocolName: 'CT Brain w/o' }, 'brain', 'ProtocolName "CT Brain w/o"'],
    [{ StudyDescription: 'CT PULMONARY ANGIO' }, 'lung', 'StudyDescription "CT PULMONARY ANGIO"'],
    [{ SeriesDescription: 'Abdomen portal venous' }, 'soft-tissue', 'no head, brain or lung hint in the series'],
    [{ SeriesDescription: 'Headache protocol' }, 'soft-tissue', 'no head, brain or lung hint in the series'],
    [{}, 'soft-tissue', 'no head, brain or lung hint in the series'],
  ])('%j gives %s', (series, preset, reason) => {
    expect(suggestCtWindowPreset(series)).toEqual({ preset, reason });
  });

  test('ignores attributes that are not strings', () => {
    expect(suggestCtWindowPreset({ BodyPartExamined: ['HEAD'], SeriesDescription: 'Brain' })).toEqual({
      preset: 'brain',
      reason: 'SeriesDescription "Brain"',
    });
  });
});
