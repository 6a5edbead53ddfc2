import { createLogger } from '../logging';
import { MedsamError } from '../MedsamError';
import { buildMultipartRelated } from './buildMultipartRelated';
import { describeHttpError } from './describeHttpError';
import { joinUrl, type DicomwebRequestOptions } from './DicomwebRequestOptions';
import { fetchWithRetry } from './fetchWithRetry';
import { describeFailureReason, parseStoreResponse, type StoreResponse } from './parseStoreResponse';
import { parseJsonOrUndefined, readResponseText } from './readResponseText';

const logger = createLogger('medsam.dicomweb');

/** Options of `storeInstances`. */
export interface StoreInstancesOptions extends DicomwebRequestOptions {
  /** POST to `/studies/{uid}`, so the server rejects instances of another study. Default: `/studies`. */
  studyInstanceUid?: string;
}

/**
 * Stores DICOM Part 10 files with STOW-RS (PS3.18 10.5): one POST of a
 * `multipart/related; type="application/dicom"` body, retried on network
 * errors and 5xx. Returns the parsed response when every instance was
 * stored.
 *
 * Throws MedsamError `dicomweb/rejected` when the server refuses the
 * request (4xx) or reports any instance in its Failed SOP Sequence, and
 * `dicomweb/network` when it cannot be reached.
 */
export async function storeInstances(
  baseUrl: string,
  files: readonly ArrayBuffer[],
  options: StoreInstancesOptions = {},
): Promise<StoreResponse> {
  if (files.length === 0) {
    throw new MedsamError('dicomweb/rejected', 'storeInstances got no files; pass at least one DICOM Part 10 file.');
  }
  const path = options.studyInstanceUid ? `studies/${encodeURIComponent(options.studyInstanceUid)}` : 'studies';
  const url = joinUrl(baseUrl, path);
  const { body, contentType } = buildMultipartRelated(files);
  const what = `STOW-RS of ${files.length} instance(s)`;

  const response = await fetchWithRetry(
    url,
    {
      method: 'POST',
      headers: { Accept: 'application/dicom+json', ...options.headers, 'Content-Type': contentType },
      body,
    },
    options,
    what,
  );
  const text = await readResponseText(response);
  const parsed = parseStoreResponse(parseJsonOrUndefined(text));

  if (parsed.failed.length > 0 || response.status === 409) {
    const reasons = parsed.failed
      .map((item) => `${item.sopInstanceUid || 'unknown instance'}: ${describeFailureReason(item.failureReason)}`)
      .join('; ');
    const message = `${what} to ${url} failed for ${parsed.failed.length} instance(s) (HTTP ${response.status}): ${reasons || 'the server gave no reasons'}. Check that each file is a valid instance of a SOP class the server stores, and that no instance with the same SOP Instance UID and other content exists.`;
    logger.error(message);
    throw new MedsamError('dicomweb/rejected', message, { httpStatus: response.status });
  }
  if (!response.ok) {
    const error = describeHttpError(what, url, response.status, text);
    logger.error(error.message);
    throw error;
  }

  if (response.status === 202) {
    logger.warn(`${what} was accepted with warnings.`, {
      warnings: parsed.referenced.filter((item) => item.warningReason !== undefined).length,
    });
  }
  logger.info(`${what} succeeded.`, { url, status: response.status, stored: parsed.referenced.length });
  return parsed;
}
