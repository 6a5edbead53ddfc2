import { applyPhotometricInterpretation } from '../../../src/preprocess/applyPhotometricInterpretation';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import type { PaletteColorLut } from '../../../src/preprocess/PaletteColorLut';
import { expectMedsamError } from './expectMedsamError';

const GRAY: ModalityImage = { width: 2, height: 1, samplesPerPixel: 1, values: Uint8Array.from([0, 1]) };

// Y 76, Cb 85, Cr 255 is pure red in BT.601 full range, within rounding.
const YBR_RED = [76, 85, 255];
const RED = [254, 0, 0];

const PALETTE: PaletteColorLut = {
  red: { descriptor: [2, 0, 8], data: Uint8Array.from([10, 20]) },
  green: { descriptor: [2, 0, 8], data: Uint8Array.from([30, 40]) },
  blue: { descriptor: [2, 0, 8], data: Uint8Array.from([50, 60]) },
};

describe('applyPhotometricInterpretation colour', () => {
  it('converts YBR_FULL to RGB', () => {
    const image: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: Uint8Array.from(YBR_RED) };
    expect(Array.from(applyPhotometricInterpretation(image, 'YBR_FULL').values)).toEqual(RED);
  });

  it('expands and converts subsampled YBR_FULL_422', () => {
    const values = Uint8Array.from([76, 76, 85, 255]);
    const image: ModalityImage = { width: 2, height: 1, samplesPerPixel: 3, values };
    expect(Array.from(applyPhotometricInterpretation(image, 'YBR_FULL_422').values)).toEqual([...RED, ...RED]);
  });

  it('converts upsampled YBR_FULL_422 like YBR_FULL', () => {
    const values = Uint8Array.from([...YBR_RED, ...YBR_RED]);
    const image: ModalityImage = { width: 2, height: 1, samplesPerPixel: 3, values };
    expect(Array.from(applyPhotometricInterpretation(image, 'YBR_FULL_422').values)).toEqual([...RED, ...RED]);
  });

  it('maps PALETTE COLOR through its tables', () => {
    const rgb = applyPhotometricInterpretation(GRAY, 'PALETTE COLOR', { paletteColorLut: PALETTE });
    expect(Array.from(rgb.values)).toEqual([10, 30, 50, 20, 40, 60]);
  });

  it('rejects PALETTE COLOR without tables', () => {
    const error = expectMedsamError(() => applyPhotometricInterpretation(GRAY, 'PALETTE COLOR'), 'pixels/invalid');
    expect(error.message).toContain('options.paletteColorLut');
  });

  it('rejects YBR_FULL with one sample per pixel', () => {
    expectMedsamError(() => applyPhotometricInterpretation(GRAY, 'YBR_FULL'), 'pixels/unsupported');
  });

  it('rejects YBR_RCT and suggests RGB', () => {
    const image: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: new Uint8Array(3) };
    const error = expectMedsamError(() => applyPhotometricInterpretation(image, 'YBR_RCT'), 'pixels/unsupported');
    expect(error.message).toContain('pass RGB');
  });

  it('rejects YBR_PARTIAL_420', () => {
    const image: ModalityImage = { width: 1, height: 1, samplesPerPixel: 3, values: new Uint8Array(3) };
    expectMedsamError(() => applyPhotometricInterpretation(image, 'YBR_PARTIAL_420'), 'pixels/unsupported');
  });
});
