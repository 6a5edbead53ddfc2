/**
 * The page side of the worker protocol over a real MessageChannel, so
 * structured cloning and buffer transfer behave as between a page and a
 * worker. The other port plays the worker with scripted replies.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';

import { MedsamWorkerClient } from '../../../extension/src/inference/MedsamWorkerClient';
import type { WorkerRequest, WorkerResponse } from '../../../src/protocol/workerMessages';
import { createImageKey } from '../../../src/protocol/workerMessages';

function connect(reply: (request: WorkerRequest, port: MessagePort) => void) {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', (request: WorkerRequest) => reply(request, port2));
  const fakeWorker = {
    onmessage: null as ((event: { data: WorkerResponse }) => void) | null,
    onerror: null as ((event: { message: string }) => void) | null,
    postMessage: (message: unknown, transfer: Transferable[]) => port1.postMessage(message, transfer as never),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
  port1.on('message', (data: WorkerResponse) => fakeWorker.onmessage?.({ data }));
  const client = new MedsamWorkerClient(() => fakeWorker as unknown as Worker);
  return { client, fakeWorker };
}

const initOptions = {
  modelBaseUrl: 'http://127.0.0.1/models/',
  wasmPaths: 'http://127.0.0.1/ort/',
  backend: 'auto' as const,
  numThreads: 2,
  embeddingCacheBytes: 1 << 20,
};

const ready = (requestId: number): WorkerResponse => ({
  type: 'ready',
  requestId,
  backend: 'wasm',
  modelName: 'Stand-in',
  standIn: true,
  encoderPrecision: 'fp32',
  wasmThreads: 2,
  fallbackReason: 'no WebGPU adapter is available',
  encoderNote: null,
  embeddingStorage: 'fp32',
});

describe('MedsamWorkerClient', () => {
  test('delivers progress before the ready reply', async () => {
    const { client, fakeWorker } = connect((request, port) => {
      port.postMessage({ type: 'progress', requestId: request.requestId, stage: 'download', loadedBytes: 5, totalBytes: 10 });
      port.postMessage(ready(request.requestId));
    });
    const progress: number[] = [];
    const reply = await client.init(initOptions, message => progress.push(message.loadedBytes ?? -1));
    expect({ progress, fallback: reply.fallbackReason }).toEqual({ progress: [5], fallback: 'no WebGPU adapter is available' });
    fakeWorker.terminate();
  });

  test('transfers the pixel buffer instead of copying it', async () => {
    let receivedLength = 0;
    const { client, fakeWorker } = connect((request, port) => {
      if (request.type === 'segment') {
        receivedLength = request.image?.values.length ?? 0;
        const mask = new Uint8Array(4);
        port.postMessage(
          { type: 'mask', requestId: request.requestId, imageKey: request.imageKey, width: 2, height: 2, mask, encoderMs: 1, decoderMs: 1, intensity: request.intensity },
          [mask.buffer]
        );
      }
    });
    const values = new Float32Array(4);
    const intensity = { kind: 'ct-window' as const, windowCenterHU: 40, windowWidthHU: 400, preset: 'soft-tissue' as const };
    await client.segment({
      imageKey: createImageKey('1.2.3', 1, intensity),
      image: { width: 2, height: 2, samplesPerPixel: 1, values },
      intensity,
      box: { x0: 0, y0: 0, x1: 2, y1: 2 },
    });
    expect({ receivedLength, sentByteLength: values.byteLength }).toEqual({ receivedLength: 4, sentByteLength: 0 });
    fakeWorker.terminate();
  });

  test('rejects with the code of an error reply', async () => {
    const { client, fakeWorker } = connect((request, port) => {
      port.postMessage({ type: 'error', requestId: request.requestId, code: 'model/integrity', message: 'SHA-256 mismatch' });
    });
    await expect(client.init(initOptions)).rejects.toMatchObject({ code: 'model/integrity', message: 'SHA-256 mismatch' });
    fakeWorker.terminate();
  });

  test('rejects pending requests when the worker crashes', async () => {
    const { client, fakeWorker } = connect(() => undefined);
    const pending = client.init(initOptions);
    fakeWorker.onerror?.({ message: 'out of memory' });
    await expect(pending).rejects.toMatchObject({ code: 'worker/protocol' });
    fakeWorker.terminate();
  });

  test('rejects requests after the worker crashed', async () => {
    const { client, fakeWorker } = connect(() => undefined);
    fakeWorker.onerror?.({ message: 'out of memory' });
    await expect(client.init(initOptions)).rejects.toMatchObject({ code: 'worker/protocol' });
  });

  test('keys embeddings by image and intensity settings', () => {
    const soft = { kind: 'ct-window' as const, windowCenterHU: 40, windowWidthHU: 400, preset: 'soft-tissue' as const };
    const lung = { kind: 'ct-window' as const, windowCenterHU: -160, windowWidthHU: 1500, preset: 'lung' as const };
    expect(createImageKey('1.2.3', 1, soft)).not.toBe(createImageKey('1.2.3', 1, lung));
  });
});
