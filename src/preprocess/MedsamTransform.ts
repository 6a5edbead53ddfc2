/** Side of MedSAM's square input, in pixels of the 1024 space. */
export const MEDSAM_INPUT_SIZE = 1024;

/**
 * Geometry that links the original image to MedSAM's input. MedSAM stretches
 * the whole image to 1024x1024 (no padding, aspect ratio not kept), so x
 * scales by 1024 / imageWidth and y by 1024 / imageHeight.
 */
export interface MedsamTransform {
  /** Original columns, in pixels. */
  imageWidth: number;
  /** Original rows, in pixels. */
  imageHeight: number;
  /** Model input side in pixels (always 1024 for MedSAM ViT-B). */
  inputSize: typeof MEDSAM_INPUT_SIZE;
}
