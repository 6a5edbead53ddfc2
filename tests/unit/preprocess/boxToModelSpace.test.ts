import { MedsamError } from '../../../src/MedsamError';
import { boxToModelSpace } from '../../../src/preprocess/boxToModelSpace';
import type { MedsamTransform } from '../../../src/preprocess/MedsamTransform';
import { ReferenceBatch } from '../../reference/runMedsamReference';

const TRANSFORMS: MedsamTransform[] = [
  { imageWidth: 512, imageHeight: 512, inputSize: 1024 },
  { imageWidth: 169, imageHeight: 211, inputSize: 1024 },
  { imageWidth: 2560, imageHeight: 3328, inputSize: 1024 },
];

// Every box lies inside the smallest image (169x211).
const BOXES = [
  { x0: 95, y0: 150, x1: 160, y1: 200 },
  { x0: 0, y0: 0, x1: 1, y1: 1 },
  { x0: 10.5, y0: 3.25, x1: 160.75, y1: 200.125 },
];

function expectCode(action: () => unknown, code: string): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MedsamError);
  expect((caught as MedsamError).code).toBe(code);
}

describe('boxToModelSpace', () => {
  it('matches the Python reference bit for bit', () => {
    const batch = new ReferenceBatch();
    try {
      TRANSFORMS.forEach((transform, index) => {
        batch.addCase({
          name: `boxes-${index}`,
          kind: 'box',
          imageWidth: transform.imageWidth,
          imageHeight: transform.imageHeight,
          boxes: BOXES.map((b) => [b.x0, b.y0, b.x1, b.y1]),
        });
      });
      const results = batch.run();

      TRANSFORMS.forEach((transform, index) => {
        const expected = results.get(`boxes-${index}`)?.arrays.boxes as Float32Array;
        BOXES.forEach((box, boxIndex) => {
          const actual = boxToModelSpace(box, transform);
          expect(Array.from(actual)).toEqual(Array.from(expected.subarray(4 * boxIndex, 4 * boxIndex + 4)));
        });
      });
    } finally {
      batch.dispose();
    }
  }, 30_000);

  it('scales the demo box for a 512x512 image by 2', () => {
    const box = boxToModelSpace({ x0: 95, y0: 255, x1: 190, y1: 350 }, TRANSFORMS[0] as MedsamTransform);
    expect(Array.from(box)).toEqual([190, 510, 380, 700]);
  });

  it('stretches x and y separately for a non-square image', () => {
    const transform: MedsamTransform = { imageWidth: 256, imageHeight: 1024, inputSize: 1024 };
    const box = boxToModelSpace({ x0: 64, y0: 64, x1: 128, y1: 128 }, transform);
    expect(Array.from(box)).toEqual([256, 64, 512, 128]);
  });

  it('clamps corners outside the image to its edges', () => {
    const box = boxToModelSpace({ x0: -20, y0: 500, x1: 600, y1: 700 }, TRANSFORMS[0] as MedsamTransform);
    expect(Array.from(box)).toEqual([0, 1000, 1024, 1024]);
  });

  it('rejects a box entirely outside the image', () => {
    expectCode(() => boxToModelSpace({ x0: 600, y0: 0, x1: 700, y1: 10 }, TRANSFORMS[0] as MedsamTransform), 'box/invalid');
  });

  it('rejects reversed corners', () => {
    expectCode(() => boxToModelSpace({ x0: 100, y0: 10, x1: 50, y1: 20 }, TRANSFORMS[0] as MedsamTransform), 'box/invalid');
  });

  it('rejects an empty box', () => {
    expectCode(() => boxToModelSpace({ x0: 10, y0: 10, x1: 10, y1: 20 }, TRANSFORMS[0] as MedsamTransform), 'box/invalid');
  });

  it('rejects NaN corners', () => {
    expectCode(() => boxToModelSpace({ x0: NaN, y0: 10, x1: 50, y1: 20 }, TRANSFORMS[0] as MedsamTransform), 'box/invalid');
  });
});
