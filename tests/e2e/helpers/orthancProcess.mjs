#!/usr/bin/env node
// An Orthanc of its own for one end-to-end test, run by a child process
// because jest (CommonJS through babel-jest) cannot import scripts/orthanc.mjs.
// It must run inside the test's loopback-only network namespace.
//
// Usage: node orthancProcess.mjs '<JSON options>'
// Options: { runDir, httpPort, uploadPaths? }
// Starts Orthanc with its storage in runDir, uploads the DICOM files under
// uploadPaths, then reads one JSON command a line on stdin:
//   {"command":"stop"}   stops Orthanc by its PID (SIGTERM, then SIGKILL)
//   {"command":"start"}  starts it again on the same storage and port
// After the first start and after each command it prints one line
// `MEDSAM_ORTHANC {"state":"running"|"stopped","pid":N,"url":"..."}`, or
// `MEDSAM_ORTHANC {"error":"..."}`. Orthanc stops when stdin ends.

import { createInterface } from 'node:readline';

import { listDicomFiles, startOrthanc, stopOrthanc, uploadDicomFiles } from '../../../scripts/orthanc.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
let orthanc = null;

function report(message) {
  process.stdout.write(`MEDSAM_ORTHANC ${JSON.stringify(message)}\n`);
}

async function upload(uploadPath) {
  const { files } = await listDicomFiles(uploadPath);
  const result = await uploadDicomFiles(orthanc.url, files);
  if (files.length === 0 || result.failures.length > 0) {
    const first = result.failures[0];
    throw new Error(
      `Uploading ${uploadPath} to ${orthanc.url} failed for ${result.failures.length} of ${files.length} files` +
        (first ? `, e.g. ${first.file}: ${first.error}` : '') +
        '.',
    );
  }
}

async function start() {
  orthanc = await startOrthanc({ runDir: options.runDir, httpPort: options.httpPort });
  report({ state: 'running', pid: orthanc.pid, url: orthanc.url });
}

async function stop() {
  const { pid, url } = orthanc;
  await stopOrthanc(orthanc);
  report({ state: 'stopped', pid, url });
}

const commands = { start, stop };

try {
  orthanc = await startOrthanc({ runDir: options.runDir, httpPort: options.httpPort });
  for (const uploadPath of options.uploadPaths ?? []) {
    await upload(uploadPath);
  }
  report({ state: 'running', pid: orthanc.pid, url: orthanc.url });
} catch (error) {
  report({ error: error.message });
  if (orthanc) await stopOrthanc(orthanc);
  process.exit(1);
}

// Commands run one after the other, in the order they arrive.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      const { command } = JSON.parse(line);
      const run = commands[command];
      if (!run) throw new Error(`Unknown command ${JSON.stringify(command)}: expected "start" or "stop".`);
      await run();
    } catch (error) {
      report({ error: error.message });
    }
  });
});
// The parent keeps stdin open, so stdin ends when jest exits, even without a stop.
lines.on('close', () => {
  queue = queue.then(async () => {
    if (orthanc) await stopOrthanc(orthanc);
    process.exit(0);
  });
});
