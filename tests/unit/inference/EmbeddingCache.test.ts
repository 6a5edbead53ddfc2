import { EmbeddingCache } from '../../../src/inference/EmbeddingCache';

const embedding = (length: number) => new Float32Array(length);

describe('EmbeddingCache', () => {
  test('evicts the least recently used entry beyond the budget', () => {
    const cache = new EmbeddingCache(3 * 4 * 100);
    cache.set('a', embedding(100));
    cache.set('b', embedding(100));
    cache.set('c', embedding(100));
    cache.get('a');
    cache.set('d', embedding(100));

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.byteLength).toBe(1200);
  });

  test('replacing a key does not count it twice', () => {
    const cache = new EmbeddingCache(1000);
    cache.set('a', embedding(100));
    cache.set('a', embedding(50));
    expect(cache.byteLength).toBe(200);
  });

  test('skips an entry larger than the whole budget', () => {
    const cache = new EmbeddingCache(100);
    cache.set('a', embedding(100));
    expect(cache.size).toBe(0);
  });

  test('rejects a budget that is not positive', () => {
    expect(() => new EmbeddingCache(0)).toThrow(RangeError);
  });
});
