import { convertYbrFullToRgb } from '../../../src/preprocess/convertYbrFullToRgb';
import { expandYbrFull422 } from '../../../src/preprocess/expandYbrFull422';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { ReferenceBatch } from '../../reference/runMedsamReference';
import { expectMedsamError } from './expectMedsamError';

const ybrPixel = (y: number, cb: number, cr: number): ModalityImage => ({
  width: 1,
  height: 1,
  samplesPerPixel: 3,
  values: Uint8Array.from([y, cb, cr]),
});

/** Builds a 4096 x 4096 frame that has every 8-bit (Y, Cb, Cr) triple once. */
function everyYbrTriple(): ModalityImage {
  const values = new Uint8Array(3 * 2 ** 24);
  for (let i = 0; i < 2 ** 24; i++) {
    values[3 * i] = i >>> 16;
    values[3 * i + 1] = (i >>> 8) & 0xff;
    values[3 * i + 2] = i & 0xff;
  }
  return { width: 4096, height: 4096, samplesPerPixel: 3, values };
}

describe('convertYbrFullToRgb', () => {
  it('keeps neutral gray', () => {
    expect(Array.from(convertYbrFullToRgb(ybrPixel(77, 128, 128)).values)).toEqual([77, 77, 77]);
  });

  it('clamps saturated chroma to 0..255', () => {
    expect(Array.from(convertYbrFullToRgb(ybrPixel(255, 255, 255)).values)).toEqual([255, 121, 255]);
  });

  it('returns a Uint8Array for 16-bit input arrays', () => {
    const image: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: Uint16Array.from([10, 128, 128]) };
    expect(convertYbrFullToRgb(image).values).toBeInstanceOf(Uint8Array);
  });

  it('rejects samples above 255', () => {
    const image: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: Uint16Array.from([256, 128, 128]) };
    expectMedsamError(() => convertYbrFullToRgb(image), 'pixels/unsupported');
  });

  it('rejects one sample per pixel', () => {
    const image: ModalityImage = { width: 3, height: 1, samplesPerPixel: 1, values: new Uint8Array(3) };
    expectMedsamError(() => convertYbrFullToRgb(image), 'pixels/invalid');
  });

  it('matches pydicom convert_color_space on every 8-bit triple', () => {
    const image = everyYbrTriple();
    const batch = new ReferenceBatch();
    let expected: Uint8Array;
    try {
      const spec = batch.addArray(image.values as Uint8Array, [4096, 4096, 3]);
      batch.addCase({ name: 'every-triple', kind: 'convert-ybr', image: spec });
      expected = batch.run().get('every-triple')?.arrays.rgb as Uint8Array;
    } finally {
      batch.dispose();
    }

    const actual = convertYbrFullToRgb(image).values;
    let differing = 0;
    for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) differing++;
    expect(actual.length).toBe(expected.length);
    expect(differing).toBe(0);
  }, 120_000);
});

describe('expandYbrFull422', () => {
  const subsampled: ModalityImage = {
    width: 4,
    height: 1,
    samplesPerPixel: 3,
    values: Uint8Array.from([10, 11, 100, 200, 20, 21, 101, 201]),
  };

  it('repeats each pair chroma for both pixels', () => {
    expect(Array.from(expandYbrFull422(subsampled).values)).toEqual([
      10, 100, 200, 11, 100, 200, 20, 101, 201, 21, 101, 201,
    ]);
  });

  it('keeps the array type', () => {
    const image = { ...subsampled, values: Uint16Array.from(subsampled.values) };
    expect(expandYbrFull422(image).values).toBeInstanceOf(Uint16Array);
  });

  it('rejects an odd width', () => {
    const image: ModalityImage = { width: 3, height: 2, samplesPerPixel: 3, values: new Uint8Array(12) };
    expectMedsamError(() => expandYbrFull422(image), 'pixels/invalid');
  });

  it('rejects a frame without 4:2:2 sample count', () => {
    const image: ModalityImage = { width: 4, height: 1, samplesPerPixel: 3, values: new Uint8Array(12) };
    expectMedsamError(() => expandYbrFull422(image), 'pixels/invalid');
  });
});
