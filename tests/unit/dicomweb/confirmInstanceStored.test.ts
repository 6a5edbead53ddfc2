import { buildMultipartRelated, confirmInstanceStored, retrieveInstance, searchForSeries } from '../../../src/dicomweb';
import { setLogLevel } from '../../../src/logging';

setLogLevel('error');
jest.spyOn(console, 'error').mockImplementation(() => undefined);

const BASE = 'http://127.0.0.1:8042/dicom-web';
const match = [{ '00080018': { vr: 'UI', Value: ['2.25.7'] } }];

function answers(...responses: Response[]): jest.Mock & typeof fetch {
  return jest.fn(async () => responses.shift()!) as unknown as jest.Mock & typeof fetch;
}

const json = (body: unknown): Response => new Response(JSON.stringify(body), { status: 200 });

describe('confirmInstanceStored', () => {
  test('queries QIDO-RS for the instance', async () => {
    const fetchStub = answers(json(match));
    await confirmInstanceStored(BASE, '1.2.3', '2.25.7', { fetch: fetchStub });
    expect(fetchStub.mock.calls[0]![0]).toBe(`${BASE}/studies/1.2.3/instances?SOPInstanceUID=2.25.7`);
  });

  test('queries again until the instance appears', async () => {
    const fetchStub = answers(new Response(null, { status: 204 }), json([]), json(match));
    await confirmInstanceStored(BASE, '1.2.3', '2.25.7', { fetch: fetchStub, intervalMs: 1 });
    expect(fetchStub).toHaveBeenCalledTimes(3);
  });

  test('missing instance is not confirmed', async () => {
    const promise = confirmInstanceStored(BASE, '1.2.3', '2.25.7', {
      fetch: answers(json([]), json([])),
      attempts: 2,
      intervalMs: 1,
    });
    await expect(promise).rejects.toMatchObject({ code: 'dicomweb/not-confirmed' });
  });

  test('401 is rejected', async () => {
    const promise = confirmInstanceStored(BASE, '1.2.3', '2.25.7', { fetch: answers(new Response('', { status: 401 })) });
    await expect(promise).rejects.toThrow('requires authentication');
  });
});

describe('searchForSeries', () => {
  test('passes query parameters', async () => {
    const fetchStub = answers(json([{ '0020000E': { vr: 'UI', Value: ['1.2'] } }]));
    const series = await searchForSeries(BASE, '1.2.3', { fetch: fetchStub, query: { Modality: 'SEG' } });
    expect(fetchStub.mock.calls[0]![0]).toBe(`${BASE}/studies/1.2.3/series?Modality=SEG`);
    expect(series).toHaveLength(1);
  });

  test('204 gives an empty list', async () => {
    const series = await searchForSeries(BASE, '1.2.3', { fetch: answers(new Response(null, { status: 204 })) });
    expect(series).toEqual([]);
  });
});

describe('retrieveInstance', () => {
  test('returns the first part of the multipart body', async () => {
    const { body, contentType } = buildMultipartRelated([new Uint8Array([9, 8, 7]).buffer]);
    const fetchStub = answers(new Response(body, { status: 200, headers: { 'Content-Type': contentType } }));
    const file = await retrieveInstance(BASE, { studyInstanceUid: '1', seriesInstanceUid: '2', sopInstanceUid: '3' }, { fetch: fetchStub });
    expect([...new Uint8Array(file)]).toEqual([9, 8, 7]);
    expect(fetchStub.mock.calls[0]![0]).toBe(`${BASE}/studies/1/series/2/instances/3`);
  });
});
