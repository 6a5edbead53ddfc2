import { execFileSync } from 'node:child_process';

import { fromFloat16Bits, toFloat16Bits } from '../../../src/inference/float16';

/** numpy's float16 bits of each value, from Debian's Python. */
function numpyFloat16Bits(values: Float32Array): number[] {
  const script =
    'import json, sys, numpy as np\n' +
    'v = np.array([float(x) for x in json.load(sys.stdin)], dtype=np.float32)\n' +
    'print(json.dumps(v.astype(np.float16).view(np.uint16).tolist()))\n';
  // Strings keep -0 and the infinities, which JSON numbers cannot carry.
  const input = JSON.stringify(Array.from(values, value => (Object.is(value, -0) ? '-0' : String(value))));
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' })) as number[];
}

function randomValues(count: number, seed: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    values[i] = ((state / 2 ** 32) * 2 - 1) * scale;
  }
  return values;
}

describe('float16', () => {
  test('rounds like numpy on embedding-sized values', () => {
    const values = randomValues(5000, 1, 4);
    expect(Array.from(toFloat16Bits(values))).toEqual(numpyFloat16Bits(values));
  });

  test('rounds like numpy on edge values', () => {
    const values = Float32Array.of(0, -0, 1, -2.5, 65504, 65520, 1e6, -1e6, 6.1e-5, 5.96e-8, 2.98e-8, 1e-9, Infinity, -Infinity, 1.0009765625, 1.00048828125, 1.00146484375);
    expect(Array.from(toFloat16Bits(values))).toEqual(numpyFloat16Bits(values));
  });

  test('keeps NaN a NaN', () => {
    expect(fromFloat16Bits(toFloat16Bits(Float32Array.of(Number.NaN)))[0]).toBeNaN();
  });

  test('round trip is within half a float16 step', () => {
    const values = randomValues(5000, 2, 3);
    const back = fromFloat16Bits(toFloat16Bits(values));
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
  });

  test('every float16 survives float32 and back', () => {
    const bits = new Uint16Array(65536).map((_, i) => i);
    const again = toFloat16Bits(fromFloat16Bits(bits));
    const mismatches = Array.from(bits).filter((value, i) => again[i] !== value && !((value & 0x7c00) === 0x7c00 && (value & 0x3ff) !== 0));
    expect(mismatches).toEqual([]);
  });
});
