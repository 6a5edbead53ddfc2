/** An embedding as the cache keeps it: float32 values or float16 bits. */
export type StoredEmbedding = Float32Array | Uint16Array;

/**
 * Least-recently-used cache of image embeddings, bounded in bytes.
 * Keys come from `createImageKey`, so they include the pre-processing.
 */
export class EmbeddingCache {
  private readonly entries = new Map<string, StoredEmbedding>();
  private bytesUsed = 0;

  constructor(readonly maxBytes: number) {
    if (!Number.isFinite(maxBytes) || maxBytes <= 0) {
      throw new RangeError(`Invalid embedding cache size ${maxBytes}: expected a positive number of bytes.`);
    }
  }

  get byteLength(): number {
    return this.bytesUsed;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the embedding and marks it as the most recently used. */
  get(key: string): StoredEmbedding | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Returns true when `key` is cached, without marking it as used. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Stores an embedding, evicting the least recently used ones beyond the budget. */
  set(key: string, value: StoredEmbedding): void {
    this.delete(key);
    if (value.byteLength > this.maxBytes) {
      return;
    }
    this.entries.set(key, value);
    this.bytesUsed += value.byteLength;

    for (const [oldestKey, oldest] of this.entries) {
      if (this.bytesUsed <= this.maxBytes) {
        break;
      }
      this.entries.delete(oldestKey);
      this.bytesUsed -= oldest.byteLength;
    }
  }

  delete(key: string): void {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.entries.delete(key);
      this.bytesUsed -= existing.byteLength;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytesUsed = 0;
  }
}
