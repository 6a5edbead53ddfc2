import type { CtWindowPreset } from './IntensityPolicy';

/** The DICOM attributes of a CT series that hint at the body part or the reconstruction. */
export interface CtSeriesDescription {
  BodyPartExamined?: unknown;
  SeriesDescription?: unknown;
  ProtocolName?: unknown;
  StudyDescription?: unknown;
}

/** A CT window preset chosen from the series, and the attribute that chose it. */
export interface CtWindowSuggestion {
  preset: CtWindowPreset;
  /** For example `BodyPartExamined "HEAD"`, or `no body part or lung hint` for the default. */
  reason: string;
}

const HEAD_PATTERN = /\b(head|brain|skull|cerebr\w*|cranial|neuro)\b/i;
const NECK_PATTERN = /\b(neck|headneck)\b/i;
const LUNG_PATTERN = /\b(lung|lungs|pulmo\w*)\b/i;

/**
 * Suggests one of MedSAM's CT windows for a series: brain for a head or
 * brain series, lung for a series described as a lung reconstruction,
 * soft tissue for head and neck and otherwise. Body Part Examined decides first, then Series
 * Description, Protocol Name and Study Description, in that order. A chest
 * series without a lung hint keeps soft tissue, because mediastinal and
 * abdominal lesions are read there too.
 */
export function suggestCtWindowPreset(series: CtSeriesDescription): CtWindowSuggestion {
  const candidates: [string, unknown][] = [
    ['BodyPartExamined', series.BodyPartExamined],
    ['SeriesDescription', series.SeriesDescription],
    ['ProtocolName', series.ProtocolName],
    ['StudyDescription', series.StudyDescription],
  ];
  for (const [name, value] of candidates) {
    if (typeof value !== 'string' || value.trim() === '') {
      continue;
    }
    // Body parts are coded with underscores (BodyPartExamined "HEAD_NECK"), so they count as word breaks.
    const text = value.replace(/_/g, ' ');
    if (NECK_PATTERN.test(text)) {
      // Head and neck lesions are soft tissue; the brain window would clip them.
      return { preset: 'soft-tissue', reason: `${name} "${value}"` };
    }
    if (HEAD_PATTERN.test(text)) {
      return { preset: 'brain', reason: `${name} "${value}"` };
    }
    if (LUNG_PATTERN.test(text)) {
      return { preset: 'lung', reason: `${name} "${value}"` };
    }
  }
  return { preset: 'soft-tissue', reason: 'no head, brain or lung hint in the series' };
}
