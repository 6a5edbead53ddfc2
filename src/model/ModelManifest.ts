/**
 * The manifest that `models/` writes beside the ONNX files and that the
 * worker reads before it downloads anything. Paths are relative to the
 * manifest's own URL.
 */

export type ModelPrecision = 'fp32' | 'fp16' | 'int8';

export interface ModelFileEntry {
  /** File name relative to the manifest URL, e.g. `encoder.onnx`. */
  path: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  /** File size in bytes. */
  bytes: number;
  precision: ModelPrecision;
}

export interface TensorSpec {
  name: string;
  shape: number[];
  type: 'float32';
}

export interface ModelManifest {
  format: 'medsam-onnx/1';
  /** Name shown to the user. A stand-in's name states that it is a stand-in. */
  name: string;
  version: string;
  /** True for every model that is not MedSAM's trained weights. */
  standIn: boolean;
  source: {
    architecture: string;
    /** File name of the PyTorch checkpoint, or null for generated weights. */
    checkpoint: string | null;
    checkpointSha256: string | null;
    randomWeightsSeed: number | null;
  };
  /** One entry per precision that was exported; fp32 is always present. */
  encoders: ModelFileEntry[];
  decoder: ModelFileEntry;
  io: {
    encoder: { inputs: TensorSpec[]; outputs: TensorSpec[] };
    decoder: { inputs: TensorSpec[]; outputs: TensorSpec[] };
  };
  /** The pre-processing the weights were trained with. */
  preprocessing: {
    inputSize: 1024;
    resize: 'skimage-order3-antialias';
    intensity: 'medsam-ct-window-or-percentile';
    normalization: 'min-max-0-1';
  };
}

/** Names and shapes every MedSAM-compatible export must have. */
export const MEDSAM_IO = {
  encoderInput: { name: 'image', shape: [1, 3, 1024, 1024] },
  encoderOutput: { name: 'image_embeddings', shape: [1, 256, 64, 64] },
  decoderEmbeddings: { name: 'image_embeddings', shape: [1, 256, 64, 64] },
  /** Box corners [x0, y0, x1, y1] in the 1024x1024 model input space. */
  decoderBoxes: { name: 'boxes', shape: [1, 4] },
  decoderOutput: { name: 'low_res_logits', shape: [1, 1, 256, 256] },
} as const;
