import { MedsamError } from '../../../src/MedsamError';

/**
 * Returns the message the panel shows when storing a SEG of `byteLength`
 * bytes failed. For HTTP 413, 403 and 409 it first states in terms of the SEG
 * what the server rejected and what to change, then the DICOMweb error.
 */
export function describeSaveFailure(error: unknown, byteLength: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof MedsamError ? error.httpStatus : undefined;
  switch (status) {
    case 413:
      return (
        `The SEG (${formatSize(byteLength)}) is larger than the archive or a proxy in front of it accepts (HTTP 413). ` +
        `Raise that proxy's request body limit above the SEG's size, for nginx client_max_body_size ` +
        `(e.g. client_max_body_size 512m;), then Retry. ${message}`
      );
    case 403:
      return `The archive rejected storing the SEG for this user (HTTP 403): ask its administrator for write access to the study, then Retry. ${message}`;
    case 409:
      return `The archive rejected the SEG as a conflict with what it already stores (HTTP 409). ${message}`;
    default:
      return message;
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
