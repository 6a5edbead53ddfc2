import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';

import { ISOLATION_HEADERS } from './isolationHeaders.mjs';

// RFC 9110 section 7.6.1: connection-specific headers are not forwarded.
const HOP_BY_HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function copyEndToEndHeaders(headers) {
  const copy = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP_HEADERS.has(name.toLowerCase()) && value !== undefined) copy[name] = value;
  }
  return copy;
}

/**
 * Parses the upstream of the proxy: `{ url }` for an existing DICOMweb server
 * (its DICOMweb root, e.g. http://pacs.example:8042/dicom-web) or
 * `{ socketPath, basePath }` for the embedded Orthanc behind the relay.
 */
function describeUpstream(upstream) {
  if (upstream.socketPath) {
    return {
      transport: http,
      socketPath: upstream.socketPath,
      basePath: (upstream.basePath ?? '/dicom-web').replace(/\/+$/, ''),
      label: `unix:${upstream.socketPath}`,
      forwardHost: true,
    };
  }
  let url;
  try {
    url = new URL(upstream.url);
  } catch {
    throw new Error(`Invalid DICOMweb URL "${upstream.url}": expected e.g. http://127.0.0.1:8042/dicom-web.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid DICOMweb URL "${upstream.url}": only http: and https: are supported.`);
  }
  return {
    transport: url.protocol === 'https:' ? https : http,
    hostname: url.hostname,
    port: url.port || undefined,
    basePath: url.pathname.replace(/\/+$/, ''),
    label: url.origin,
    hostHeader: url.host,
    auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
    forwardHost: false,
  };
}

/**
 * Creates a request handler that forwards `<mountPath>/*` to a DICOMweb server,
 * streaming request and response bodies (STOW-RS uploads can be large) and
 * keeping the upstream status code. The isolation headers are added to every
 * proxied response.
 * @param {{ upstream: { url?: string, socketPath?: string, basePath?: string }, mountPath?: string, timeoutMs?: number, onError?: (message: string) => void }} options
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse, pathAndQuery: string) => void}
 */
export function createDicomwebProxy({ upstream, mountPath = '/dicom-web', timeoutMs = 120_000, onError = () => {} }) {
  const target = describeUpstream(upstream);
  const agent = new target.transport.Agent({ keepAlive: true, maxSockets: 32 });

  const handler = (request, response, pathAndQuery) => {
    const suffix = pathAndQuery.slice(mountPath.length);
    const upstreamPath = `${target.basePath}${suffix.startsWith('/') || suffix.startsWith('?') || suffix === '' ? suffix : `/${suffix}`}`;
    const pathOnly = upstreamPath.split('?')[0];

    const headers = copyEndToEndHeaders(request.headers);
    const clientHost = request.headers.host ?? '127.0.0.1';
    // Orthanc builds the absolute URLs in its replies (BulkDataURI, RetrieveURL)
    // from the Host header, so the embedded one gets the viewer's own host.
    headers.host = target.forwardHost ? clientHost : target.hostHeader;
    headers['x-forwarded-host'] = clientHost;
    headers['x-forwarded-proto'] = 'http';
    headers.forwarded = `host=${clientHost};proto=http`;

    const upstreamRequest = target.transport.request({
      agent,
      socketPath: target.socketPath,
      hostname: target.hostname,
      port: target.port,
      auth: target.auth,
      method: request.method,
      path: upstreamPath,
      headers,
    });

    const fail = (status, message) => {
      onError(`${request.method} ${pathOnly} via ${target.label}: ${message}`);
      if (!response.headersSent) {
        response.writeHead(status, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`${status === 504 ? 'Gateway Timeout' : 'Bad Gateway'}: ${message}\n`);
      } else {
        response.destroy();
      }
    };

    upstreamRequest.setTimeout(timeoutMs, () => {
      upstreamRequest.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });

    upstreamRequest.on('response', (upstreamResponse) => {
      const status = upstreamResponse.statusCode ?? 502;
      if (status >= 400) onError(`${request.method} ${pathOnly} via ${target.label}: upstream responded with HTTP ${status}`);
      response.writeHead(status, { ...copyEndToEndHeaders(upstreamResponse.headers), ...ISOLATION_HEADERS });
      pipeline(upstreamResponse, response, (error) => {
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          onError(`${request.method} ${pathOnly}: response stream failed: ${error.message}`);
        }
      });
    });

    upstreamRequest.on('error', (error) => {
      if (response.writableEnded) return;
      fail(error.code === 'ETIMEDOUT' ? 504 : 502, `${error.code ?? 'error'} ${error.message}`);
    });

    // A client that goes away mid-request must not leave the upstream request running.
    response.on('close', () => {
      if (!response.writableFinished) upstreamRequest.destroy();
    });

    pipeline(request, upstreamRequest, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        // The upstream 'error' handler above already reports failures of upstreamRequest.
        if (!upstreamRequest.destroyed) onError(`${request.method} ${pathOnly}: request stream failed: ${error.message}`);
      }
    });
  };

  handler.close = () => agent.destroy();
  handler.label = target.label;
  return handler;
}
