/** Options shared by every DICOMweb call. */
export interface DicomwebRequestOptions {
  /** Cancels the call, including waits between retries. */
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Authorization`. */
  headers?: Record<string, string>;
  /** Time limit of one attempt, ms. Default 60000. */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 408, 429 and 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry, ms; it doubles on each retry. Default 500. */
  retryDelayMs?: number;
  /** The fetch implementation; default `globalThis.fetch`. Tests pass a stub. */
  fetch?: typeof fetch;
}

/** Joins a DICOMweb base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
