#!/usr/bin/env node
// Entry point of `npm run bench:seg`: times writing a BINARY SEG of a
// synthetic CT series and storing it in a real Orthanc (bench/segWriteStore.ts).
// Outside a private network namespace it re-executes itself under
// `unshare -n`, because Orthanc listens on every interface. Inside, it brings
// up loopback, starts Orthanc in a temporary folder, runs the benchmark and
// stops Orthanc by PID.
// Options: --slices N (default 300) --runs N (default 5)
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createLogger } from './lib/log.mjs';
import { runInPrivateNetns } from './lib/runInPrivateNetns.mjs';
import { bringUpLoopback } from './netns.mjs';
import { startOrthanc } from './orthanc.mjs';

const log = createLogger('medsam.bench');
const thisScript = fileURLToPath(import.meta.url);

function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { slices: { type: 'string', default: '300' }, runs: { type: 'string', default: '5' } },
  });
  const slices = Number(values.slices);
  const runs = Number(values.runs);
  if (!Number.isInteger(slices) || slices < 1) {
    throw new RangeError(`Invalid --slices "${values.slices}": expected a positive integer.`);
  }
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`Invalid --runs "${values.runs}": expected a positive integer.`);
  }
  return { slices, runs };
}

async function runInside(argv) {
  const options = readOptions(argv);
  await bringUpLoopback();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'medsam-bench-seg-'));
  const orthanc = await startOrthanc({ runDir, httpPort: 8042 });
  try {
    const require = createRequire(import.meta.url);
    require('./babel-node.cjs');
    const { runSegWriteStoreBench } = require('../bench/segWriteStore.ts');
    await runSegWriteStoreBench({ dicomwebUrl: `${orthanc.url}/dicom-web`, orthancVersion: orthanc.version, ...options });
    return 0;
  } finally {
    await orthanc.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

runInPrivateNetns({ script: thisScript, check: readOptions, inside: runInside, log });
