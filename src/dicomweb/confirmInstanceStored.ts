import { createLogger } from '../logging';
import { MedsamError, throwIfAborted } from '../MedsamError';
import { describeHttpError } from './describeHttpError';
import { joinUrl, type DicomwebRequestOptions } from './DicomwebRequestOptions';
import { fetchWithRetry } from './fetchWithRetry';
import { parseJsonOrUndefined, readResponseText } from './readResponseText';

const logger = createLogger('medsam.dicomweb');

/** Options of `confirmInstanceStored`. */
export interface ConfirmInstanceOptions extends DicomwebRequestOptions {
  /** QIDO-RS queries before giving up, for servers that index asynchronously. Default 3. */
  attempts?: number;
  /** Wait between queries, ms. Default 1000. */
  intervalMs?: number;
}

/**
 * Confirms with QIDO-RS (`/studies/{study}/instances?SOPInstanceUID=...`)
 * that the server lists an instance, querying again while it does not.
 * Throws MedsamError `dicomweb/not-confirmed` when the instance is still
 * missing after the last query, and `dicomweb/rejected` on a 4xx.
 */
export async function confirmInstanceStored(
  baseUrl: string,
  studyInstanceUid: string,
  sopInstanceUid: string,
  options: ConfirmInstanceOptions = {},
): Promise<void> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const intervalMs = options.intervalMs ?? 1000;
  const url = joinUrl(
    baseUrl,
    `studies/${encodeURIComponent(studyInstanceUid)}/instances?SOPInstanceUID=${encodeURIComponent(sopInstanceUid)}`,
  );
  const what = `QIDO-RS query for instance ${sopInstanceUid}`;

  for (let attempt = 1; attempt <= attempts; attempt++) {
    const response = await fetchWithRetry(
      url,
      { method: 'GET', headers: { Accept: 'application/dicom+json', ...options.headers } },
      options,
      what,
    );
    const text = await readResponseText(response);
    // Servers return 204 or an empty array, and some 404, when nothing matches.
    if (!response.ok && response.status !== 404) {
      throw describeHttpError(what, url, response.status, text);
    }
    if (listsInstance(parseJsonOrUndefined(text), sopInstanceUid)) {
      logger.info('Confirmed stored instance.', { sopInstanceUid, attempt });
      return;
    }
    if (attempt < attempts) {
      throwIfAborted(options.signal, what);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  const message = `The server at ${baseUrl} does not list instance ${sopInstanceUid} in study ${studyInstanceUid} after ${attempts} QIDO-RS queries, although STOW-RS reported it stored. Check the server's storage and indexing.`;
  logger.error(message);
  throw new MedsamError('dicomweb/not-confirmed', message);
}

function listsInstance(json: unknown, sopInstanceUid: string): boolean {
  if (!Array.isArray(json)) {
    return false;
  }
  return json.some((item) => {
    const value = (item as Record<string, { Value?: unknown[] } | undefined>)?.['00080018']?.Value?.[0];
    return value === sopInstanceUid;
  });
}
