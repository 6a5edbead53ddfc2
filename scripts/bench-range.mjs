#!/usr/bin/env node
// Entry point of `npm run bench:range`: the range pipeline benchmark of
// bench/runRangeBench.ts. Outside a private network namespace it
// re-executes itself under `unshare -n`, because Orthanc listens on every
// interface. Inside, it brings up loopback, starts Orthanc and the viewer
// server, runs the benchmark in headless Chromium and stops both.
// Options: --model NAME (a folder of build/models, default tiny). Build the
// bundles first (npm run build) and make the model (npm test does both).
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createLogger } from './lib/log.mjs';
import { MODELS_DIR } from './bootstrap.mjs';
import { runInPrivateNetns } from './lib/runInPrivateNetns.mjs';
import { bringUpLoopback } from './netns.mjs';
import { ensureOhifViewer } from './ohif-viewer.mjs';
import { startOrthanc } from './orthanc.mjs';
import { startViewerServer } from './serve.mjs';

const log = createLogger('medsam.bench');
const thisScript = fileURLToPath(import.meta.url);

function readOptions(argv) {
  const { values } = parseArgs({ args: argv, options: { model: { type: 'string', default: 'tiny' } } });
  const modelDir = path.join(MODELS_DIR, values.model);
  if (!existsSync(path.join(modelDir, 'manifest.json'))) {
    throw new Error(`No model "${values.model}" in ${MODELS_DIR}: run npm test once, or npm run model:import, first.`);
  }
  return { model: values.model, modelDir };
}

async function runInside(argv) {
  const { model, modelDir } = readOptions(argv);
  await bringUpLoopback();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'medsam-bench-range-'));
  const orthanc = await startOrthanc({ runDir, httpPort: 8042 });
  let server = null;
  try {
    server = await startViewerServer({
      ohifDir: await ensureOhifViewer(),
      modelDirs: { [model]: modelDir },
      dicomweb: { url: `${orthanc.url}/dicom-web` },
      port: 0,
      appConfig: {
        investigationalUseDialog: { option: 'never' },
        // WASM, the backend of the efficiency target; no encoding ahead, so the range encodes its own slices.
        medsam: { modelBaseUrl: `/medsam/models/${model}/`, backend: 'wasm', preencodeSlices: 0 },
      },
    });
    const require = createRequire(import.meta.url);
    require('./babel-node.cjs');
    const { runRangeBench } = require('../bench/runRangeBench.ts');
    await runRangeBench({ orthancUrl: orthanc.url, viewerUrl: server.url, model });
    return 0;
  } finally {
    await server?.close();
    await orthanc.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

runInPrivateNetns({ script: thisScript, check: readOptions, inside: runInside, log });
