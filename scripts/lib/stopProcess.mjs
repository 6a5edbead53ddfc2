/**
 * Stops a child process by PID: SIGTERM, then SIGKILL when it is still running
 * after `timeoutMs`. Resolves once it has exited.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ name: string, timeoutMs?: number, log?: { info: Function, warn: Function } }} options
 * @returns {Promise<void>}
 */
export async function stopProcess(child, { name, timeoutMs = 10_000, log }) {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise((resolve) => child.once('exit', resolve));
  log?.info(`stopping ${name} (pid ${child.pid}) with SIGTERM`);
  child.kill('SIGTERM');

  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);

  if (outcome === 'timeout') {
    log?.warn(`${name} (pid ${child.pid}) still running ${timeoutMs} ms after SIGTERM; sending SIGKILL`);
    child.kill('SIGKILL');
    await exited;
  }
  log?.info(`${name} (pid ${child.pid}) stopped`);
}
