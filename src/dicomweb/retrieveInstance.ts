import { MedsamError } from '../MedsamError';
import { describeHttpError } from './describeHttpError';
import { joinUrl, type DicomwebRequestOptions } from './DicomwebRequestOptions';
import { fetchWithRetry } from './fetchWithRetry';
import { parseMultipartRelated } from './parseMultipartRelated';
import { readResponseText } from './readResponseText';

/** UIDs that address one instance. */
export interface InstanceAddress {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

/**
 * Retrieves one instance with WADO-RS as a DICOM Part 10 file, in the
 * transfer syntax the server stores (`transfer-syntax=*`). Throws
 * MedsamError `dicomweb/rejected` on a 4xx or when the response contains no
 * part.
 */
export async function retrieveInstance(
  baseUrl: string,
  address: InstanceAddress,
  options: DicomwebRequestOptions = {},
): Promise<ArrayBuffer> {
  const url = joinUrl(
    baseUrl,
    [
      'studies',
      encodeURIComponent(address.studyInstanceUid),
      'series',
      encodeURIComponent(address.seriesInstanceUid),
      'instances',
      encodeURIComponent(address.sopInstanceUid),
    ].join('/'),
  );
  const what = `WADO-RS retrieval of instance ${address.sopInstanceUid}`;
  const response = await fetchWithRetry(
    url,
    {
      method: 'GET',
      headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*', ...options.headers },
    },
    options,
    what,
  );
  if (!response.ok) {
    throw describeHttpError(what, url, response.status, await readResponseText(response));
  }

  const body = new Uint8Array(await response.arrayBuffer());
  const parts = parseMultipartRelated(body, response.headers.get('content-type') ?? '');
  const first = parts[0];
  if (!first) {
    throw new MedsamError('dicomweb/rejected', `${what} from ${url} returned a multipart body with no parts.`);
  }
  return first.body.slice().buffer;
}
