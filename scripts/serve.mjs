#!/usr/bin/env node
// The viewer's web server (node:http only, bound to loopback). It serves the
// prebuilt OHIF Viewer with the project's generated app-config.js, the
// extension bundles from dist/medsam/ at /medsam/, model files at
// /medsam/models/<name>/, and proxies /dicom-web/* to the PACS. Every
// response carries the cross-origin isolation headers.
//
// CLI: node scripts/serve.mjs --help

import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createDicomwebProxy } from './lib/createDicomwebProxy.mjs';
import { setIsolationHeaders } from './lib/isolationHeaders.mjs';
import { createLogger } from './lib/log.mjs';
import { renderAppConfig } from './lib/renderAppConfig.mjs';
import { RequestStats } from './lib/RequestStats.mjs';
import { resolveBelow, serveFile, statFile } from './lib/serveFile.mjs';

const log = createLogger('medsam.serve');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_PORT = 3000;
export const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function sendText(response, status, text) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}

/**
 * Returns the status and message for a request the server must not handle,
 * or null. One case is a Host header other than this loopback server, which
 * is what a page on another site sends after rebinding its name to
 * 127.0.0.1. The other is a target that is not a plain origin-form path
 * (encoded slashes, backslashes, dot segments, absolute-form URLs), because
 * such a target could route one way and be forwarded another.
 * @returns {{ status: number, message: string } | null}
 */
export function rejectRequest(request, rawTarget, port) {
  const host = (request.headers.host ?? '').toLowerCase();
  const allowedHosts = ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`);
  if (!allowedHosts.includes(host)) {
    return { status: 421, message: `Host ${JSON.stringify(host)} is not this server; open it as http://127.0.0.1:${port}/.` };
  }
  if (!rawTarget.startsWith('/') || /%2f|%5c|%2e|\\|#/i.test(rawTarget) || /(^|\/)\.\.?(\/|$|\?)/.test(rawTarget)) {
    return { status: 400, message: 'Invalid request target: encoded slashes, backslashes and dot segments are not accepted.' };
  }
  return null;
}

/**
 * Creates and starts the viewer server.
 * @param {object} options
 * @param {string} options.ohifDir the OHIF dist folder (scripts/ohif-viewer.mjs)
 * @param {string} [options.medsamDir] built extension and mode bundles, default dist/medsam
 * @param {Record<string, string>} [options.modelDirs] model name to folder, served at /medsam/models/<name>/
 * @param {{ url?: string, socketPath?: string }} options.dicomweb the PACS: a DICOMweb root URL or the relay socket
 * @param {number} [options.port] TCP port, 0 for any free one
 * @param {string} [options.host] loopback address to bind, default 127.0.0.1
 * @param {number} [options.upstreamTimeoutMs] proxy timeout without a response, default 120 s
 * @param {object} [options.appConfig] options of renderAppConfig (lib/renderAppConfig.mjs)
 * @returns {Promise<{ url: string, port: number, stats: RequestStats, close: () => Promise<void> }>}
 */
