/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds a noisy blob image in 0..255, so the resize gets edges and flat areas. */
export function syntheticUint8(width: number, height: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x - width / 2) / width;
      const dy = (y - height / 2) / height;
      const blob = dx * dx + dy * dy < 0.1 ? 180 : 40;
      out[y * width + x] = Math.min(255, Math.max(0, Math.round(blob + 30 * (random() - 0.5))));
    }
  }
  return out;
}

/** Builds a CT-like slice in HU: air outside a body disc, soft tissue, a bright "bone" square. */
export function syntheticCtHU(width: number, height: number, seed: number): Int16Array {
  const random = createRandom(seed);
  const out = new Int16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x - width / 2) / width;
      const dy = (y - height / 2) / height;
      let hu = dx * dx + dy * dy < 0.16 ? 40 + Math.round(60 * (random() - 0.5)) : -1000;
      if (Math.abs(dx) < 0.05 && Math.abs(dy - 0.15) < 0.05) hu = 700;
      out[y * width + x] = hu;
    }
  }
  return out;
}
