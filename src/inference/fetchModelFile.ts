import { MedsamError, throwIfAborted } from '../MedsamError';
import { createLogger } from '../logging';
import type { ModelFileEntry } from '../model/ModelManifest';
import { sha256Hex } from './sha256Hex';

const log = createLogger('medsam.model');

/** Name of the Cache Storage bucket that contains verified model files. */
export const MODEL_CACHE_NAME = 'medsam-models-v1';

export interface FetchModelFileOptions {
  signal?: AbortSignal;
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  /** Cache Storage; pass null where it is unavailable (Node). */
  cacheStorage?: CacheStorage | null;
  fetchImpl?: typeof fetch;
}

/** The result of `fetchModelFile`: the bytes and where they came from. */
export interface ModelFileBytes {
  bytes: Uint8Array<ArrayBuffer>;
  fromCache: boolean;
  /** Bytes that crossed the network for this call (0 on a cache hit). */
  downloadedBytes: number;
}

/**
 * Downloads one model file, verifies its SHA-256 against the manifest before
 * anyone may build a session from it, and keeps it in Cache Storage under a
 * key that contains the hash, so a later visit downloads nothing. A cached
 * copy that fails verification is deleted and downloaded again.
 */
export async function fetchModelFile(
  baseUrl: string,
  entry: ModelFileEntry,
  options: FetchModelFileOptions = {}
): Promise<ModelFileBytes> {
  const { signal, onProgress } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const cacheStorage = options.cacheStorage === undefined ? globalThis.caches : options.cacheStorage;
  const url = new URL(entry.path, baseUrl).href;
  const cacheKey = `${url}?sha256=${entry.sha256}`;
  throwIfAborted(signal, `Loading ${entry.path}`);

  const cache = await openCache(cacheStorage);
  const cached = cache ? await cache.match(cacheKey).catch(() => undefined) : undefined;
  if (cached && cache) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if ((await sha256Hex(bytes)) === entry.sha256) {
      onProgress?.(bytes.byteLength, bytes.byteLength);
      return { bytes, fromCache: true, downloadedBytes: 0 };
    }
    log.warn(`Cached ${entry.path} failed SHA-256 verification; deleting it and downloading again.`);
    await cache.delete(cacheKey);
  }

  const bytes = await download(fetchImpl, url, entry, options);
  const actual = await sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw new MedsamError(
      'model/integrity',
      `Model file ${url} is corrupt or truncated: ${bytes.byteLength} of ${entry.bytes} bytes, ` +
        `SHA-256 ${actual} instead of ${entry.sha256}. Nothing was cached; ` +
        're-copy the file from the model import output to the server and reload.'
    );
  }

  if (cache) {
    await storeInCache(cache, url, cacheKey, bytes);
  }
  return { bytes, fromCache: false, downloadedBytes: bytes.byteLength };
}

/** Opens the model cache, or returns null (logged) where Cache Storage is unavailable or refused. */
async function openCache(cacheStorage: CacheStorage | null | undefined): Promise<Cache | null> {
  if (!cacheStorage) {
    return null;
  }
  try {
    return await cacheStorage.open(MODEL_CACHE_NAME);
  } catch (error) {
    log.warn(`Cache Storage is not usable (${String(error)}); the model is downloaded on every visit.`);
    return null;
  }
}

/**
 * Stores verified bytes and deletes the copies of other versions of the same
 * file, so that a model update does not leave the old files in the cache.
 * A failed store (a full quota, say) is logged; the verified bytes are used.
 */
async function storeInCache(cache: Cache, url: string, cacheKey: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  try {
    for (const request of await cache.keys()) {
      if (request.url.startsWith(`${url}?sha256=`) && request.url !== cacheKey) {
        await cache.delete(request);
      }
    }
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.byteLength) };
    await cache.put(cacheKey, new Response(bytes, { headers }));
  } catch (error) {
    log.warn(`Keeping ${url} in Cache Storage failed (${String(error)}); it will be downloaded again next visit.`);
  }
}

async function download(
  fetchImpl: typeof fetch,
  url: string,
  entry: ModelFileEntry,
  { signal, onProgress }: FetchModelFileOptions
): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal, cache: 'no-store' });
  } catch (error) {
    throwIfAborted(signal, `Downloading ${entry.path}`);
    throw new MedsamError('model/load-failed', `Downloading model file ${url} failed: ${String(error)}.`, {
      cause: error,
    });
  }
  if (!response.ok || !response.body) {
    throw new MedsamError(
      'model/load-failed',
      `Downloading model file ${url} failed with HTTP ${response.status}. ` +
        'Check that the model folder is served at the configured modelBaseUrl.'
    );
  }

  const bytes = new Uint8Array(entry.bytes);
  const reader = response.body.getReader();
  let loaded = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throwIfAborted(signal, `Downloading ${entry.path}`);
      throw new MedsamError(
        'model/load-failed',
        `Downloading model file ${url} broke off after ${loaded} of ${entry.bytes} bytes: ${String(error)}. Reload to try again.`,
        { cause: error }
      );
    }
    const { done, value } = chunk;
    if (done) {
      break;
    }
    if (loaded + value.byteLength > bytes.byteLength) {
      await reader.cancel();
      throw new MedsamError(
        'model/integrity',
        `Model file ${url} is larger than the ${entry.bytes} bytes in its manifest; ` +
          'the manifest and the file do not belong together. Re-run the model import.'
      );
    }
    bytes.set(value, loaded);
    loaded += value.byteLength;
    onProgress?.(loaded, entry.bytes);
  }
  return loaded === bytes.byteLength ? bytes : bytes.subarray(0, loaded);
}
