/**
 * Starts a separate viewer server (scripts/serve.mjs) on 127.0.0.1 with its
 * own model folders and `modelBaseUrl`, so that a test can serve broken model
 * files on an origin of its own. Each server is a new origin, so it also has
 * its own Cache Storage in the browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

import type { ServerStats } from '../../helpers/services';

const CHILD_SCRIPT = path.join(__dirname, 'modelServerProcess.mjs');
const START_TIMEOUT_MS = 60_000;

export interface ModelServerOptions {
  /** Model name to folder; each is served at /medsam/models/<name>/. */
  modelDirs: Record<string, string>;
  /** `window.config.medsam.modelBaseUrl`, e.g. /medsam/models/tiny/. */
  modelBaseUrl: string;
  /** DICOMweb root of the PACS, e.g. http://127.0.0.1:8042/dicom-web. */
  dicomwebUrl: string;
  /** Further `window.config.medsam` settings, e.g. `{ stowTimeoutMs: 3000 }`. */
  medsam?: Record<string, unknown>;
}

export interface ModelServer {
  /** Server root without a trailing slash. */
  url: string;
  modelDirs: Record<string, string>;
  fetchStats(): Promise<ServerStats>;
  close(): Promise<void>;
}

/** Starts the server in a child process and resolves once it listens. */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const childOptions = { ...options, medsamDir: process.env.MEDSAM_BUNDLE_DIR || undefined };
  const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(childOptions)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await readListeningUrl(child);

  const fetchStats = async () => {
    const response = await fetch(`${url}/__medsam/stats`);
    if (!response.ok) {
      throw new Error(`GET ${url}/__medsam/stats failed with HTTP ${response.status}`);
    }
    return (await response.json()) as ServerStats;
  };
  const close = () => stopChild(child);
  return { url, modelDirs: options.modelDirs, fetchStats, close };
}

/**
 * Reads the child's stdout until the JSON line with its URL, and forwards the
 * server's log lines to stderr. Kills the child when it does not start.
 */
function readListeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(new Error(`The model server (pid ${child.pid}) did not report its URL within ${START_TIMEOUT_MS} ms.`));
    }, START_TIMEOUT_MS);
    let listening = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', line => {
      if (listening || !line.startsWith('{')) {
        process.stderr.write(`${line}\n`);
        return;
      }
      try {
        const { url } = JSON.parse(line) as { url: string };
        listening = true;
        clearTimeout(timer);
        resolve(url);
      } catch {
        fail(new Error(`The model server printed ${JSON.stringify(line)} instead of its URL as JSON.`));
      }
    });
    child.once('exit', code => {
      if (!listening) {
        fail(new Error(`The model server exited with code ${code} before it listened; see its output above.`));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Returns the requests the server logged between two snapshots of its stats. */
export function listRequestsBetween(before: ServerStats, after: ServerStats): ServerStats['recent'] {
  const newRequests = after.total - before.total;
  if (newRequests > after.recent.length) {
    throw new Error(`The server handled ${newRequests} requests, more than the ${after.recent.length} its stats keep.`);
  }
  return after.recent.slice(after.recent.length - newRequests);
}

/**
 * Sums the bytes the server sent for `.onnx` files in `requests`: the size on
 * disk of each file sent with HTTP 200 in response to a GET. The server counts
 * requests, not bytes, so a response cut short by the client still counts in
 * full.
 */
export function countServedModelBytes(requests: ServerStats['recent'], modelDirs: Record<string, string>): number {
  let total = 0;
  for (const entry of requests) {
    const match = /^\/medsam\/models\/([^/]+)\/(.+\.onnx)$/.exec(entry.path);
    const dir = match && modelDirs[match[1]!];
    if (!match || !dir || entry.method !== 'GET' || entry.status !== 200) {
      continue;
    }
    total += statSync(path.join(dir, match[2]!)).size;
  }
  return total;
}
