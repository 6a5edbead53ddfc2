import { applyPaletteColorLut } from '../../../src/preprocess/applyPaletteColorLut';
import { expandSegmentedPaletteLut } from '../../../src/preprocess/expandSegmentedPaletteLut';
import type { ModalityImage, PixelValues } from '../../../src/preprocess/ModalityImage';
import type { PaletteColorLut, PaletteColorLutChannel } from '../../../src/preprocess/PaletteColorLut';
import { ReferenceBatch, type ReferenceResult } from '../../reference/runMedsamReference';
import { compareArrays } from './compareTensors';
import { expectMedsamError } from './expectMedsamError';

const indexed = (values: PixelValues): ModalityImage => ({ width: values.length, height: 1, samplesPerPixel: 1, values });

/** Builds a channel whose entry i is `entry(i)`, as 8- or 16-bit data. */
function channel(entries: number, firstMapped: number, bits: 8 | 16, entry: (i: number) => number): PaletteColorLutChannel {
  const values = Array.from({ length: entries }, (_, i) => entry(i));
  return {
    descriptor: [entries === 65536 ? 0 : entries, firstMapped, bits],
    data: bits === 8 ? Uint8Array.from(values) : Uint16Array.from(values),
  };
}

function lut(entries: number, firstMapped: number, bits: 8 | 16): PaletteColorLut {
  const scale = bits === 8 ? 1 : 257;
  return {
    red: channel(entries, firstMapped, bits, (i) => (i % 256) * scale),
    green: channel(entries, firstMapped, bits, (i) => (255 - (i % 256)) * scale),
    blue: channel(entries, firstMapped, bits, (i) => ((7 * i) % 256) * scale),
  };
}

/** Segmented data: discrete [0, 10], linear to 15 over 2 (a 12.5 tie), linear to 15 over 3, linear to 0 over 4. */
const SEGMENTED_WORDS = [0, 2, 0, 10, 1, 2, 15, 1, 3, 15, 1, 4, 0];

function segmentedLut(bits: 8 | 16): PaletteColorLut {
  const words = bits === 8 ? Uint8Array.from(SEGMENTED_WORDS) : Uint16Array.from(SEGMENTED_WORDS);
  const make = (): PaletteColorLutChannel => ({ descriptor: [11, 0, bits], segmentedData: words });
  return { red: make(), green: make(), blue: make() };
}

interface PaletteCase {
  name: string;
  image: ModalityImage;
  lut: PaletteColorLut;
}

// Values stay within 256 entries past the first mapped value, because
// pydicom 2.3.1 stores `value - first mapped` in the entry type before it
// clamps, so an 8-bit table would wrap larger indices instead of clamping.
const CASES: PaletteCase[] = [
  { name: '8-bit entries', image: indexed(Uint8Array.from([0, 1, 127, 255])), lut: lut(256, 0, 8) },
  { name: '16-bit entries', image: indexed(Uint16Array.from([0, 5, 40000, 65535])), lut: lut(65536, 0, 16) },
  {
    name: 'first mapped 100 with values outside the table',
    image: indexed(Uint16Array.from([0, 99, 100, 101, 149, 150, 300])),
    lut: lut(50, 100, 8),
  },
  {
    name: 'negative first mapped on signed values',
    image: indexed(Int16Array.from([-300, -100, -99, 0, 99, 500])),
    lut: lut(200, -100, 16),
  },
  { name: 'segmented 8-bit', image: indexed(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])), lut: segmentedLut(8) },
  { name: 'segmented 16-bit', image: indexed(Uint16Array.from([0, 2, 3, 4, 10])), lut: segmentedLut(16) },
];

