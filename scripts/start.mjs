#!/usr/bin/env node
// npm start: bootstraps a fresh clone, starts the embedded Orthanc (in a
// private network namespace, reached through a UNIX socket relay) with the
// synthetic phantom study, and serves the viewer on 127.0.0.1.
// `node scripts/start.mjs --help` lists the options.

import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { bootstrap, MEDSAM_BUNDLE_DIR, MODELS_DIR, PHANTOM_DIR, REPO_ROOT } from './bootstrap.mjs';
import { createLogger } from './lib/log.mjs';
import { stopProcess } from './lib/stopProcess.mjs';
import { spawnNodeInPrivateNetns } from './netns.mjs';
import { DEFAULT_ORTHANC_PORT } from './orthanc.mjs';
import { DEFAULT_PORT, startViewerServer } from './serve.mjs';

const log = createLogger('medsam.start');
const ORTHANC_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'orthanc.mjs');
const READY_PREFIX = 'MEDSAM_PACS_READY ';

const HELP = `Usage: npm start -- [options]

Installs what is missing (Debian packages as root, node_modules, the webpack
bundles, the OHIF Viewer, the phantom study and the stand-in model), starts
Orthanc in a private network namespace and serves the viewer on 127.0.0.1.
Ctrl-C stops everything.

Options:
  --port N            viewer port on 127.0.0.1 (default ${DEFAULT_PORT})
  --dicom-dir DIR     upload the DICOM files under DIR (recursively) instead of
                      the phantom; repeatable
  --dicomweb URL      use an existing DICOMweb server (its root, e.g.
                      http://127.0.0.1:8042/dicom-web) and start no Orthanc
  --model-dir DIR     serve this model folder (with manifest.json) instead of
                      the stand-in, e.g. an imported MedSAM checkpoint
  --run-dir DIR       keep Orthanc's storage in DIR across runs (default: a new
                      temporary folder, deleted on exit)
  --orthanc-port N    Orthanc's HTTP port inside its namespace (default ${DEFAULT_ORTHANC_PORT})
  --help              show this text
`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      'dicom-dir': { type: 'string', multiple: true, default: [] },
      dicomweb: { type: 'string' },
      'model-dir': { type: 'string' },
      'run-dir': { type: 'string' },
      'orthanc-port': { type: 'string', default: String(DEFAULT_ORTHANC_PORT) },
      help: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port "${values.port}": expected an integer from 0 to 65535.`);
  }
  if (values.dicomweb && values['dicom-dir'].length > 0) {
    throw new Error('--dicomweb and --dicom-dir exclude each other: upload your files to that PACS instead.');
  }
  return { ...values, port };
}

/**
 * Starts `orthanc.mjs pacs` in a new network namespace and resolves with its
 * ready message. The child gets its own process group, so Ctrl-C reaches only
 * this process, which then stops the child in order.
 */
function startPacsProcess({ runDir, socketPath, orthancPort, uploadPaths, allowPartialUpload, removeRunDir }) {
  const args = ['pacs', '--run-dir', runDir, '--socket', socketPath, '--port', String(orthancPort)];
  for (const uploadPath of uploadPaths) args.push('--upload', uploadPath);
  if (allowPartialUpload) args.push('--allow-partial-upload');
  // The PACS process deletes a temporary run dir itself, because it outlives this process when that is killed.
  if (removeRunDir) args.push('--remove-run-dir');

  const child = spawnNodeInPrivateNetns(ORTHANC_SCRIPT, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) resolve(JSON.parse(line.slice(READY_PREFIX.length)));
      else process.stdout.write(`${line}\n`);
    });
    child.once('error', (error) => reject(new Error(`failed to start unshare: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(`the PACS process exited with ${signal ?? code} before it was ready`)));
  });
  return { child, ready };
}

function printUrls(viewerUrl, studyInstanceUids) {
  const lines = ['', 'The MedSAM viewer is running.', `  Study list:  ${viewerUrl}/`];
  for (const uid of studyInstanceUids.slice(0, 5)) {
    lines.push(`  Open study:  ${viewerUrl}/medsam?StudyInstanceUIDs=${uid}`);
  }
  if (studyInstanceUids.length > 5) lines.push(`  (${studyInstanceUids.length - 5} more studies in the study list)`);
  lines.push('Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }

  const { ohifDir } = await bootstrap();

  let pacsProcess;
  let runDir;
  let deleteRunDir = false;
  let server;
  let stopping = false;

  const shutdown = async (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping (${reason})`);
    await server?.close();
    if (pacsProcess) await stopProcess(pacsProcess.child, { name: 'PACS process', timeoutMs: 20_000, log });
    if (deleteRunDir && runDir) await rm(runDir, { recursive: true, force: true });
    process.exit(exitCode);
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));

  let dicomweb;
  let studyInstanceUids = [];
  if (options.dicomweb) {
    dicomweb = { url: options.dicomweb };
    log.info(`using the existing DICOMweb server ${options.dicomweb}; no Orthanc is started`);
  } else {
    if (options['run-dir']) {
      runDir = path.resolve(options['run-dir']);
      await mkdir(runDir, { recursive: true, mode: 0o700 });
    } else {
      runDir = await mkdtemp(path.join(os.tmpdir(), 'medsam-start-'));
      deleteRunDir = true;
    }
    const uploadPaths = options['dicom-dir'].length > 0 ? options['dicom-dir'].map((dir) => path.resolve(dir)) : [PHANTOM_DIR];
    pacsProcess = startPacsProcess({
      runDir,
      socketPath: path.join(runDir, 'pacs.sock'),
      orthancPort: Number(options['orthanc-port']),
      uploadPaths,
      allowPartialUpload: options['dicom-dir'].length > 0,
      removeRunDir: deleteRunDir,
    });
    let ready;
    try {
      ready = await pacsProcess.ready;
    } catch (error) {
      log.error(error.message);
      await shutdown('the PACS did not start', 1);
      return;
    }
    pacsProcess.child.once('exit', (code, signal) => {
      if (!stopping) {
        log.error(`the PACS process exited unexpectedly with ${signal ?? code}`);
        shutdown('PACS exited', 1);
      }
    });
    dicomweb = { socketPath: ready.socketPath };
    studyInstanceUids = ready.studyInstanceUids;
  }

  const modelDirs = { standin: path.join(MODELS_DIR, 'standin') };
  let modelName = 'standin';
  if (options['model-dir']) {
    modelName = 'custom';
    modelDirs[modelName] = path.resolve(options['model-dir']);
    if (!existsSync(path.join(modelDirs[modelName], 'manifest.json'))) {
      log.error(`--model-dir ${modelDirs[modelName]} has no manifest.json; pass a folder written by npm run model:import.`);
      await shutdown('invalid --model-dir', 1);
      return;
    }
  }
  try {
    server = await startViewerServer({
      ohifDir,
      // MEDSAM_BUNDLE_DIR serves extension bundles built elsewhere instead of dist/medsam/.
      medsamDir: process.env.MEDSAM_BUNDLE_DIR || MEDSAM_BUNDLE_DIR,
      modelDirs,
      dicomweb,
      port: options.port,
      appConfig: { medsam: { modelBaseUrl: `/medsam/models/${modelName}/` } },
    });
  } catch (error) {
    log.error(error.message);
    await shutdown('the viewer server did not start', 1);
    return;
  }
  printUrls(server.url, studyInstanceUids);
}

main().catch((error) => {
  log.error(error.message);
  if (process.env.MEDSAM_DEBUG) log.error(error);
  process.exit(1);
});
