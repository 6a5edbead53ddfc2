import { createLogger } from '../logging';
import type { NaturalDataset } from './dcmjsData';
import type { SourceInstance } from './SourceImage';

const logger = createLogger('medsam.seg');

/** One lossy compression step: its method (CS, e.g. ISO_10918_1) and approximate ratio. */
interface LossyStep {
  method: string | undefined;
  ratio: number | undefined;
}

/**
 * Builds the Lossy Image Compression attributes of a SEG from its sources
 * (PS3.3 C.7.6.1.1.5). Lossy Image Compression is "01" when any source has
 * "01", because a derived image inherits the loss and the value is never
 * reset. Ratio (0028,2112) and Method (0028,2114) list one value per step,
 * and the Nth ratio belongs to the Nth method.
 *
 * Both attributes describe the successive steps of one image. For several
 * sources with different histories, this writer lists each method once, in
 * the order the sources first name it, with the largest ratio any source
 * has for it, which is the worst loss behind the segmentation.
 */
export function mergeLossyImageCompression(instances: SourceInstance[]): NaturalDataset {
  const lossy = instances.filter((instance) => instance.lossyImageCompression);
  if (lossy.length === 0) {
    return { LossyImageCompression: '00' };
  }

  const steps = new Map<string, LossyStep>();
  const unpaired: string[] = [];
  for (const instance of lossy) {
    const ratioCount = instance.lossyImageCompressionRatios?.length ?? 0;
    if (ratioCount !== (instance.lossyImageCompressionMethods?.length ?? 0)) {
      unpaired.push(instance.sopInstanceUid);
    }
    for (const step of listSteps(instance)) {
      const key = step.method ?? '';
      const merged = steps.get(key);
      if (!merged) {
        steps.set(key, { ...step });
      } else if (step.ratio !== undefined && (merged.ratio === undefined || step.ratio > merged.ratio)) {
        merged.ratio = step.ratio;
      }
    }
  }

  if (unpaired.length > 0) {
    // NOTE: the method is not inferred from the source's transfer syntax,
    // so a source that gives a ratio without a method leaves Lossy Image
    // Compression Method out of the SEG.
    const message =
      'Lossy source images have a different number of LossyImageCompressionRatio and LossyImageCompressionMethod values.';
    logger.warn(message, { count: unpaired.length, firstSopInstanceUids: unpaired.slice(0, 3) });
  }

  const methods = [...steps.values()].map((step) => step.method);
  const ratios = [...steps.values()].map((step) => step.ratio);
  const attributes: NaturalDataset = { LossyImageCompression: '01' };
  if (steps.size > 0 && methods.every((method) => method !== undefined)) {
    attributes.LossyImageCompressionMethod = methods;
  }
  if (steps.size > 0 && ratios.every((ratio) => ratio !== undefined)) {
    attributes.LossyImageCompressionRatio = ratios;
  }
  return attributes;
}

/** Pairs a source's ratios and methods by position; a missing value stays undefined. */
function listSteps(instance: SourceInstance): LossyStep[] {
  const ratios = instance.lossyImageCompressionRatios ?? [];
  const methods = instance.lossyImageCompressionMethods ?? [];
  return Array.from({ length: Math.max(ratios.length, methods.length) }, (_, index) => ({
    method: methods[index],
    ratio: ratios[index],
  }));
}
