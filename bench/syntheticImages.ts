/**
 * Synthetic frames for the pre-processing benchmark, the same in Node and in
 * the browser worker.
 */
import type { ModalityImage } from '../src/preprocess/ModalityImage';

/** Builds a CT-like slice in HU: air, a body disc with noise, a bright square. */
export function syntheticCt(width: number, height: number): ModalityImage {
  const values = new Int16Array(width * height);
  let seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const dx = (x - width / 2) / width;
      const dy = (y - height / 2) / height;
      let hu = dx * dx + dy * dy < 0.16 ? 40 + ((seed >>> 16) % 80) - 40 : -1000;
      if (Math.abs(dx) < 0.05 && Math.abs(dy - 0.15) < 0.05) hu = 700;
      values[y * width + x] = hu;
    }
  }
  return { width, height, samplesPerPixel: 1, values };
}

/** Builds a mammogram-like 12-bit frame: zero background and a bright half-disc breast. */
export function syntheticMammogram(width: number, height: number): ModalityImage {
  const values = new Uint16Array(width * height);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const dx = x / width;
      const dy = (y - height / 2) / height;
      values[y * width + x] = dx * dx + dy * dy < 0.36 ? 1500 + ((seed >>> 16) % 1000) : 0;
    }
  }
  return { width, height, samplesPerPixel: 1, values };
}
