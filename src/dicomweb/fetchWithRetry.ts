import { createLogger } from '../logging';
import { MedsamError, throwIfAborted } from '../MedsamError';
import type { DicomwebRequestOptions } from './DicomwebRequestOptions';

const logger = createLogger('medsam.dicomweb');

/** Statuses worth another attempt: the server may respond differently later. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Sends one HTTP request with a per-attempt timeout, retrying with
 * exponential backoff on network errors, timeouts, 408, 429 and 5xx.
 * Returns the first response that is not retryable, or the last one once
 * the retries are spent; the caller judges its status. Throws MedsamError
 * `dicomweb/network` when no attempt got a response, and `inference/aborted`
 * when `options.signal` aborts.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  options: DicomwebRequestOptions,
  what: string,
): Promise<Response> {
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let delayMs = options.retryDelayMs ?? 500;
  let lastError: unknown;

  for (let attempt = 0; attempt <= retries; attempt++) {
    throwIfAborted(options.signal, what);
    const attemptController = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attemptController.abort();
    }, timeoutMs);
    const forwardAbort = (): void => attemptController.abort();
    options.signal?.addEventListener('abort', forwardAbort, { once: true });

    try {
      const response = await fetchImplementation(url, { ...init, signal: attemptController.signal });
      if (!RETRYABLE_STATUSES.has(response.status) || attempt === retries) {
        return response;
      }
      lastError = new Error(`HTTP ${response.status} ${response.statusText}`);
      logger.warn(`${what} got HTTP ${response.status}; retrying.`, { url, attempt: attempt + 1, retries });
      delayMs = Math.max(delayMs, retryAfterMs(response));
    } catch (error) {
      throwIfAborted(options.signal, what);
      lastError = timedOut ? new Error(`timed out after ${timeoutMs} ms`) : error;
      logger.warn(`${what} failed: ${describe(lastError)}; ${attempt < retries ? 'retrying' : 'giving up'}.`, {
        url,
        attempt: attempt + 1,
        retries,
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', forwardAbort);
    }

    if (attempt < retries) {
      await sleep(delayMs, options.signal);
      delayMs *= 2;
    }
  }

  const message = `${what} failed after ${retries + 1} attempt(s) to ${url}: ${describe(lastError)}. Check that the DICOMweb server is running and reachable.`;
  logger.error(message);
  throw new MedsamError('dicomweb/network', message, { cause: lastError });
}

function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  // Cap the wait a server may ask for, so a misconfigured header cannot stall the viewer.
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 0;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
