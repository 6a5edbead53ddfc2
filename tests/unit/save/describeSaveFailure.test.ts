import { describeSaveFailure } from '../../../extension/src/save/describeSaveFailure';
import { MedsamError } from '../../../src/MedsamError';

describe('describeSaveFailure', () => {
  const rejected = (status: number) => new MedsamError('dicomweb/rejected', `STOW-RS failed with HTTP ${status}.`, { httpStatus: status });

  test('413 names the SEG size and nginx limit', () => {
    const message = describeSaveFailure(rejected(413), 3 * 1024 * 1024);
    expect(message).toMatch(/^The SEG \(3\.0 MiB\) is larger than the archive or a proxy in front of it accepts \(HTTP 413\)/);
    expect(message).toContain('client_max_body_size');
  });

  test('403 asks for write access', () => {
    expect(describeSaveFailure(rejected(403), 10)).toContain('ask its administrator for write access');
  });

  test('409 says it is a conflict', () => {
    expect(describeSaveFailure(rejected(409), 10)).toContain('conflict with what it already stores (HTTP 409)');
  });

  test('other errors keep their message', () => {
    expect(describeSaveFailure(new Error('fetch failed'), 10)).toBe('fetch failed');
  });
});
