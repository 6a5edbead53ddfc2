/** A function that returns a new, unique DICOM UID on every call. */
export type UidGenerator = () => string;

/**
 * Creates a generator of `2.25.<decimal>` UIDs, where the decimal is a
 * version 4 UUID read as a 128-bit unsigned integer (PS3.5 Annex B.2).
 *
 * Without `seed`, the 122 random bits come from `crypto.getRandomValues`.
 * With `seed`, they come from a seeded pseudo-random sequence, so the same
 * seed always yields the same UIDs in the same order. Seeded UIDs are for
 * test data only: two runs with one seed collide by design.
 */
export function createUidGenerator(seed?: number | string): UidGenerator {
  const nextWord = seed === undefined ? createCryptoWords() : createSeededWords(seed);

  return () => {
    const words = [nextWord(), nextWord(), nextWord(), nextWord()];
    // Version 4 in bits 48..51 and variant 10 in bits 64..65 (RFC 9562).
    words[1] = ((words[1] ?? 0) & 0xffff0fff) | 0x00004000;
    words[2] = ((words[2] ?? 0) & 0x3fffffff) | 0x80000000;

    let value = 0n;
    for (const word of words) {
      value = (value << 32n) | BigInt(word >>> 0);
    }
    return `2.25.${value.toString(10)}`;
  };
}

function createCryptoWords(): () => number {
  const buffer = new Uint32Array(1);
  return () => {
    globalThis.crypto.getRandomValues(buffer);
    return buffer[0] ?? 0;
  };
}

/** Mulberry32 seeded from a 32-bit FNV-1a hash of the seed's text. */
function createSeededWords(seed: number | string): () => number {
  let state = 0x811c9dc5;
  for (const char of String(seed)) {
    state ^= char.codePointAt(0) ?? 0;
    state = Math.imul(state, 0x01000193) >>> 0;
  }

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
