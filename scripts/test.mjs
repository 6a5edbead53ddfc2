#!/usr/bin/env node
// npm test: bootstraps the project, type checks, then re-executes itself in a
// private network namespace (loopback only) where it starts Orthanc, the
// UNIX socket relay and the viewer server, and runs jest (all projects).
// Extra arguments go to jest: npm test -- tests/e2e
//
// Needs root (for apt-get and unshare -n) and the public DICOM test data
// (MEDSAM_DATA_DIR, default ../shared/data). MEDSAM_BUNDLE_DIR serves other
// extension bundles than dist/medsam/.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bootstrap, listModelDirs, MEDSAM_BUNDLE_DIR, MODELS_DIR, PHANTOM_DIR, REPO_ROOT, runTypecheck } from './bootstrap.mjs';
import { createLogger } from './lib/log.mjs';
import { resolveDataDir } from './lib/resolveDataDir.mjs';
import { bringUpLoopback, NETNS_ENV_MARKER, spawnNodeInPrivateNetns } from './netns.mjs';
import { startPacs } from './orthanc.mjs';
import { ensureOhifViewer } from './ohif-viewer.mjs';
import { startViewerServer } from './serve.mjs';

const log = createLogger('medsam.test');
const thisScript = fileURLToPath(import.meta.url);
const CHROMIUM = '/usr/bin/chromium';

function waitForExit(child) {
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

/** Outside the namespace: bootstrap (needs the network), then run the inner half in a new namespace. */
async function runOutside(jestArgs) {
  const dataDir = resolveDataDir(REPO_ROOT);
  const { problems } = await bootstrap({ keepGoing: true, tinyModel: true });
  // A type error fails the run, but jest still runs so that its results are not lost.
  let typecheckFailed = false;
  try {
    await runTypecheck();
  } catch (error) {
    log.error(error.message);
    typecheckFailed = true;
  }

  log.info('starting the test services and jest in a private network namespace');
  const child = spawnNodeInPrivateNetns(thisScript, jestArgs, {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, MEDSAM_DATA_DIR: dataDir },
  });
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  // The terminal sends SIGINT to the whole process group, the child included.
  process.on('SIGINT', () => {});
  const code = await waitForExit(child);

  if (problems.length > 0) {
    log.error(`npm test failed because these bootstrap steps failed:\n  - ${problems.join('\n  - ')}`);
  }
  if (typecheckFailed) log.error('npm run typecheck failed; see its output above.');
  if (code === 0 && (problems.length > 0 || typecheckFailed)) return 1;
  return code;
}

/** Inside the namespace: start the services, run jest, stop the services. */
async function runInside(jestArgs) {
  await bringUpLoopback();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'medsam-test-'));
  const pacs = await startPacs({ runDir, socketPath: path.join(runDir, 'pacs.sock'), uploadPaths: [PHANTOM_DIR] });
  let server;
  let jest;
  let stopping;

  const stopServices = () => {
    stopping ??= (async () => {
      await server?.close();
      await pacs.stop();
      await rm(runDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const onSignal = (signal) => {
    log.info(`received ${signal}; stopping jest and the services`);
    jest?.kill(signal);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    server = await startViewerServer({
      ohifDir: await ensureOhifViewer(),
      medsamDir: process.env.MEDSAM_BUNDLE_DIR || MEDSAM_BUNDLE_DIR,
      modelDirs: listModelDirs(),
      dicomweb: { socketPath: pacs.socketPath },
      port: 0,
      // WASM by default: headless Chromium here offers only a software WebGPU
      // adapter, which makes every encoding slow. Tests of the WebGPU path
      // set backend 'auto' themselves (tests/e2e/helpers/overrideMedsamConfig.ts).
      appConfig: { investigationalUseDialog: { option: 'never' }, medsam: { backend: 'wasm' } },
    });
    const [phantomStudyUid] = pacs.studyInstanceUids;
    const env = {
      ...process.env,
      MEDSAM_VIEWER_URL: server.url,
      MEDSAM_ORTHANC_URL: pacs.orthanc.url,
      MEDSAM_STATS_URL: `${server.url}/__medsam/stats`,
      MEDSAM_PHANTOM_DIR: PHANTOM_DIR,
      MEDSAM_PHANTOM_STUDY_UID: phantomStudyUid ?? '',
      MEDSAM_MODELS_DIR: MODELS_DIR,
      MEDSAM_CHROMIUM: CHROMIUM,
    };
    log.info(`viewer ${server.url}, Orthanc ${pacs.orthanc.url}, phantom study ${phantomStudyUid}`);

    // jest's own entry point, not npx: a signal sent to npx does not reach
    // the jest process behind it, which then outlives the services.
    const jestBin = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    jest = spawn(process.execPath, [jestBin, ...jestArgs], { cwd: REPO_ROOT, stdio: 'inherit', env });
    return await waitForExit(jest);
  } finally {
    await stopServices();
  }
}

const jestArgs = process.argv.slice(2);
const run = process.env[NETNS_ENV_MARKER] ? runInside : runOutside;
run(jestArgs).then(
  (code) => process.exit(code),
  (error) => {
    log.error(error.message);
    if (process.env.MEDSAM_DEBUG) log.error(error);
    process.exit(1);
  },
);
