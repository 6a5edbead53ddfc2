// Shared entry point of the benchmark scripts that need Orthanc: Orthanc
// listens on every interface, so they run inside a private network
// namespace with loopback only.
import { NETNS_ENV_MARKER, spawnNodeInPrivateNetns } from '../netns.mjs';

/**
 * Runs `inside(argv)` when this process is already in the private network
 * namespace. Otherwise checks the arguments with `check(argv)`, which throws
 * on bad ones, and re-executes `script` under `unshare -n`, forwarding
 * SIGTERM. Exits with the exit code; an error is logged with `log`.
 * @param {{ script: string, check: (argv: string[]) => unknown, inside: (argv: string[]) => Promise<number>, log: { error(message: unknown): void } }} entry
 */
export function runInPrivateNetns({ script, check, inside, log }) {
  const outside = async (argv) => {
    check(argv);
    const child = spawnNodeInPrivateNetns(script, argv, { stdio: 'inherit' });
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    process.on('SIGINT', () => {});
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  };
  const argv = process.argv.slice(2);
  const run = process.env[NETNS_ENV_MARKER] ? inside : outside;
  run(argv).then(
    (code) => process.exit(code),
    (error) => {
      log.error(error.message);
      if (process.env.MEDSAM_DEBUG) log.error(error);
      process.exit(1);
    },
  );
}
