// Prefixed, timestamped log lines for the project's scripts. Each script
// names its logger ("medsam.orthanc", "medsam.serve") so interleaved output
// from Orthanc, the relay and the web server stays readable.

function formatArgument(arg) {
  if (arg instanceof Error) return arg.stack ?? arg.message;
  if (typeof arg === 'string') return arg;
  return JSON.stringify(arg);
}

/**
 * Creates a logger whose lines start with the time and `name`.
 * @param {string} name
 */
export function createLogger(name) {
  const write = (level, args) => {
    const time = new Date().toISOString().slice(11, 23);
    const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
    const text = args.map(formatArgument).join(' ');
    stream.write(`${time} ${level.padEnd(5)} ${name}: ${text}\n`);
  };
  return {
    debug: (...args) => {
      if (process.env.MEDSAM_DEBUG) write('debug', args);
    },
    info: (...args) => write('info', args),
    warn: (...args) => write('warn', args),
    error: (...args) => write('error', args),
  };
}
