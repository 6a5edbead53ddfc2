import { MedsamError } from '../MedsamError';
import { indexOfBytes } from './buildMultipartRelated';

/** One part of a multipart body. */
export interface MultipartPart {
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads the boundary parameter, quoted or not, from a multipart Content-Type header. */
export function readBoundary(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) {
    throw new MedsamError(
      'dicomweb/rejected',
      `The response Content-Type "${contentType}" has no boundary parameter, so its multipart body cannot be split.`,
    );
  }
  return boundary;
}

/**
 * Splits a multipart/related body (RFC 2046 5.1) into its parts, as WADO-RS
 * returns them. Text before the first boundary and after the closing one
 * is ignored.
 */
export function parseMultipartRelated(body: Uint8Array, contentType: string): MultipartPart[] {
  const delimiter = encoder.encode(`--${readBoundary(contentType)}`);
  const headerEnd = encoder.encode('\r\n\r\n');
  const parts: MultipartPart[] = [];

  let start = indexOfBytes(body, delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    // "--" right after the delimiter closes the body.
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) {
      break;
    }
    const headersStart = afterDelimiter + 2;
    const headersEnd = indexOfBytes(body, headerEnd, headersStart);
    const next = indexOfBytes(body, delimiter, headersStart);
    if (headersEnd === -1 || next === -1 || headersEnd > next) {
      throw new MedsamError('dicomweb/rejected', 'The multipart response body is truncated or malformed: a part has no end.');
    }

    const headers: Record<string, string> = {};
    for (const line of decoder.decode(body.subarray(headersStart, headersEnd)).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    // The CRLF before the next delimiter belongs to the delimiter.
    const contentEnd = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push({ headers, body: body.slice(headersEnd + headerEnd.length, contentEnd) });
    start = next;
  }
  return parts;
}
