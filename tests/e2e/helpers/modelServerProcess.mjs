#!/usr/bin/env node
// A viewer server for one end-to-end test, run as a child process because
// jest (CommonJS through babel-jest) cannot import scripts/serve.mjs.
//
// Usage: node modelServerProcess.mjs '<JSON options>'
// Options: { modelDirs, modelBaseUrl, dicomwebUrl, medsamDir?, medsam? }
// Prints one JSON line `{"url": "http://127.0.0.1:PORT"}` to stdout once the
// server listens, and stops the server on SIGTERM or when stdin closes.

import { ensureOhifViewer } from '../../../scripts/ohif-viewer.mjs';
import { startViewerServer } from '../../../scripts/serve.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');

const server = await startViewerServer({
  ohifDir: await ensureOhifViewer(),
  ...(options.medsamDir ? { medsamDir: options.medsamDir } : {}),
  modelDirs: options.modelDirs,
  dicomweb: { url: options.dicomwebUrl },
  port: 0,
  host: '127.0.0.1',
  appConfig: {
    // WASM unless the test sets another backend, as on the shared test
    // server: on the software WebGPU adapter one tiny-model encoding takes 45 s.
    medsam: { backend: 'wasm', ...options.medsam, modelBaseUrl: options.modelBaseUrl },
    investigationalUseDialog: { option: 'never' },
  },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
// The parent keeps stdin open, so stdin ends when jest exits without stopping this server.
process.stdin.on('end', stop);
process.stdin.resume();
