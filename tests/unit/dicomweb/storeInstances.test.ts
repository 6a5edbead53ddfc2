import { parseMultipartRelated, parseStoreResponse, storeInstances } from '../../../src/dicomweb';
import { MedsamError } from '../../../src/MedsamError';
import { setLogLevel } from '../../../src/logging';

setLogLevel('error');
jest.spyOn(console, 'error').mockImplementation(() => undefined);

const BASE = 'http://127.0.0.1:8042/dicom-web/';
const SOP_UID = '2.25.1';

function storeResponseJson(failed = false): unknown {
  const item = {
    '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.66.4'] },
    '00081155': { vr: 'UI', Value: [SOP_UID] },
  };
  return failed
    ? { '00081198': { vr: 'SQ', Value: [{ ...item, '00081197': { vr: 'US', Value: [0xa900] } }] } }
    : { '00081199': { vr: 'SQ', Value: [{ ...item, '00081190': { vr: 'UR', Value: ['http://x/instances/2.25.1'] } }] } };
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/dicom+json' },
  });
}

/** A fetch stub that answers from a list and records each request. */
function stubFetch(...answers: (Response | Error)[]): jest.Mock & typeof fetch {
  const mock = jest.fn(async () => {
    const next = answers.shift();
    if (!next) {
      throw new Error('stub fetch has no more answers');
    }
    if (next instanceof Error) {
      throw next;
    }
    return next;
  });
  return mock as unknown as jest.Mock & typeof fetch;
}

const file = new Uint8Array([1, 2, 3, 4]).buffer;

describe('storeInstances', () => {
  test('posts one multipart body to /studies', async () => {
    const fetchStub = stubFetch(jsonResponse(200, storeResponseJson()));
    await storeInstances(BASE, [file], { fetch: fetchStub });
    const [url, init] = fetchStub.mock.calls[0] as [string, RequestInit];
    const headers = init.headers as Record<string, string>;
    expect(url).toBe('http://127.0.0.1:8042/dicom-web/studies');
    expect(init.method).toBe('POST');
    expect(headers.Accept).toBe('application/dicom+json');
    expect(headers['Content-Type']).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const parts = parseMultipartRelated(init.body as Uint8Array, headers['Content-Type']!);
    expect([...parts[0]!.body]).toEqual([1, 2, 3, 4]);
  });

  test('posts to the study when given', async () => {
    const fetchStub = stubFetch(jsonResponse(200, storeResponseJson()));
    await storeInstances(BASE, [file], { fetch: fetchStub, studyInstanceUid: '1.2.3' });
    expect(fetchStub.mock.calls[0]![0]).toBe('http://127.0.0.1:8042/dicom-web/studies/1.2.3');
  });

  test('returns the referenced instances', async () => {
    const result = await storeInstances(BASE, [file], { fetch: stubFetch(jsonResponse(200, storeResponseJson())) });
    expect(result.referenced).toEqual([
      {
        sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4',
        sopInstanceUid: SOP_UID,
        retrieveUrl: 'http://x/instances/2.25.1',
        warningReason: undefined,
      },
    ]);
  });

  test('passes extra headers', async () => {
    const fetchStub = stubFetch(jsonResponse(200, storeResponseJson()));
    await storeInstances(BASE, [file], { fetch: fetchStub, headers: { Authorization: 'Bearer t' } });
    const headers = (fetchStub.mock.calls[0]![1] as RequestInit).headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer t');
  });

  test('Failed SOP Sequence is rejected with its reason', async () => {
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(jsonResponse(200, storeResponseJson(true))) });
    await expect(promise).rejects.toMatchObject({ code: 'dicomweb/rejected' });
    await expect(
      storeInstances(BASE, [file], { fetch: stubFetch(jsonResponse(409, storeResponseJson(true))) }),
    ).rejects.toThrow('2.25.1: 0xA900 (data set does not match SOP Class)');
  });

  test('409 without body is rejected', async () => {
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(jsonResponse(409, undefined)) });
    await expect(promise).rejects.toThrow('HTTP 409');
  });

  test('413 names the proxy body limit', async () => {
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(new Response('too big', { status: 413 })) });
    await expect(promise).rejects.toThrow('client_max_body_size');
  });

  test('413 error carries the HTTP status', async () => {
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(new Response('too big', { status: 413 })) });
    await expect(promise).rejects.toMatchObject({ httpStatus: 413 });
  });

  test('409 error carries the HTTP status', async () => {
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(jsonResponse(409, undefined)) });
    await expect(promise).rejects.toMatchObject({ httpStatus: 409 });
  });

  test('502 after retries says the proxy cannot reach the archive', async () => {
    const answers = [1, 2, 3, 4].map(() => new Response('', { status: 502 }));
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(...answers), retryDelayMs: 1 });
    await expect(promise).rejects.toThrow('could not reach it (Bad Gateway)');
  });

  test('403 says the server refused the user', async () => {
    const promise = storeInstances(BASE, [file], { fetch: stubFetch(new Response('', { status: 403 })) });
    await expect(promise).rejects.toThrow('refused the operation for this user');
  });

  test('503 is retried', async () => {
    const fetchStub = stubFetch(new Response('', { status: 503 }), jsonResponse(200, storeResponseJson()));
    const result = await storeInstances(BASE, [file], { fetch: fetchStub, retryDelayMs: 1 });
    expect(fetchStub).toHaveBeenCalledTimes(2);
    expect(result.referenced).toHaveLength(1);
  });

  test('network errors exhaust the retries', async () => {
    const failure = (): Error => new TypeError('fetch failed');
    const fetchStub = stubFetch(failure(), failure(), failure());
    const promise = storeInstances(BASE, [file], { fetch: fetchStub, retries: 2, retryDelayMs: 1 });
    await expect(promise).rejects.toMatchObject({ code: 'dicomweb/network' });
    expect(fetchStub).toHaveBeenCalledTimes(3);
  });

  test('timeout aborts the attempt and retries', async () => {
    const hanging = jest.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const promise = storeInstances(BASE, [file], {
      fetch: hanging as unknown as typeof fetch,
      timeoutMs: 10,
      retries: 1,
      retryDelayMs: 1,
    });
    await expect(promise).rejects.toThrow('timed out after 10 ms');
    expect(hanging).toHaveBeenCalledTimes(2);
  });

  test('aborted signal stops before sending', async () => {
    const fetchStub = stubFetch(jsonResponse(200, storeResponseJson()));
    const controller = new AbortController();
    controller.abort();
    const promise = storeInstances(BASE, [file], { fetch: fetchStub, signal: controller.signal });
    await expect(promise).rejects.toMatchObject({ code: 'inference/aborted' });
    expect(fetchStub).not.toHaveBeenCalled();
  });

  test('empty file list is rejected', async () => {
    await expect(storeInstances(BASE, [])).rejects.toBeInstanceOf(MedsamError);
  });
});

describe('parseStoreResponse', () => {
  test('empty body gives empty lists', () => {
    expect(parseStoreResponse(undefined)).toEqual({ referenced: [], failed: [] });
  });

  test('reads failed instances and reasons', () => {
    const parsed = parseStoreResponse([storeResponseJson(true)]);
    expect(parsed.failed).toEqual([
      { sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4', sopInstanceUid: SOP_UID, failureReason: 0xa900 },
    ]);
  });
});
