import type * as OrtWeb from 'onnxruntime-web';

import { MedsamError } from '../MedsamError';
import { MEDSAM_IO } from '../model/ModelManifest';

/**
 * The part of the onnxruntime API the engine uses. onnxruntime-web (worker)
 * and onnxruntime-node (tests, benchmarks) both provide it, so the same
 * engine code runs in both.
 */
export type OrtModule = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;
type Session = OrtWeb.InferenceSession;
type SessionOptions = OrtWeb.InferenceSession.SessionOptions;

const EMBEDDING_LENGTH = 256 * 64 * 64;
const INPUT_LENGTH = 3 * 1024 * 1024;
export const LOGITS_SIZE = 256;

export interface MedsamEngineOptions {
  ort: OrtModule;
  encoderBytes: Uint8Array;
  decoderBytes: Uint8Array;
  encoderSessionOptions: SessionOptions;
  decoderSessionOptions: SessionOptions;
  /**
   * Returns and clears the errors that the encoder's backend reported
   * without failing the run (uncaptured WebGPU errors). An encoder run
   * after which it returns any fails with `inference/failed`, because its
   * output cannot be trusted.
   */
  takeEncoderErrors?: () => Promise<string[]>;
}

/**
 * The two ONNX sessions of MedSAM: the image encoder, run once per image,
 * and the prompt/mask decoder, run once per box.
 */
export class MedsamEngine {
  private constructor(
    private readonly ort: OrtModule,
    private readonly encoder: Session,
    private readonly decoder: Session,
    private readonly takeEncoderErrors: (() => Promise<string[]>) | undefined
  ) {}

  static async create(options: MedsamEngineOptions): Promise<MedsamEngine> {
    const { ort } = options;
    const encoder = await createSession(ort, options.encoderBytes, options.encoderSessionOptions, 'encoder');
    let decoder: Session;
    try {
      decoder = await createSession(ort, options.decoderBytes, options.decoderSessionOptions, 'decoder');
    } catch (error) {
      await encoder.release();
      throw error;
    }
    checkNames(encoder, [MEDSAM_IO.encoderInput.name], [MEDSAM_IO.encoderOutput.name], 'encoder');
    checkNames(decoder, [MEDSAM_IO.decoderEmbeddings.name, MEDSAM_IO.decoderBoxes.name], [MEDSAM_IO.decoderOutput.name], 'decoder');
    return new MedsamEngine(ort, encoder, decoder, options.takeEncoderErrors);
  }

  /** Runs the image encoder: input [1,3,1024,1024] in [0,1], output [1,256,64,64]. */
  async encode(input: Float32Array): Promise<Float32Array> {
    if (input.length !== INPUT_LENGTH) {
      throw new RangeError(`Invalid encoder input length ${input.length}: expected ${INPUT_LENGTH} (1x3x1024x1024).`);
    }
    const feeds = { [MEDSAM_IO.encoderInput.name]: new this.ort.Tensor('float32', input, [1, 3, 1024, 1024]) };
    const outputs = await runSession(this.encoder, feeds, 'encoder');
    const reported = (await this.takeEncoderErrors?.()) ?? [];
    if (reported.length > 0) {
      throw new MedsamError(
        'inference/failed',
        `The encoder's backend reported ${reported.length} error(s) during the run, so its output was discarded: ${reported[0]}`
      );
    }
    return readOutput(outputs, MEDSAM_IO.encoderOutput.name, EMBEDDING_LENGTH, 'encoder');
  }

  /** Runs the decoder for one box given in 1024x1024 input space; returns [256,256] logits. */
  async decode(embeddings: Float32Array, box1024: Float32Array): Promise<Float32Array> {
    if (embeddings.length !== EMBEDDING_LENGTH) {
      throw new RangeError(`Invalid embedding length ${embeddings.length}: expected ${EMBEDDING_LENGTH} (1x256x64x64).`);
    }
    const feeds = {
      [MEDSAM_IO.decoderEmbeddings.name]: new this.ort.Tensor('float32', embeddings, [1, 256, 64, 64]),
      [MEDSAM_IO.decoderBoxes.name]: new this.ort.Tensor('float32', box1024, [1, 4]),
    };
    const outputs = await runSession(this.decoder, feeds, 'decoder');
    return readOutput(outputs, MEDSAM_IO.decoderOutput.name, LOGITS_SIZE * LOGITS_SIZE, 'decoder');
  }

  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.decoder.release()]);
  }
}

async function createSession(ort: OrtModule, bytes: Uint8Array, options: SessionOptions, modelPart: string): Promise<Session> {
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (error) {
    const providers = JSON.stringify(options.executionProviders ?? []);
    throw new MedsamError('model/load-failed', `Creating the ${modelPart} session with providers ${providers} failed: ${describe(error)}.`, {
      cause: error,
    });
  }
}

function checkNames(session: Session, inputs: string[], outputs: string[], modelPart: string): void {
  const missing = [
    ...inputs.filter(name => !session.inputNames.includes(name)),
    ...outputs.filter(name => !session.outputNames.includes(name)),
  ];
  if (missing.length > 0) {
    throw new MedsamError(
      'model/interface',
      `The ${modelPart} model lacks tensors ${missing.join(', ')}; it has inputs ${session.inputNames.join(', ')} ` +
        `and outputs ${session.outputNames.join(', ')}. Export it with models/import_checkpoint.py.`
    );
  }
}

async function runSession(session: Session, feeds: Record<string, OrtWeb.Tensor>, modelPart: string) {
  try {
    return await session.run(feeds);
  } catch (error) {
    throw new MedsamError('inference/failed', `Running the ${modelPart} failed: ${describe(error)}.`, { cause: error });
  }
}

function readOutput(outputs: Record<string, OrtWeb.Tensor>, name: string, length: number, modelPart: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor || tensor.type !== 'float32' || tensor.data.length !== length) {
    throw new MedsamError('model/interface', `The ${modelPart} returned no float32 "${name}" of ${length} values.`);
  }
  return tensor.data as Float32Array;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
