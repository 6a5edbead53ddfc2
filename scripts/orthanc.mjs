#!/usr/bin/env node
// Runs the embedded Orthanc PACS: writes its configuration, starts it (only
// inside a loopback-only network namespace), waits until its REST API responds,
// uploads DICOM files and stops it by PID.
//
// CLI (used by npm start, which runs it through `unshare -n`):
//   node scripts/orthanc.mjs pacs --run-dir DIR --socket FILE [--port N] [--upload PATH]... [--allow-partial-upload] [--remove-run-dir]
// starts Orthanc and a UNIX socket relay to it, uploads the files, prints one
// line `MEDSAM_PACS_READY <json>` and runs until SIGTERM, SIGINT or the end of stdin.

import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { assertLoopbackOnlyNetns, bringUpLoopback, NETNS_ENV_MARKER } from './netns.mjs';
import { createLogger } from './lib/log.mjs';
import { findOrthancPlugins, writeOrthancConfig } from './lib/orthancConfig.mjs';
import { stopProcess } from './lib/stopProcess.mjs';
import { startPacs } from './lib/startPacs.mjs';

export { findOrthancPlugins, writeOrthancConfig } from './lib/orthancConfig.mjs';
export { uploadDicomFiles } from './lib/uploadDicomFiles.mjs';
export { listDicomFiles } from './lib/listDicomFiles.mjs';
export { startPacs } from './lib/startPacs.mjs';

const log = createLogger('medsam.orthanc');

export const DEFAULT_ORTHANC_PORT = 8042;
const SETPRIV = '/usr/bin/setpriv';

/** Finds the Orthanc executable (Debian installs it as /usr/sbin/Orthanc). */
export function findOrthancExecutable() {
  const candidates = [process.env.MEDSAM_ORTHANC_BIN, '/usr/sbin/Orthanc', '/usr/bin/Orthanc'].filter(Boolean);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `Orthanc not found at ${candidates.join(', ')}. Install it with: apt-get install -y orthanc ` +
        '(or set MEDSAM_ORTHANC_BIN).',
    );
  }
  return found;
}

function readLogTail(logFile, lines = 30) {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `GET /system` until Orthanc responds with 200. Rejects when `child` exits
 * first or after `timeoutMs`.
 */
export async function waitForOrthanc(url, { child, timeoutMs = 60_000, logFile } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `Orthanc exited (${child.exitCode ?? child.signalCode}) before ${url}/system responded. ` +
          `Last lines of ${logFile}:\n${readLogTail(logFile)}`,
      );
    }
    try {
      const response = await fetch(`${url}/system`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return response.json();
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Orthanc did not respond to ${url}/system within ${timeoutMs} ms. Last lines of ${logFile}:\n${readLogTail(logFile)}`);
}

/**
 * Starts Orthanc with the project's configuration in `runDir`.
 * Refuses to start outside a loopback-only network namespace.
 * @param {{ runDir: string, httpPort?: number, startTimeoutMs?: number }} options
 * @returns {Promise<{ pid: number, url: string, child: import('node:child_process').ChildProcess, logFile: string, version: string, stop: () => Promise<void> }>}
 */
export async function startOrthanc({ runDir, httpPort = DEFAULT_ORTHANC_PORT, startTimeoutMs = 60_000 }) {
  assertLoopbackOnlyNetns('Orthanc');
  const executable = findOrthancExecutable();
  const configPath = await writeOrthancConfig({ runDir, httpPort });
  const logFile = path.join(runDir, 'orthanc.log');
  const logFd = openSync(logFile, 'a');

  // setpriv (util-linux) makes the kernel send SIGTERM to Orthanc if this
  // process dies without stopping it, so no Orthanc outlives its owner.
  const command = existsSync(SETPRIV) ? SETPRIV : executable;
  const args = command === SETPRIV ? ['--pdeathsig', 'TERM', '--', executable, configPath] : [configPath];
  const child = spawn(command, args, { cwd: runDir, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`failed to start ${executable}: ${error.message}`)));
  });
  log.info(`started Orthanc (pid ${child.pid}) on 127.0.0.1:${httpPort}, log ${logFile}`);
  child.once('exit', (code, signal) => log.info(`Orthanc (pid ${child.pid}) exited with ${signal ?? code}`));

  const url = `http://127.0.0.1:${httpPort}`;
  const stop = () => stopProcess(child, { name: 'Orthanc', timeoutMs: 15_000, log });
  try {
    const system = await waitForOrthanc(url, { child, timeoutMs: startTimeoutMs, logFile });
    log.info(`Orthanc ${system.Version} is ready at ${url} (inside the private network namespace)`);
    return { pid: child.pid, url, child, logFile, version: system.Version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops an Orthanc started by `startOrthanc`: SIGTERM, then SIGKILL after `timeoutMs`. */
export function stopOrthanc(orthanc, { timeoutMs = 15_000 } = {}) {
  return stopProcess(orthanc.child, { name: 'Orthanc', timeoutMs, log });
}

async function runPacsCommand(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      'run-dir': { type: 'string' },
      socket: { type: 'string' },
      port: { type: 'string', default: String(DEFAULT_ORTHANC_PORT) },
      upload: { type: 'string', multiple: true, default: [] },
      'allow-partial-upload': { type: 'boolean', default: false },
      'remove-run-dir': { type: 'boolean', default: false },
    },
  });
  if (!values['run-dir'] || !values.socket) {
    throw new Error('orthanc.mjs pacs needs --run-dir DIR and --socket FILE.');
  }
  if (process.env[NETNS_ENV_MARKER]) await bringUpLoopback();
  // When the parent dies, writes to our stdout pipe fail with EPIPE. That must
  // not crash this process before it has stopped Orthanc.
  process.stdout.on('error', () => {});

  const pacs = await startPacs({
    runDir: values['run-dir'],
    socketPath: values.socket,
    httpPort: Number(values.port),
    uploadPaths: values.upload,
    requireAllUploads: !values['allow-partial-upload'],
  });

  let stopping = false;
  const shutdown = async (reason, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info(`shutting down the PACS (${reason})`);
    await pacs.stop();
    if (values['remove-run-dir']) await rm(values['run-dir'], { recursive: true, force: true });
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // The parent keeps our stdin open. When it dies, even by SIGKILL, stdin ends.
  process.stdin.on('end', () => shutdown('parent closed stdin'));
  process.stdin.resume();
  pacs.orthanc.child.once('exit', () => {
    if (!stopping) {
      log.error('Orthanc exited unexpectedly; stopping the relay');
      shutdown('Orthanc exited', 1);
    }
  });

  process.stdout.write(
    `MEDSAM_PACS_READY ${JSON.stringify({ socketPath: pacs.socketPath, orthancUrl: pacs.orthanc.url, studyInstanceUids: pacs.studyInstanceUids })}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'plugins') {
    console.log(findOrthancPlugins().join('\n'));
  } else if (command === 'pacs') {
    runPacsCommand(rest).catch((error) => {
      log.error(error);
      process.exit(1);
    });
  } else {
    console.error(
      'usage: node scripts/orthanc.mjs pacs --run-dir DIR --socket FILE [--port N] [--upload PATH]... [--allow-partial-upload] [--remove-run-dir]\n' +
        '       node scripts/orthanc.mjs plugins',
    );
    process.exit(2);
  }
}