describe('applyPaletteColorLut', () => {
  let results: Map<string, ReferenceResult>;

  beforeAll(() => {
    const batch = new ReferenceBatch();
    try {
      for (const { name, image, lut: tables } of CASES) {
        const channels: Record<string, unknown> = {};
        for (const [key, table] of Object.entries(tables) as Array<[string, PaletteColorLutChannel]>) {
          const array = (table.data ?? table.segmentedData) as Uint8Array | Uint16Array;
          const spec = batch.addArray(array, [array.length]);
          channels[key] = { descriptor: table.descriptor, [table.data ? 'data' : 'segmentedData']: spec };
        }
        const spec = batch.addArray(image.values, [image.values.length]);
        batch.addCase({ name, kind: 'palette', image: spec, lut: channels });
      }
      results = batch.run();
    } finally {
      batch.dispose();
    }
  }, 60_000);

  it.each(CASES.map((c) => c.name))('matches pydicom apply_color_lut for %s', (name) => {
    const { image, lut: tables } = CASES.find((c) => c.name === name) as PaletteCase;
    const expected = results.get(name)?.arrays.rgb as Uint16Array;
    const actual = applyPaletteColorLut(image, tables).values;
    expect(actual.length).toBe(expected.length);
    expect(compareArrays(actual, expected).differing).toBe(0);
  });

  it('returns 16-bit samples for 16-bit entries', () => {
    const rgb = applyPaletteColorLut(indexed(Uint8Array.from([3])), lut(256, 0, 16));
    expect(rgb.values).toBeInstanceOf(Uint16Array);
  });

  it('clamps indices past 255 of an 8-bit table to the last entry', () => {
    const rgb = applyPaletteColorLut(indexed(Uint16Array.from([1000])), lut(256, 0, 8));
    expect(Array.from(rgb.values)).toEqual([255, 0, (7 * 255) % 256]);
  });

  it('rejects data shorter than the descriptor', () => {
    const tables = lut(256, 0, 16);
    tables.green = { ...tables.green, data: new Uint16Array(255) };
    expectMedsamError(() => applyPaletteColorLut(indexed(new Uint8Array(1)), tables), 'pixels/invalid');
  });

  it('rejects channels with different first mapped values', () => {
    const tables = lut(256, 0, 16);
    tables.blue = { ...tables.blue, descriptor: [256, 1, 16] };
    expectMedsamError(() => applyPaletteColorLut(indexed(new Uint8Array(1)), tables), 'pixels/invalid');
  });

  it('rejects a channel without data', () => {
    const tables = lut(256, 0, 8);
    tables.red = { descriptor: [256, 0, 8] };
    expectMedsamError(() => applyPaletteColorLut(indexed(new Uint8Array(1)), tables), 'pixels/invalid');
  });

  it('rejects 12 bits per entry', () => {
    const tables = lut(256, 0, 16);
    tables.red = { ...tables.red, descriptor: [256, 0, 12] };
    expectMedsamError(() => applyPaletteColorLut(indexed(new Uint8Array(1)), tables), 'pixels/invalid');
  });

  it('rejects non-integer stored values', () => {
    expectMedsamError(() => applyPaletteColorLut(indexed(Float64Array.from([1.5])), lut(256, 0, 8)), 'pixels/invalid');
  });

  it('rejects three samples per pixel', () => {
    const image: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: new Uint8Array(3) };
    expectMedsamError(() => applyPaletteColorLut(image, lut(256, 0, 8)), 'pixels/unsupported');
  });
});

describe('expandSegmentedPaletteLut', () => {
  it('rounds a linear tie to even', () => {
    // From 10 to 15 over 2 entries: 12.5 becomes 12, then 15.
    expect(Array.from(expandSegmentedPaletteLut(Uint16Array.from([0, 1, 10, 1, 2, 15]), 'Red'))).toEqual([10, 12, 15]);
  });

  it('ignores one trailing padding word', () => {
    expect(Array.from(expandSegmentedPaletteLut(Uint8Array.from([0, 2, 4, 5, 0]), 'Red'))).toEqual([4, 5]);
  });

  it('rejects an indirect segment', () => {
    const data = Uint16Array.from([0, 1, 5, 2, 1, 0, 0]);
    expectMedsamError(() => expandSegmentedPaletteLut(data, 'Red'), 'pixels/unsupported');
  });

  it('rejects a linear first segment', () => {
    expectMedsamError(() => expandSegmentedPaletteLut(Uint16Array.from([1, 4, 100]), 'Red'), 'pixels/invalid');
  });

  it('rejects a truncated discrete segment', () => {
    expectMedsamError(() => expandSegmentedPaletteLut(Uint16Array.from([0, 5, 1, 2]), 'Red'), 'pixels/invalid');
  });

  it('rejects an unknown opcode', () => {
    expectMedsamError(() => expandSegmentedPaletteLut(Uint16Array.from([0, 1, 5, 3, 1, 0]), 'Red'), 'pixels/invalid');
  });
});
