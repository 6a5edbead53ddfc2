import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseModelManifest, selectEncoder } from '../../../src/model/parseModelManifest';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const modelDir = mkdtempSync(path.join(tmpdir(), 'medsam-manifest-'));
execFileSync('/usr/bin/python3', [path.join(REPO_ROOT, 'models/make_standin.py'), '--out', modelDir]);
const manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8'));

function withEncoderPath(encoderPath: string) {
  return { ...manifest, encoders: [{ ...manifest.encoders[0], path: encoderPath }] };
}

describe('parseModelManifest', () => {
  test('accepts the stand-in manifest', () => {
    expect(parseModelManifest(manifest, 'manifest.json').standIn).toBe(true);
  });

  test.each([
    ['../encoder.onnx'],
    ['/etc/encoder.onnx'],
    ['//other.example/encoder.onnx'],
    ['\\\\other.example\\encoder.onnx'],
    ['%2e%2e/encoder.onnx'],
    ['https://other.example/encoder.onnx'],
    ['sub/../../encoder.onnx'],
  ])('rejects file path %s', encoderPath => {
    expect(() => parseModelManifest(withEncoderPath(encoderPath), 'manifest.json')).toThrow(/relative path inside the model folder/);
  });

  test('rejects a decoder with the wrong output shape', () => {
    const wrong = {
      ...manifest,
      io: { ...manifest.io, decoder: { ...manifest.io.decoder, outputs: [{ name: 'low_res_logits', shape: [1, 1, 128, 128], type: 'float32' }] } },
    };
    expect(() => parseModelManifest(wrong, 'manifest.json')).toThrow(/low_res_logits/);
  });

  test('picks the fp32 encoder for WASM', () => {
    expect(selectEncoder(parseModelManifest(manifest, 'manifest.json'), 'wasm').precision).toBe('fp32');
  });

  test('picks int8 on WASM when asked', () => {
    const withInt8 = { ...manifest, encoders: [...manifest.encoders, { ...manifest.encoders[0], path: 'encoder.int8.onnx', precision: 'int8' }] };
    expect(selectEncoder(parseModelManifest(withInt8, 'manifest.json'), 'wasm', { wasmPrecision: 'int8' }).path).toBe('encoder.int8.onnx');
    expect(selectEncoder(parseModelManifest(withInt8, 'manifest.json'), 'webgpu', { wasmPrecision: 'int8' }).precision).not.toBe('int8');
  });

  test('rejects int8 when the manifest has none', () => {
    const withoutInt8 = { ...manifest, encoders: manifest.encoders.filter((entry: { precision: string }) => entry.precision !== 'int8') };
    expect(() => selectEncoder(parseModelManifest(withoutInt8, 'manifest.json'), 'wasm', { wasmPrecision: 'int8' })).toThrow(
      /lists no int8 encoder/,
    );
  });

  describe('WebGPU encoder', () => {
    const withFp16 = parseModelManifest(
      { ...manifest, encoders: [...manifest.encoders, { ...manifest.encoders[0], path: 'encoder.fp16.onnx', precision: 'fp16' }] },
      'manifest.json',
    );

    test('is fp16 on an adapter with shader-f16', () => {
      expect(selectEncoder(withFp16, 'webgpu', { webgpuShaderF16: true }).path).toBe('encoder.fp16.onnx');
    });

    test('is fp32 on an adapter without shader-f16', () => {
      expect(selectEncoder(withFp16, 'webgpu', { webgpuShaderF16: false }).precision).toBe('fp32');
    });

    test('is fp32 when shader-f16 is not known', () => {
      expect(selectEncoder(withFp16, 'webgpu').precision).toBe('fp32');
    });

    test('is fp32 on WASM even with shader-f16', () => {
      expect(selectEncoder(withFp16, 'wasm', { webgpuShaderF16: true }).precision).toBe('fp32');
    });
  });
});
