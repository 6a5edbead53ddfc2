import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyModalityRescale } from '../../../src/preprocess/applyModalityRescale';
import { applyPhotometricInterpretation } from '../../../src/preprocess/applyPhotometricInterpretation';
import type { ModalityImage } from '../../../src/preprocess/ModalityImage';
import { readDicomPixels, type DicomPixels } from '../../helpers/readDicomPixels';

/** The public DICOM test data: $MEDSAM_DATA_DIR, by default ../shared/data beside the repository. */
export const DATA_DIR = process.env.MEDSAM_DATA_DIR ?? resolve(__dirname, '../../../../shared/data');

/** Returns the absolute path of a data file, or throws naming MEDSAM_DATA_DIR when it is missing. */
export function dataFile(relativePath: string): string {
  const path = join(DATA_DIR, relativePath);
  if (!existsSync(path)) {
    throw new Error(
      `Test data file ${path} is missing. Set MEDSAM_DATA_DIR to the folder with the public DICOM ` +
        `test data (currently ${DATA_DIR}).`,
    );
  }
  return path;
}

/**
 * Converts a decoded frame to modality values ready for pre-processing:
 * the Modality LUT (CT requires one, other modalities without it keep their
 * stored values), then the photometric interpretation of the decoded values.
 * PALETTE COLOR and colour frames skip the Modality LUT, because their
 * stored values index the palette or are colour samples.
 */
export function toModalityImage(pixels: DicomPixels): ModalityImage {
  const interpretation = pixels.decodedPhotometricInterpretation;
  const options = { paletteColorLut: pixels.paletteColorLut };
  if (interpretation === 'PALETTE COLOR') {
    const indexed = { width: pixels.width, height: pixels.height, samplesPerPixel: 1 as const, values: pixels.storedValues };
    return applyPhotometricInterpretation(indexed, interpretation, options);
  }

  const stored = {
    width: pixels.width,
    height: pixels.height,
    samplesPerPixel: pixels.samplesPerPixel,
    storedValues: pixels.storedValues,
  };
  const rescale = pixels.rescale ?? (pixels.modality === 'CT' ? undefined : { slope: 1, intercept: 0 });
  const image =
    pixels.samplesPerPixel === 3
      ? { width: stored.width, height: stored.height, samplesPerPixel: 3 as const, values: stored.storedValues }
      : applyModalityRescale(stored, rescale);
  return applyPhotometricInterpretation(image, interpretation, options);
}

/** Reads one frame from the data folder and converts it with `toModalityImage`. */
export async function readModalityImage(relativePath: string, frame = 0): Promise<ModalityImage> {
  return toModalityImage(await readDicomPixels(dataFile(relativePath), { frame }));
}
