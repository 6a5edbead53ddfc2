export { worldToImagePixel } from './worldToImagePixel';
export type { ImagePlane } from './worldToImagePixel';
export { pixelBoxFromWorldPoints } from './pixelBoxFromWorldPoints';
