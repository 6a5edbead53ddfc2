import { DEFAULT_STOW_TIMEOUT_MS, parseMedsamConfig } from '../../../src/config/MedsamConfig';
import { MedsamError } from '../../../src/MedsamError';

const BUNDLE_URL = 'http://127.0.0.1:3000/medsam/medsam-extension.js';

function parseError(input: unknown): MedsamError {
  try {
    parseMedsamConfig(input, BUNDLE_URL);
  } catch (error) {
    return error as MedsamError;
  }
  throw new Error(`parseMedsamConfig accepted ${JSON.stringify(input)}.`);
}

describe('parseMedsamConfig', () => {
  test('stowTimeoutMs defaults to five minutes', () => {
    expect(parseMedsamConfig({}, BUNDLE_URL).stowTimeoutMs).toBe(300_000);
  });

  test('default STOW timeout constant is five minutes', () => {
    expect(DEFAULT_STOW_TIMEOUT_MS).toBe(300_000);
  });

  test('stowTimeoutMs accepts a short test timeout', () => {
    expect(parseMedsamConfig({ stowTimeoutMs: 2000 }, BUNDLE_URL).stowTimeoutMs).toBe(2000);
  });

  test.each([['300s'], [999], [1500.5], [3_600_001], [-1]])('stowTimeoutMs %p is rejected', value => {
    const error = parseError({ stowTimeoutMs: value });
    expect(error).toBeInstanceOf(MedsamError);
    expect(error.code).toBe('config/invalid');
    expect(error.message).toContain('stowTimeoutMs');
  });

  test('modelBaseUrl resolves against the bundle URL', () => {
    expect(parseMedsamConfig({ modelBaseUrl: 'models/tiny' }, BUNDLE_URL).modelBaseUrl).toBe(
      'http://127.0.0.1:3000/medsam/models/tiny/',
    );
  });

  test('unknown backend is rejected', () => {
    expect(parseError({ backend: 'cuda' }).message).toContain('backend');
  });
});
