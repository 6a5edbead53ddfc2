import { MedsamError } from '../MedsamError';

const DISCRETE = 0;
const LINEAR = 1;
const INDIRECT = 2;

/**
 * Expands Segmented Palette Color Lookup Table Data (DICOM PS3.3 C.7.9.2)
 * into the table it describes. Each segment is an opcode word, a length word
 * and its payload: discrete segments (opcode 0) copy `length` entries, linear
 * segments (opcode 1) interpolate `length` entries from the previous entry to
 * the next word. Linear entries are rounded half to even from numpy's
 * `linspace`, as pydicom 2.3.1's `_expand_segmented_lut` computes them, and
 * one trailing padding word is ignored as there. Returns a new array of the
 * input's type. Throws `pixels/unsupported` for indirect segments (opcode 2)
 * and `pixels/invalid` for an unknown opcode, a linear first segment or a
 * segment that runs past the end of the data. `channel` names the table in
 * the messages.
 */
export function expandSegmentedPaletteLut<T extends Uint8Array | Uint16Array>(segmented: T, channel: string): T {
  const entries: number[] = [];
  let offset = 0;

  while (offset + 1 < segmented.length) {
    const opcode = segmented[offset] as number;
    const length = segmented[offset + 1] as number;
    offset += 2;

    if (opcode === DISCRETE) {
      requireWords(segmented, offset, length, channel);
      for (let i = 0; i < length; i++) entries.push(segmented[offset + i] as number);
      offset += length;
    } else if (opcode === LINEAR) {
      requireWords(segmented, offset, 1, channel);
      const previous = entries[entries.length - 1];
      if (previous === undefined) {
        throw new MedsamError(
          'pixels/invalid',
          `Segmented ${channel} Palette Color Lookup Table Data starts with a linear segment, which has no ` +
            'previous entry to start from: the table is invalid.',
        );
      }
      appendLinearSegment(entries, previous, segmented[offset] as number, length);
      offset += 1;
    } else if (opcode === INDIRECT) {
      // NOTE: no test file has indirect segments, so the reading of their
      // offset (pydicom 2.3.1 calls it a byte offset but indexes words with it)
      // could not be checked.
      throw new MedsamError(
        'pixels/unsupported',
        `Segmented ${channel} Palette Color Lookup Table Data has an indirect segment (opcode 2) at word ` +
          `${offset - 2}, which is not supported: convert the image to RGB with a DICOM toolkit first.`,
      );
    } else {
      throw new MedsamError(
        'pixels/invalid',
        `Segmented ${channel} Palette Color Lookup Table Data has unknown segment opcode ${opcode} at word ` +
          `${offset - 2}: expected 0 (discrete), 1 (linear) or 2 (indirect).`,
      );
    }
  }

  const constructor = segmented.constructor as new (values: number[]) => T;
  return new constructor(entries);
}

function requireWords(segmented: ArrayLike<number>, offset: number, count: number, channel: string): void {
  if (offset + count > segmented.length) {
    throw new MedsamError(
      'pixels/invalid',
      `Segmented ${channel} Palette Color Lookup Table Data is truncated: a segment at word ${offset - 2} ` +
        `needs ${count} more words, but ${Math.max(segmented.length - offset, 0)} remain.`,
    );
  }
}

/**
 * Appends `length` entries rising (or falling) from just after `start` to
 * `end`: pydicom's `np.around(np.linspace(start + step, end, length))` with
 * `step = (end - start) / length`, in the same float64 operations.
 */
function appendLinearSegment(entries: number[], start: number, end: number, length: number): void {
  if (start === end) {
    for (let i = 0; i < length; i++) entries.push(end);
    return;
  }

  const first = start + (end - start) / length;
  const delta = end - first;
  const divisions = length - 1;
  const step = delta / divisions;
  for (let i = 0; i < length; i++) {
    let value: number;
    if (divisions <= 0) value = i * delta + first;
    else if (step === 0) value = (i / divisions) * delta + first;
    else value = i * step + first;
    entries.push(i === length - 1 && length > 1 ? end : roundHalfToEven(value));
  }
}

/** numpy's `around` with 0 decimals: halves go to the even neighbour. */
function roundHalfToEven(value: number): number {
  const rounded = Math.round(value);
  return rounded - value === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}
