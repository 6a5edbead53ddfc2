/** A multipart/related request body and its Content-Type header. */
export interface MultipartBody {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  boundary: string;
}

const encoder = new TextEncoder();

/**
 * Builds a `multipart/related; type="application/dicom"` body (RFC 2387,
 * PS3.18 8.6.1.2) with one part per DICOM Part 10 file, as STOW-RS expects.
 * A random boundary is drawn again in the unlikely case that it occurs
 * inside a file.
 */
export function buildMultipartRelated(files: readonly ArrayBuffer[], mediaType = 'application/dicom'): MultipartBody {
  const parts = files.map((file) => new Uint8Array(file));
  let boundary = createBoundary();
  while (parts.some((part) => containsBytes(part, encoder.encode(`--${boundary}`)))) {
    boundary = createBoundary();
  }

  const partHeader = encoder.encode(`--${boundary}\r\nContent-Type: ${mediaType}\r\n\r\n`);
  const lineBreak = encoder.encode('\r\n');
  const closing = encoder.encode(`--${boundary}--\r\n`);
  const length =
    parts.reduce((sum, part) => sum + partHeader.length + part.length + lineBreak.length, 0) + closing.length;

  const body = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    body.set(partHeader, offset);
    offset += partHeader.length;
    body.set(part, offset);
    offset += part.length;
    body.set(lineBreak, offset);
    offset += lineBreak.length;
  }
  body.set(closing, offset);

  return {
    body,
    boundary,
    contentType: `multipart/related; type="${mediaType}"; boundary=${boundary}`,
  };
}

function createBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `medsam-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** Returns the index of `needle` in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first ?? 0, from); i !== -1 && i <= last; i = haystack.indexOf(first ?? 0, i + 1)) {
    let matches = true;
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        matches = false;
        break;
      }
    }
    if (matches) {
      return i;
    }
  }
  return -1;
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return indexOfBytes(haystack, needle) !== -1;
}
