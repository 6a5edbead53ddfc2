/**
 * A DICOMweb front for fault tests: an HTTP server on 127.0.0.1 that passes
 * every request through to Orthanc unchanged, unless a test sets a fault for
 * STOW-RS (POST) or takes the whole front down. A viewer server whose
 * DICOMweb upstream is this front then gets the faults as an archive would
 * show them: a status from a proxy in front of it, no response, or a refused
 * connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the front does with a STOW-RS request. */
export type StowFault =
  /** Pass the request to Orthanc. */
  | { kind: 'none' }
  /**
   * Read the body, then respond with this status. Without `body` the front
   * responds as a proxy would (413 with nginx's page). `body` makes it respond
   * as the archive would, e.g. a DICOM JSON Failed SOP Sequence built from the
   * request.
   */
  | { kind: 'status'; status: number; body?: StowFaultBody }
  /** Read the body and never respond. */
  | { kind: 'hang' }
  /** Pass the request to Orthanc, which stores the instance, but never respond. */
  | { kind: 'drop-response' };

/** A response body and its Content-Type, fixed or built from the STOW-RS request. */
export type StowFaultBody =
  | { contentType: string; text: string }
  | ((request: { contentType: string; body: Buffer }) => { contentType: string; text: string });

export interface FaultyDicomweb {
  /** DICOMweb root of the front, e.g. http://127.0.0.1:PORT/dicom-web. */
  dicomwebUrl: string;
  setStowFault(fault: StowFault): void;
  /** STOW-RS requests that reached the front so far, faulted or not. */
  stowRequests(): number;
  /** Closes the listener and every connection, so the viewer server's connections are refused. */
  takeDown(): Promise<void>;
  /** Listens again on the same port; does nothing while it listens already. */
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

const NGINX_413_PAGE =
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n' +
  '<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Starts the front for the Orthanc at `orthancUrl` (its REST root; DICOMweb is below /dicom-web). */
export async function startFaultyDicomweb(orthancUrl: string): Promise<FaultyDicomweb> {
  const upstream = new URL(orthancUrl);
  let fault: StowFault = { kind: 'none' };
  let stowCount = 0;

  const server = http.createServer((request, response) => {
    if (request.method === 'POST') {
      stowCount++;
    }
    if (request.method !== 'POST' || fault.kind === 'none') {
      forward(upstream, request, response);
      return;
    }
    if (fault.kind === 'drop-response') {
      forward(upstream, request, null);
      return;
    }
    const current = fault;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (current.kind === 'status') {
        const requestBody = { contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) };
        let status = current.status;
        let reply: { contentType: string; text: string };
        try {
          reply = buildFaultBody(current.status, current.body, requestBody);
        } catch (error) {
          // A test's body builder that throws must fail that test, not the front.
          const message = `fault front: building the HTTP ${current.status} body for ${request.url} failed: ${(error as Error).message}`;
          process.stderr.write(`${message}\n`);
          status = 500;
          reply = { contentType: 'text/plain', text: `${message}\n` };
        }
        response.writeHead(status, { 'Content-Type': reply.contentType, Connection: 'close' });
        response.end(reply.text);
      }
      // A hanging request ends when the client gives up or the front closes its connections.
    });
  });

  await listen(server, 0);
  const { port } = server.address() as AddressInfo;

  const takeDown = () =>
    new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    dicomwebUrl: `http://127.0.0.1:${port}/dicom-web`,
    setStowFault: next => {
      fault = next;
    },
    stowRequests: () => stowCount,
    takeDown,
    bringUp: async () => {
      if (!server.listening) await listen(server, port);
    },
    close: async () => {
      if (server.listening) {
        await takeDown();
      }
    },
  };
}

function buildFaultBody(
  status: number,
  body: StowFaultBody | undefined,
  request: { contentType: string; body: Buffer },
): { contentType: string; text: string } {
  if (typeof body === 'function') {
    return body(request);
  }
  if (body) {
    return body;
  }
  return { contentType: 'text/html', text: status === 413 ? NGINX_413_PAGE : `HTTP ${status} from the fault-injecting front\n` };
}

/**
 * Sends the request on to Orthanc with its headers (Host set to Orthanc's)
 * and streams the response back, or discards it when `response` is null.
 */
function forward(upstream: URL, request: http.IncomingMessage, response: http.ServerResponse | null): void {
  const upstreamRequest = http.request({
    hostname: upstream.hostname,
    port: upstream.port,
    method: request.method,
    path: request.url,
    headers: { ...request.headers, host: upstream.host },
  });
  upstreamRequest.on('response', upstreamResponse => {
    if (!response) {
      upstreamResponse.resume();
      return;
    }
    response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
    upstreamResponse.pipe(response);
  });
  upstreamRequest.on('error', error => {
    process.stderr.write(`fault front: ${request.method} ${request.url} to Orthanc failed: ${error.message}\n`);
    if (!response) {
      return;
    }
    if (!response.headersSent) {
      response.writeHead(502, { 'Content-Type': 'text/plain' });
    }
    response.end();
  });
  response?.on('close', () => {
    if (!response.writableFinished) {
      upstreamRequest.destroy();
    }
  });
  request.pipe(upstreamRequest);
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
