/**
 * Named loggers (`medsam.inference`, `medsam.dicomweb`, ...). Every module logs
 * through one of these instead of calling `console` directly, so a deployment
 * can raise or lower the level in one place.
 *
 * Patient names and identifiers must never be logged above `debug`.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  readonly name: string;
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let minimumLevel: LogLevel = 'info';

/** Sets the lowest level that reaches the console, for every logger. */
export function setLogLevel(level: LogLevel): void {
  if (!(level in LEVEL_ORDER)) {
    throw new RangeError(`Invalid log level "${String(level)}": expected debug, info, warn or error.`);
  }
  minimumLevel = level;
}

/** Creates a logger whose messages are prefixed with `[name]`. */
export function createLogger(name: string): Logger {
  const emit = (level: LogLevel, message: string, details?: unknown): void => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minimumLevel]) {
      return;
    }
    const line = `[${name}] ${message}`;
    const args = details === undefined ? [line] : [line, details];
    // The console is the sink; this is the only place that writes to it.
    // eslint-disable-next-line no-console
    console[level](...args);
  };

  return {
    name,
    debug: (message, details) => emit('debug', message, details),
    info: (message, details) => emit('info', message, details),
    warn: (message, details) => emit('warn', message, details),
    error: (message, details) => emit('error', message, details),
  };
}
