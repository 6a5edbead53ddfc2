import { MedsamError } from '../MedsamError';

/**
 * Converts an HTTP error response of a DICOMweb server into a MedsamError
 * `dicomweb/rejected` whose message states what the server refused and what
 * to change. `detail` is text from the response body, if any.
 */
export function describeHttpError(what: string, url: string, status: number, detail: string): MedsamError {
  const advice = ADVICE[status] ?? (status >= 500 ? 'The server failed; check its log.' : 'Check the request and the server log.');
  const suffix = detail ? ` Server message: ${detail.slice(0, 500)}` : '';
  return new MedsamError('dicomweb/rejected', `${what} was rejected with HTTP ${status} by ${url}. ${advice}${suffix}`, {
    httpStatus: status,
  });
}

const ADVICE: Record<number, string> = {
  400: 'The server could not parse the request or one of its files; check that each file is a valid DICOM Part 10 file.',
  401: 'The server requires authentication; sign in again or configure the request headers.',
  403: 'The server refused the operation for this user; ask its administrator for write access to the study.',
  404: 'The DICOMweb endpoint or the study was not found; check the configured base URL.',
  409: 'The server refused to store the instances (conflict), for example because an instance with the same SOP Instance UID but other content already exists; see the failure reasons.',
  413: 'The request body is larger than the server or its reverse proxy accepts; raise the limit, for example nginx client_max_body_size, or store fewer instances per request.',
  415: 'The server does not accept multipart/related with application/dicom parts; check that STOW-RS is enabled.',
  502: 'A proxy in front of the archive could not reach it (Bad Gateway); check that the archive is running.',
  504: 'A proxy in front of the archive got no response from it in time (Gateway Timeout); check the archive and the proxy timeout.',
};
