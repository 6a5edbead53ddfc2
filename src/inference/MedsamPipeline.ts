import { MedsamError, throwIfAborted } from '../MedsamError';
import { boxToModelSpace, logitsToMask, preprocessForMedsam } from '../preprocess';
import type { IntensityPolicy } from '../preprocess/IntensityPolicy';
import type { ModalityImage } from '../preprocess/ModalityImage';
import type { PixelBox } from '../protocol/workerMessages';
import { EmbeddingCache, type StoredEmbedding } from './EmbeddingCache';
import { fromFloat16Bits, toFloat16Bits } from './float16';
import type { MedsamEngine } from './MedsamEngine';

/** Floats in one [1, 3, 1024, 1024] image tensor. */
const MODEL_INPUT_FLOATS = 3 * 1024 * 1024;
/** Free input tensors kept for reuse; more are allocated while encodings overlap. */
const MAX_FREE_INPUTS = 2;

/** Precision of cached embeddings: float32, or float16 in half the memory. */
export type EmbeddingPrecision = 'fp32' | 'fp16';

interface CachedEmbedding {
  embeddings: StoredEmbedding;
  imageWidth: number;
  imageHeight: number;
}

/** One mask and the timings behind it. */
export interface PipelineResult {
  mask: Uint8Array;
  width: number;
  height: number;
  encoderMs: number | null;
  decoderMs: number;
}

export interface SegmentInput {
  imageKey: string;
  /** Needed when the embedding of `imageKey` is not cached. */
  image?: ModalityImage;
  intensity: IntensityPolicy;
  box: PixelBox;
}

/**
 * Pre-processing, encoder, embedding cache, decoder and mask
 * post-processing, in the order MedSAM's inference script runs them. The
 * worker, the Node tests and the benchmarks all segment through this class.
 */
export class MedsamPipeline {
  private readonly cache: EmbeddingCache;
  private readonly geometry = new Map<string, { imageWidth: number; imageHeight: number }>();
  /**
   * Input tensors free for the next encoding. Reusing them avoids
   * allocating and zeroing 12 MiB per slice, which costs several
   * milliseconds and garbage collections in a range run. A buffer is in use
   * from its pre-processing until its encoder run settles, so concurrent
   * encodings each take their own. They stay allocated until the pipeline
   * itself is dropped; `clear` empties only the embedding cache.
   */
  private readonly freeInputs: Float32Array[] = [];

  private readonly now: () => number;
  /** Precision of the cached embeddings. */
  readonly storage: EmbeddingPrecision;

  /**
   * `storage: 'fp16'` keeps embeddings as float16, so the same memory budget
   * fits twice as many slices. The decoder then always reads the float16
   * values, for a first run and for a cached one alike, so a box gives the
   * same mask either way.
   */
  constructor(
    private readonly engine: MedsamEngine,
    cacheBytes: number,
    options: { storage?: EmbeddingPrecision; now?: () => number } = {}
  ) {
    this.cache = new EmbeddingCache(cacheBytes);
    this.storage = options.storage ?? 'fp32';
    this.now = options.now ?? (() => performance.now());
  }

  get cachedEmbeddings(): number {
    return this.cache.size;
  }

  /** Bytes that the cached embeddings take. */
  get cachedBytes(): number {
    return this.cache.byteLength;
  }

  /** Returns true when `imageKey` can be segmented without its pixels. */
  hasEmbedding(imageKey: string): boolean {
    return this.cache.get(imageKey) !== undefined;
  }

  async segment(input: SegmentInput, options: { signal?: AbortSignal } = {}): Promise<PipelineResult> {
    const { signal } = options;
    const { cached, encoderMs } = await this.ensureEmbedding(input, signal);
    throwIfAborted(signal, 'Segmentation');

    const transform = { imageWidth: cached.imageWidth, imageHeight: cached.imageHeight, inputSize: 1024 as const };
    const box1024 = boxToModelSpace(input.box, transform);
    const started = this.now();
    const embeddings = cached.embeddings instanceof Uint16Array ? fromFloat16Bits(cached.embeddings) : cached.embeddings;
    const logits = await this.engine.decode(embeddings, box1024);
    const decoderMs = this.now() - started;
    const mask = logitsToMask(logits, transform);
    return { mask, width: cached.imageWidth, height: cached.imageHeight, encoderMs, decoderMs };
  }

  /**
   * Encodes an image unless its embedding is cached; returns the encoder
   * time, or null when it was cached.
   */
  async preencode(input: Required<Omit<SegmentInput, 'box'>>, options: { signal?: AbortSignal } = {}): Promise<number | null> {
    return (await this.ensureEmbedding(input, options.signal)).encoderMs;
  }

  clear(): void {
    this.cache.clear();
    this.geometry.clear();
  }

  private async ensureEmbedding(
    input: Omit<SegmentInput, 'box'>,
    signal: AbortSignal | undefined
  ): Promise<{ cached: CachedEmbedding; encoderMs: number | null }> {
    throwIfAborted(signal, 'Segmentation');
    const found = this.lookup(input.imageKey);
    if (found) {
      return { cached: found, encoderMs: null };
    }
    if (!input.image) {
      throw new MedsamError(
        'inference/failed',
        `No embedding is cached for image ${input.imageKey} and no pixels were sent; send the image again.`
      );
    }
    const buffer = this.freeInputs.pop() ?? new Float32Array(MODEL_INPUT_FLOATS);
    let encoded: Float32Array;
    let encoderMs: number;
    try {
      const prepared = preprocessForMedsam(input.image, input.intensity, { signal, output: buffer });
      throwIfAborted(signal, 'Segmentation');
      const started = this.now();
      encoded = await this.engine.encode(prepared.data);
      encoderMs = this.now() - started;
    } finally {
      // A runtime that transfers its inputs to another thread would leave the buffer detached (length 0).
      if (buffer.length === MODEL_INPUT_FLOATS && this.freeInputs.length < MAX_FREE_INPUTS) this.freeInputs.push(buffer);
    }
    const embeddings = this.storage === 'fp16' ? toFloat16Bits(encoded) : encoded;
    const cached = { embeddings, imageWidth: input.image.width, imageHeight: input.image.height };
    this.cache.set(input.imageKey, embeddings);
    this.geometry.set(input.imageKey, { imageWidth: cached.imageWidth, imageHeight: cached.imageHeight });
    this.dropEvictedGeometry();
    return { cached, encoderMs };
  }

  /** Forgets the image sizes of embeddings that the cache has evicted. */
  private dropEvictedGeometry(): void {
    for (const key of this.geometry.keys()) {
      if (!this.cache.has(key)) {
        this.geometry.delete(key);
      }
    }
  }

  private lookup(imageKey: string): CachedEmbedding | undefined {
    const embeddings = this.cache.get(imageKey);
    const geometry = this.geometry.get(imageKey);
    if (!embeddings || !geometry) {
      this.geometry.delete(imageKey);
      return undefined;
    }
    return { embeddings, ...geometry };
  }
}
