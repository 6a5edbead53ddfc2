export { createLogger, setLogLevel } from './createLogger';
export type { Logger, LogLevel } from './createLogger';
