// A UNIX domain socket relay: each connection accepted on `socketPath` is
// piped to a TCP port on loopback. It runs inside Orthanc's private network
// namespace, so a web server outside that namespace can reach Orthanc
// through the socket file (a path-bound UNIX socket is not tied to a namespace).

import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';

import { createLogger } from './lib/log.mjs';

const log = createLogger('medsam.relay');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

// Linux limits sun_path to 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH_BYTES = 107;

/**
 * Starts the relay and resolves once it listens.
 * @param {{ socketPath: string, targetPort: number, targetHost?: string }} options
 * @returns {Promise<{ socketPath: string, close: () => Promise<void> }>}
 */
export async function startRelay({ socketPath, targetPort, targetHost = '127.0.0.1' }) {
  if (!LOOPBACK_HOSTS.has(targetHost)) {
    throw new Error(`Invalid relay target host "${targetHost}": the relay only connects to loopback (127.0.0.1, ::1).`);
  }
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`Socket path ${socketPath} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; use a shorter run directory.`);
  }
  await rm(socketPath, { force: true });

  const connections = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort });
    connections.add(client);
    connections.add(upstream);
    const forget = () => {
      connections.delete(client);
      connections.delete(upstream);
    };
    client.on('error', (error) => {
      log.warn(`client connection error: ${error.message}`);
      upstream.destroy();
    });
    upstream.on('error', (error) => {
      log.error(`connection to ${targetHost}:${targetPort} failed: ${error.message}`);
      client.destroy();
    });
    client.on('close', () => {
      upstream.destroy();
      forget();
    });
    upstream.on('close', () => {
      client.destroy();
      forget();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  // Only the owner (root in CI) may connect; the run directory is 0700 as well.
  await chmod(socketPath, 0o600);
  log.info(`relay listening on ${socketPath}, forwarding to ${targetHost}:${targetPort}`);

  const close = async () => {
    await new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of connections) socket.destroy();
    });
    await rm(socketPath, { force: true });
    log.info(`relay on ${socketPath} stopped`);
  };
  return { socketPath, close };
}
