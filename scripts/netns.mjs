// Private network namespaces for Orthanc. Orthanc 1.10 has no bind-address
// option and listens on every interface, so the project only runs it inside a
// namespace created with `unshare -n`, whose sole interface is loopback.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { runCommand } from './lib/runCommand.mjs';

/** Environment marker set on processes that this module started in a new namespace. */
export const NETNS_ENV_MARKER = 'MEDSAM_PRIVATE_NETNS';

/**
 * Lists the network interfaces of the calling process's namespace.
 * `/proc/self/net/dev` is per namespace, unlike `/sys/class/net`, which shows
 * the namespace that sysfs was mounted in.
 * @returns {string[]}
 */
export function listNetworkInterfaces() {
  const lines = readFileSync('/proc/self/net/dev', 'utf8').split('\n').slice(2);
  return lines
    .map((line) => line.split(':')[0]?.trim())
    .filter((name) => typeof name === 'string' && name.length > 0);
}

/** Returns true when the only network interface is loopback (`lo`). */
export function isLoopbackOnlyNetns() {
  const interfaces = listNetworkInterfaces();
  return interfaces.length === 1 && interfaces[0] === 'lo';
}

/**
 * Throws unless the process runs in a namespace whose only interface is `lo`.
 * A namespace that merely differs from PID 1's is not enough, because it may
 * still have a veth or a bridge to the outside.
 * @param {string} purpose what is about to start, for the error message
 */
export function assertLoopbackOnlyNetns(purpose) {
  if (isLoopbackOnlyNetns()) return;
  throw new Error(
    `Refusing to start ${purpose}: this network namespace has the interfaces ` +
      `${listNetworkInterfaces().join(', ')}, and ${purpose} would listen on all of them. ` +
      'Run it inside `unshare -n` (the project scripts do this for you: npm start, npm test).',
  );
}

/** Brings the loopback interface up; a namespace made by `unshare -n` starts with it down. */
export async function bringUpLoopback() {
  await runCommand('ip', ['link', 'set', 'lo', 'up']);
}

/**
 * Returns the `unshare` arguments that create a private network namespace.
 * Root gets a plain `-n`. Other users get a user namespace as well
 * (`--map-root-user`), which works where unprivileged user namespaces are enabled.
 */
export function unshareArguments() {
  return process.getuid?.() === 0 ? ['--net'] : ['--map-root-user', '--net'];
}

/**
 * Starts `node <script> <args>` in a new private network namespace.
 * `unshare` without `--fork` execs the program, so the returned child's PID is
 * the Node process itself and signals reach it directly.
 * @param {string} script path of the .mjs file to run
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function spawnNodeInPrivateNetns(script, args, options = {}) {
  return spawn('unshare', [...unshareArguments(), '--', process.execPath, script, ...args], {
    ...options,
    env: { ...(options.env ?? process.env), [NETNS_ENV_MARKER]: '1' },
  });
}
