/**
 * IEEE 754 binary16 conversion for embeddings kept in half the memory. The
 * conversion to float16 rounds to nearest, ties to even, as
 * `numpy.float16()` does; values beyond the float16 range become infinite.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Returns the float16 bits nearest to each value. */
export function toFloat16Bits(values: Float32Array, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i] as number);
  return out;
}

/** Converts float16 bits back to float32 (exactly: every float16 is a float32). */
export function fromFloat16Bits(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  const table = float32OfFloat16();
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i] as number] as number;
  return out;
}

function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;

  if (exponent === 0xff) {
    // Infinity stays infinite; NaN keeps a set mantissa bit.
    return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  }
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) {
    return sign | 0x7c00;
  }
  if (halfExponent <= 0) {
    // Subnormal float16 (or zero): shift the mantissa with its implicit 1.
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    return sign | roundShift(full, shift);
  }
  // Normal: keep 10 mantissa bits, rounding may carry into the exponent.
  return sign | ((halfExponent << 10) + roundShift(mantissa, 13));
}

/** Returns `value >> shift` rounded to nearest, ties to even. */
function roundShift(value: number, shift: number): number {
  const truncated = value >>> shift;
  const remainder = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (remainder > half || (remainder === half && (truncated & 1) === 1)) return truncated + 1;
  return truncated;
}

let table: Float32Array | null = null;

/** Returns the float32 value of each of the 65536 float16 bit patterns (a table built once). */
function float32OfFloat16(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) table[bits] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) table[bits] = mantissa ? Number.NaN : sign * Infinity;
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
}
