import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

import { mimeTypeFor } from './mimeTypes.mjs';

/**
 * Resolves a URL path below `root`, or returns null when the decoded path is
 * invalid or would leave `root` (`..`, NUL bytes).
 * @param {string} root
 * @param {string} urlPath path below the mount point, starting with `/`
 */
export function resolveBelow(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const resolved = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  const rootWithSep = root.endsWith(path.sep) ? root : root + path.sep;
  return resolved === root || resolved.startsWith(rootWithSep) ? resolved : null;
}

/** Returns the file's stats when `file` is a regular file, otherwise null. */
export async function statFile(file) {
  try {
    const info = await stat(file);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

/**
 * Streams a file with its Content-Type, Content-Length and a weak ETag, and
 * responds with 304 when If-None-Match matches. HEAD requests get the headers only.
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 * @param {string} file
 * @param {import('node:fs').Stats} info
 */
export function serveFile(request, response, file, info) {
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('Content-Type', mimeTypeFor(file));
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304);
    response.end();
    return;
  }
  response.setHeader('Content-Length', info.size);
  response.writeHead(200);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', (error) => response.destroy(error));
  stream.pipe(response);
}
