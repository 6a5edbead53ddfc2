import { MedsamError } from '../MedsamError';
import { MEDSAM_IO, type ModelFileEntry, type ModelManifest, type ModelPrecision } from './ModelManifest';

/**
 * Validates a parsed `manifest.json` and checks that its tensors are
 * MedSAM's interface, so a wrong export is rejected before any download.
 */
export function parseModelManifest(json: unknown, url: string): ModelManifest {
  const fail = (problem: string): never => {
    throw new MedsamError('model/interface', `Model manifest ${url} is invalid: ${problem}. Re-run the model import.`);
  };
  if (typeof json !== 'object' || json === null) {
    return fail('it is not a JSON object');
  }
  const manifest = json as Partial<ModelManifest>;
  if (manifest.format !== 'medsam-onnx/1') {
    fail(`format is ${JSON.stringify(manifest.format)}, expected "medsam-onnx/1"`);
  }
  if (typeof manifest.name !== 'string' || manifest.name.length === 0) {
    fail('name is missing');
  }
  if (typeof manifest.standIn !== 'boolean') {
    fail('standIn is missing');
  }
  if (!Array.isArray(manifest.encoders) || manifest.encoders.length === 0) {
    fail('encoders is empty');
  }
  for (const entry of [...(manifest.encoders ?? []), manifest.decoder]) {
    checkFileEntry(entry, fail);
  }
  if (!manifest.encoders?.some(entry => entry.precision === 'fp32')) {
    fail('it has no fp32 encoder');
  }

  const io = manifest.io;
  const expectTensor = (list: { name: string; shape: number[] }[] | undefined, name: string, shape: readonly number[], where: string) => {
    const tensor = list?.find(item => item.name === name);
    if (!tensor || tensor.shape.join(',') !== shape.join(',')) {
      fail(`${where} must have tensor "${name}" of shape [${shape.join(',')}]`);
    }
  };
  expectTensor(io?.encoder.inputs, MEDSAM_IO.encoderInput.name, MEDSAM_IO.encoderInput.shape, 'the encoder input');
  expectTensor(io?.encoder.outputs, MEDSAM_IO.encoderOutput.name, MEDSAM_IO.encoderOutput.shape, 'the encoder output');
  expectTensor(io?.decoder.inputs, MEDSAM_IO.decoderEmbeddings.name, MEDSAM_IO.decoderEmbeddings.shape, 'the decoder input');
  expectTensor(io?.decoder.inputs, MEDSAM_IO.decoderBoxes.name, MEDSAM_IO.decoderBoxes.shape, 'the decoder input');
  expectTensor(io?.decoder.outputs, MEDSAM_IO.decoderOutput.name, MEDSAM_IO.decoderOutput.shape, 'the decoder output');
  return manifest as ModelManifest;
}

const SAFE_RELATIVE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkFileEntry(entry: ModelFileEntry | undefined, fail: (problem: string) => never): void {
  // Plain relative names only: no '..', no leading '/', no scheme, no
  // backslash or percent-encoding that could resolve outside the folder.
  if (!entry || typeof entry.path !== 'string' || !SAFE_RELATIVE_PATH.test(entry.path) || entry.path.split('/').includes('..')) {
    fail(`file entry ${JSON.stringify(entry)} needs a relative path inside the model folder, such as "encoder.onnx"`);
  }
  if (!/^[0-9a-f]{64}$/.test(entry?.sha256 ?? '')) {
    fail(`file ${entry?.path} has no valid sha256`);
  }
  if (!Number.isInteger(entry?.bytes) || (entry?.bytes ?? 0) <= 0) {
    fail(`file ${entry?.path} has no valid size in bytes`);
  }
}

/** Backend details that `selectEncoder` needs besides the backend's name. */
export interface EncoderSelectionOptions {
  /** Encoder on WASM: fp32, or int8 when the manifest lists one (default fp32). */
  wasmPrecision?: 'fp32' | 'int8';
  /**
   * Whether the WebGPU adapter has the `shader-f16` feature (default false).
   * Without it the fp16 encoder's shaders do not compile. onnxruntime-web
   * 1.31 then reports the errors to the console only and returns wrong
   * embeddings, so fp16 is picked only when this is true.
   */
  webgpuShaderF16?: boolean;
}

/**
 * Picks the encoder file for a backend: fp16 on a WebGPU adapter with
 * `shader-f16` when exported, else fp32. On WASM, `wasmPrecision: 'int8'`
 * picks the int8 encoder, which the manifest lists only when the import's
 * parity check kept it. Throws `model/interface` when the requested encoder
 * is missing.
 */
export function selectEncoder(
  manifest: ModelManifest,
  backend: 'webgpu' | 'wasm',
  { wasmPrecision = 'fp32', webgpuShaderF16 = false }: EncoderSelectionOptions = {},
): ModelFileEntry {
  const byPrecision = (precision: ModelPrecision) => manifest.encoders.find(entry => entry.precision === precision);
  if (backend === 'wasm' && wasmPrecision === 'int8') {
    const int8 = byPrecision('int8');
    if (!int8) {
      throw new MedsamError(
        'model/interface',
        `wasmEncoderPrecision is int8, but model "${manifest.name}" lists no int8 encoder: its import did not export one ` +
          'or its parity check rejected it. Set wasmEncoderPrecision to fp32, or import the model again with int8.',
      );
    }
    return int8;
  }
  const preferred = backend === 'webgpu' && webgpuShaderF16 ? byPrecision('fp16') : undefined;
  const fp32 = byPrecision('fp32');
  if (!fp32) {
    throw new MedsamError('model/interface', `Model "${manifest.name}" has no fp32 encoder.`);
  }
  return preferred ?? fp32;
}
