import { buildMultipartRelated, parseMultipartRelated } from '../../../src/dicomweb';

const text = (bytes: Uint8Array): string => new TextDecoder('latin1').decode(bytes);

describe('buildMultipartRelated', () => {
  const first = new Uint8Array([0x44, 0x49, 0x43, 0x4d, 0x00, 0xff]).buffer;
  const second = new Uint8Array(1001).fill(7).buffer;
  const { body, contentType, boundary } = buildMultipartRelated([first, second]);

  test('content type names the DICOM part type', () => {
    expect(contentType).toBe(`multipart/related; type="application/dicom"; boundary=${boundary}`);
  });

  test('body starts with the first delimiter', () => {
    expect(text(body.subarray(0, boundary.length + 4))).toBe(`--${boundary}\r\n`);
  });

  test('body ends with the closing delimiter', () => {
    expect(text(body.subarray(body.length - boundary.length - 6))).toBe(`--${boundary}--\r\n`);
  });

  test('each part has a Content-Type header', () => {
    expect(text(body).split('Content-Type: application/dicom\r\n\r\n')).toHaveLength(3);
  });

  test('parts parse back to the same bytes', () => {
    const parts = parseMultipartRelated(body, contentType);
    expect(parts).toHaveLength(2);
    expect([...parts[0]!.body]).toEqual([...new Uint8Array(first)]);
    expect(parts[1]!.body.length).toBe(1001);
    expect(parts[1]!.headers['content-type']).toBe('application/dicom');
  });
});

describe('parseMultipartRelated', () => {
  test('accepts a quoted boundary and a preamble', () => {
    const raw = 'preamble\r\n--abc\r\nContent-Type: application/dicom\r\n\r\nXYZ\r\n--abc--\r\n';
    const parts = parseMultipartRelated(new TextEncoder().encode(raw), 'multipart/related; boundary="abc"; type="application/dicom"');
    expect(parts).toHaveLength(1);
    expect(text(parts[0]!.body)).toBe('XYZ');
  });

  test('keeps CRLF inside a part', () => {
    const raw = '--b\r\nContent-Type: x\r\n\r\nA\r\nB\r\n--b--';
    const parts = parseMultipartRelated(new TextEncoder().encode(raw), 'multipart/related; boundary=b');
    expect(text(parts[0]!.body)).toBe('A\r\nB');
  });

  test('missing boundary is rejected', () => {
    expect(() => parseMultipartRelated(new Uint8Array(4), 'multipart/related')).toThrow('has no boundary parameter');
  });

  test('truncated body is rejected', () => {
    const raw = '--b\r\nContent-Type: x\r\n\r\nA';
    expect(() => parseMultipartRelated(new TextEncoder().encode(raw), 'multipart/related; boundary=b')).toThrow('truncated');
  });
});
