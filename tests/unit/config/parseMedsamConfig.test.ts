import { DEFAULT_STOW_TIMEOUT_MS, parseMedsamConfig } from '../../../src/config/MedsamConfig';
import { MedsamError } from '../../../src/MedsamError';

const BUNDLE = 'https://viewer.example.org/medsam/index.umd.js';

function rejects(input: unknown): MedsamError {
  let caught: unknown;
  try {
    parseMedsamConfig(input, BUNDLE);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MedsamError);
  expect((caught as MedsamError).code).toBe('config/invalid');
  return caught as MedsamError;
}

describe('parseMedsamConfig', () => {
  test('fills in the defaults', () => {
    expect(parseMedsamConfig(undefined, BUNDLE, 8)).toEqual({
      modelBaseUrl: 'https://viewer.example.org/medsam/models/standin/',
      wasmPaths: 'https://viewer.example.org/medsam/ort/',
      backend: 'auto',
      numThreads: 4,
      wasmEncoderPrecision: 'fp32',
      embeddingCacheMiB: 512,
      embeddingStorage: 'auto',
      defaultSegmentLabel: 'Lesion',
      preencodeSlices: 2,
      volumeStatistics: true,
      stowTimeoutMs: 300_000,
    });
  });

  test('resolves URLs against the bundle and adds a slash', () => {
    const config = parseMedsamConfig({ modelBaseUrl: '/models/vit-b', wasmPaths: 'https://cdn.example.org/ort' }, BUNDLE);
    expect(config.modelBaseUrl).toBe('https://viewer.example.org/models/vit-b/');
    expect(config.wasmPaths).toBe('https://cdn.example.org/ort/');
  });

  test('keeps volume statistics off when asked', () => {
    expect(parseMedsamConfig({ volumeStatistics: false }, BUNDLE).volumeStatistics).toBe(false);
  });

  test('rejects a non-boolean volumeStatistics', () => {
    expect(rejects({ volumeStatistics: 'no' }).message).toBe('MedSAM setting volumeStatistics is "no"; expected true or false.');
  });

  test('accepts the int8 WASM encoder', () => {
    expect(parseMedsamConfig({ wasmEncoderPrecision: 'int8' }, BUNDLE).wasmEncoderPrecision).toBe('int8');
  });

  test('rejects an fp16 WASM encoder', () => {
    expect(rejects({ wasmEncoderPrecision: 'fp16' }).message).toContain('fp32 or int8');
  });

  test('rejects an unknown embedding storage', () => {
    expect(rejects({ embeddingStorage: 'int8' }).message).toContain('auto, fp32 or fp16');
  });

  test('rejects a negative preencodeSlices', () => {
    expect(rejects({ preencodeSlices: -1 }).message).toContain('an integer from 0 to 16');
  });

  test('default STOW timeout constant is five minutes', () => {
    expect(DEFAULT_STOW_TIMEOUT_MS).toBe(300_000);
  });

  test('stowTimeoutMs accepts a short test timeout', () => {
    expect(parseMedsamConfig({ stowTimeoutMs: 2000 }, BUNDLE).stowTimeoutMs).toBe(2000);
  });

  test.each([['300s'], [999], [1500.5], [3_600_001], [-1]])('rejects stowTimeoutMs %p', value => {
    expect(rejects({ stowTimeoutMs: value }).message).toContain('stowTimeoutMs');
  });

  test('rejects an unknown backend', () => {
    expect(rejects({ backend: 'cuda' }).message).toContain('one of auto, webgpu, wasm');
  });

  test('rejects a thread count out of range', () => {
    expect(rejects({ numThreads: 0 }).message).toContain('an integer from 1 to 64');
  });

  test('rejects a cache below one embedding', () => {
    expect(rejects({ embeddingCacheMiB: 2 }).message).toContain('at least 4');
  });

  test('rejects an empty default label', () => {
    expect(rejects({ defaultSegmentLabel: '  ' }).message).toContain('a non-empty string');
  });

  test('rejects a configuration that is not an object', () => {
    expect(rejects([]).message).toContain('an object');
  });
});
