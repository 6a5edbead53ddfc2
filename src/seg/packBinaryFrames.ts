/**
 * Packs binary frames into one bit stream for BitsAllocated 1 Pixel Data.
 * Pixels run on from one frame to the next with no padding between frames,
 * and bit 0 (least significant) of each byte stores the first of its eight
 * pixels (PS3.5 8.1.1 and 8.2). The result is padded with zero bytes to an
 * even length, as Pixel Data requires.
 */
export function packBinaryFrames(frames: readonly Uint8Array[], pixelsPerFrame: number): Uint8Array {
  const totalBits = frames.length * pixelsPerFrame;
  const byteLength = Math.ceil(totalBits / 8);
  const packed = new Uint8Array(byteLength + (byteLength % 2));

  let bit = 0;
  for (const frame of frames) {
    for (let pixel = 0; pixel < pixelsPerFrame; pixel++, bit++) {
      if (frame[pixel]) {
        packed[bit >>> 3]! |= 1 << (bit & 7);
      }
    }
  }
  return packed;
}

/** Unpacks frame `frameIndex` (0-based) of a BitsAllocated 1 bit stream into 0/1 bytes. */
export function unpackBinaryFrame(packed: Uint8Array, frameIndex: number, pixelsPerFrame: number): Uint8Array {
  const frame = new Uint8Array(pixelsPerFrame);
  const firstBit = frameIndex * pixelsPerFrame;
  if (Math.ceil((firstBit + pixelsPerFrame) / 8) > packed.length) {
    throw new RangeError(
      `Pixel Data has ${packed.length} bytes, too few for frame ${frameIndex + 1} of ${pixelsPerFrame} pixels.`,
    );
  }
  for (let pixel = 0; pixel < pixelsPerFrame; pixel++) {
    const bit = firstBit + pixel;
    frame[pixel] = (packed[bit >>> 3]! >>> (bit & 7)) & 1;
  }
  return frame;
}
