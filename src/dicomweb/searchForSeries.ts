import { describeHttpError } from './describeHttpError';
import { joinUrl, type DicomwebRequestOptions } from './DicomwebRequestOptions';
import { fetchWithRetry } from './fetchWithRetry';
import { parseJsonOrUndefined, readResponseText } from './readResponseText';

/** A dataset in the DICOM JSON model, keyed by 8-digit hex tag. */
export type DicomJsonDataset = Record<string, { vr: string; Value?: unknown[] } | undefined>;

/** Options of `searchForSeries`. */
export interface SearchForSeriesOptions extends DicomwebRequestOptions {
  /** Extra QIDO-RS query parameters, e.g. `{ Modality: 'SEG' }`. */
  query?: Record<string, string>;
}

/**
 * Lists the series of a study with QIDO-RS (`/studies/{study}/series`).
 * Returns an empty array when nothing matches (200 with [] or 204).
 */
export async function searchForSeries(
  baseUrl: string,
  studyInstanceUid: string,
  options: SearchForSeriesOptions = {},
): Promise<DicomJsonDataset[]> {
  const query = new URLSearchParams(options.query ?? {}).toString();
  const url = joinUrl(baseUrl, `studies/${encodeURIComponent(studyInstanceUid)}/series${query ? `?${query}` : ''}`);
  const what = `QIDO-RS search for the series of study ${studyInstanceUid}`;
  const response = await fetchWithRetry(
    url,
    { method: 'GET', headers: { Accept: 'application/dicom+json', ...options.headers } },
    options,
    what,
  );
  const text = await readResponseText(response);
  if (!response.ok) {
    throw describeHttpError(what, url, response.status, text);
  }
  const json = parseJsonOrUndefined(text);
  return Array.isArray(json) ? (json as DicomJsonDataset[]) : [];
}
