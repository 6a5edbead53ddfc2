/**
 * The one error class of the core. `code` names the domain and the
 * failure, and the message states what failed, on which value, and what to do.
 */
export type MedsamErrorCode =
  | 'config/invalid'
  | 'pixels/unsupported'
  | 'pixels/invalid'
  | 'pixels/constant'
  | 'box/invalid'
  | 'series/invalid'
  | 'mask/invalid'
  | 'model/load-failed'
  | 'model/integrity'
  | 'model/interface'
  | 'inference/failed'
  | 'inference/aborted'
  | 'worker/protocol'
  | 'seg/invalid-input'
  | 'dicomweb/network'
  | 'dicomweb/rejected'
  | 'dicomweb/not-confirmed'
  | 'storage/failed';

export class MedsamError extends Error {
  readonly code: MedsamErrorCode;
  override readonly cause?: unknown;
  /** HTTP status of the response that caused the error, for `dicomweb/rejected`. */
  readonly httpStatus?: number;

  constructor(code: MedsamErrorCode, message: string, options: { cause?: unknown; httpStatus?: number } = {}) {
    super(message);
    this.name = 'MedsamError';
    this.code = code;
    this.cause = options.cause;
    this.httpStatus = options.httpStatus;
  }
}

/** Throws a `MedsamError` with code `inference/aborted` when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new MedsamError('inference/aborted', `${what} was cancelled.`, { cause: signal.reason });
  }
}