export async function startViewerServer({
  ohifDir,
  medsamDir = path.join(repoRoot, 'dist', 'medsam'),
  modelDirs = {},
  dicomweb,
  port = DEFAULT_PORT,
  host = '127.0.0.1',
  upstreamTimeoutMs = 120_000,
  appConfig = {},
}) {
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`Invalid host "${host}": the viewer server binds to loopback only (127.0.0.1 or ::1).`);
  }
  if (!existsSync(path.join(ohifDir, 'index.html'))) {
    throw new Error(`${ohifDir} has no index.html; run node scripts/ohif-viewer.mjs to download the OHIF Viewer.`);
  }
  for (const [name, dir] of Object.entries(modelDirs)) {
    if (!MODEL_NAME_PATTERN.test(name)) throw new Error(`Invalid model name "${name}": use letters, digits, ".", "_" and "-".`);
    if (!existsSync(dir)) log.warn(`model folder ${dir} for /medsam/models/${name}/ does not exist (yet)`);
  }
  if (!existsSync(medsamDir)) log.warn(`${medsamDir} does not exist; run npm run build to create the extension bundles`);

  const stats = new RequestStats();
  const proxy = createDicomwebProxy({
    upstream: dicomweb,
    timeoutMs: upstreamTimeoutMs,
    onError: (message) => {
      stats.recordProxyError();
      log.error(`proxy: ${message}`);
    },
  });
  const appConfigJs = await renderAppConfig(appConfig);
  const indexFile = path.join(ohifDir, 'index.html');

  async function serveStatic(request, response, root, subPath, { spaFallback }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendText(response, 405, `Method ${request.method} not allowed`);
      return;
    }
    const file = resolveBelow(root, subPath);
    const info = file && (await statFile(file));
    if (info) {
      serveFile(request, response, file, info);
      return;
    }
    // Viewer routes such as /medsam?StudyInstanceUIDs=... or /viewer/dicomweb
    // have no file extension, so they get the single-page app.
    if (spaFallback && path.posix.extname(subPath) === '') {
      serveFile(request, response, indexFile, await statFile(indexFile));
      return;
    }
    sendText(response, 404, `Not found: ${subPath}`);
  }

  async function route(request, response, pathname, pathAndQuery) {
    if (pathname === '/__medsam/stats') {
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify(stats));
      return;
    }
    if (pathname === '/dicom-web' || pathname.startsWith('/dicom-web/')) {
      proxy(request, response, pathAndQuery);
      return;
    }
    if (pathname === '/app-config.js') {
      response.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : appConfigJs);
      return;
    }
    const modelMatch = /^\/medsam\/models\/([^/]+)(\/.*)$/.exec(pathname);
    if (modelMatch) {
      const modelDir = modelDirs[modelMatch[1]];
      if (!modelDir) {
        sendText(response, 404, `Unknown model "${modelMatch[1]}"; served models: ${Object.keys(modelDirs).join(', ') || 'none'}`);
        return;
      }
      await serveStatic(request, response, modelDir, modelMatch[2], { spaFallback: false });
      return;
    }
    if (pathname.startsWith('/medsam/')) {
      const subPath = pathname.slice('/medsam'.length);
      const file = resolveBelow(medsamDir, subPath);
      if (file && (await statFile(file))) {
        await serveStatic(request, response, medsamDir, subPath, { spaFallback: false });
        return;
      }
    }
    await serveStatic(request, response, ohifDir, pathname, { spaFallback: true });
  }

  const server = http.createServer((request, response) => {
    const startedAt = performance.now();
    const rawTarget = request.url ?? '/';
    let pathname = '/';
    let pathAndQuery = '/';
    setIsolationHeaders(response);
    const rejection = rejectRequest(request, rawTarget, server.address()?.port);
    if (rejection) {
      stats.record({ method: request.method ?? 'GET', pathname: '(rejected)', status: rejection.status, durationMs: 0 });
      sendText(response, rejection.status, rejection.message);
      return;
    }
    // Routing and the proxy both use the normalized path, so the path that is
    // checked is the path that is forwarded.
    const parsed = new URL(rawTarget, 'http://viewer.invalid');
    pathname = parsed.pathname;
    pathAndQuery = `${parsed.pathname}${parsed.search}`;
    response.on('finish', () => {
      stats.record({
        method: request.method ?? 'GET',
        pathname,
        status: response.statusCode,
        durationMs: Math.round(performance.now() - startedAt),
      });
    });
    route(request, response, pathname, pathAndQuery).catch((error) => {
      log.error(`${request.method} ${pathname} failed:`, error);
      if (!response.headersSent) sendText(response, 500, 'Internal server error');
      else response.destroy();
    });
  });
  // Large STOW-RS uploads: no overall request deadline, but idle sockets time out.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise((resolve, reject) => {
    server.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on ${host} is already in use; pass another one with --port.`));
      } else {
        reject(error);
      }
    });
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  log.info(`viewer server listening on ${url}, DICOMweb proxied to ${proxy.label}`);

  const close = async () => {
    await new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    proxy.close();
    log.info(`viewer server on ${url} stopped`);
  };
  return { url, port: address.port, stats, close };
}

/** Parses `--model NAME=DIR` values into a name-to-folder map. */
export function parseModelOptions(values) {
  const modelDirs = {};
  for (const value of values) {
    const separator = value.indexOf('=');
    if (separator < 1) throw new Error(`Invalid --model "${value}": expected NAME=DIR, e.g. standin=build/models/standin.`);
    modelDirs[value.slice(0, separator)] = path.resolve(value.slice(separator + 1));
  }
  return modelDirs;
}

const HELP = `Usage: node scripts/serve.mjs [options]

Serves the OHIF Viewer with the MedSAM extension on 127.0.0.1 and proxies
/dicom-web/* to a DICOMweb server. npm start runs this for you, with Orthanc.

Options:
  --dicomweb URL          DICOMweb root of an existing PACS, e.g. http://127.0.0.1:8042/dicom-web
  --dicomweb-socket FILE  UNIX socket of the Orthanc relay (instead of --dicomweb)
  --port N                TCP port on 127.0.0.1 (default ${DEFAULT_PORT}, 0 picks a free one)
  --model NAME=DIR        serve DIR at /medsam/models/NAME/ (repeatable)
  --model-base-url PATH   window.config.medsam.modelBaseUrl (default /medsam/models/<first model>/)
  --timeout-s N           seconds the proxy waits for a PACS response (default 120)
  --help                  show this text
`;

async function main() {
  const { values } = parseArgs({
    options: {
      dicomweb: { type: 'string' },
      'dicomweb-socket': { type: 'string' },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      model: { type: 'string', multiple: true, default: [] },
      'model-base-url': { type: 'string' },
      'timeout-s': { type: 'string', default: '120' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.dicomweb === !values['dicomweb-socket']) {
    throw new Error('Pass exactly one of --dicomweb URL and --dicomweb-socket FILE (see --help).');
  }
  const { ensureOhifViewer } = await import('./ohif-viewer.mjs');
  const modelDirs = parseModelOptions(values.model);
  const firstModel = Object.keys(modelDirs)[0];
  const modelBaseUrl = values['model-base-url'] ?? (firstModel ? `/medsam/models/${firstModel}/` : undefined);
  const server = await startViewerServer({
    ohifDir: await ensureOhifViewer(),
    modelDirs,
    dicomweb: values.dicomweb ? { url: values.dicomweb } : { socketPath: path.resolve(values['dicomweb-socket']) },
    port: Number(values.port),
    upstreamTimeoutMs: Number(values['timeout-s']) * 1000,
    appConfig: modelBaseUrl ? { medsam: { modelBaseUrl } } : {},
  });
  const shutdown = (signal) => {
    log.info(`received ${signal}`);
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    log.error(error.message);
    process.exit(1);
  });
}
