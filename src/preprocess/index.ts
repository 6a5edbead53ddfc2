export { applyModalityRescale } from './applyModalityRescale';
export type { ModalityRescale, StoredPixelImage } from './applyModalityRescale';
export { applyPaletteColorLut } from './applyPaletteColorLut';
export { applyPhotometricInterpretation, SUPPORTED_PHOTOMETRIC_INTERPRETATIONS } from './applyPhotometricInterpretation';
export type { PhotometricOptions } from './applyPhotometricInterpretation';
export { boxToModelSpace } from './boxToModelSpace';
export type { BoxPixels } from './boxToModelSpace';
export { computePercentilePolicy, HIGH_PERCENTILE, LOW_PERCENTILE } from './computePercentilePolicy';
export { convertYbrFullToRgb } from './convertYbrFullToRgb';
export { defaultIntensityPolicy } from './defaultIntensityPolicy';
export { expandSegmentedPaletteLut } from './expandSegmentedPaletteLut';
export { expandYbrFull422 } from './expandYbrFull422';
export {
  assertValidIntensityPolicy,
  CT_WINDOW_PRESETS,
  ctWindowPolicy,
  customCtWindowPolicy,
} from './IntensityPolicy';
export type { CtWindowPolicy, CtWindowPreset, IntensityPolicy } from './IntensityPolicy';
export { invertMonochrome1 } from './invertMonochrome1';
export { logitsToMask, MEDSAM_LOGITS_SIZE } from './logitsToMask';
export { assertValidModalityImage } from './ModalityImage';
export type { ModalityImage, PixelValues } from './ModalityImage';
export { MEDSAM_INPUT_SIZE } from './MedsamTransform';
export type { PaletteColorLut, PaletteColorLutChannel } from './PaletteColorLut';
export type { MedsamTransform } from './MedsamTransform';
export { preprocessForMedsam } from './preprocessForMedsam';
export type { MedsamInput } from './preprocessForMedsam';
export { resizeCubicBSpline } from './resize/resizeCubicBSpline';
export { resizeToUint8Planes } from './resize/resizeToUint8Planes';
export { toUint8Image } from './toUint8Image';
export { MAX_KEPT_VALUES, VolumeStatistics } from './VolumeStatistics';
export type { ValueRange } from './VolumeStatistics';
export type { AppliedIntensity, Uint8Image } from './Uint8Image';
