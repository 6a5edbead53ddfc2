import { MedsamError } from '../MedsamError';
import { expandSegmentedPaletteLut } from './expandSegmentedPaletteLut';
import type { ModalityImage } from './ModalityImage';
import type { PaletteColorLut, PaletteColorLutChannel } from './PaletteColorLut';

/**
 * Maps a PALETTE COLOR frame (one sample per pixel, stored values) to
 * interleaved RGB through its Palette Color Lookup Tables (DICOM PS3.3
 * C.7.6.3.1.5 and C.7.9). A stored value v maps to entry v - first mapped
 * value. Values below the first mapped value take the first entry, and values
 * past the table take the last, as in pydicom 2.3.1's `apply_color_lut`
 * (which wraps indices above 255 of 8-bit tables instead).
 *
 * The array type of the data decides the entry size, and the samples keep
 * the entries' range: a Uint8Array for 8-bit entries and a Uint16Array
 * (0..65535) for 16-bit entries, which the `rgb` intensity policy then
 * min-maxes to 0..255. Alpha tables are not read. Throws `pixels/invalid` for
 * tables that disagree with their descriptors or with each other and for
 * stored values that are not integers, and `pixels/unsupported` for more
 * than one sample per pixel.
 */
export function applyPaletteColorLut(image: ModalityImage, lut: PaletteColorLut): ModalityImage {
  if (image.samplesPerPixel !== 1) {
    throw new MedsamError(
      'pixels/unsupported',
      `Photometric Interpretation PALETTE COLOR needs SamplesPerPixel 1, but the frame has ${image.samplesPerPixel}.`,
    );
  }

  const red = resolveTable(lut.red, 'Red');
  const green = resolveTable(lut.green, 'Green');
  const blue = resolveTable(lut.blue, 'Blue');
  assertSameLayout(red, green, 'Green');
  assertSameLayout(red, blue, 'Blue');

  const { values } = image;
  const rgb = red.table instanceof Uint8Array ? new Uint8Array(values.length * 3) : new Uint16Array(values.length * 3);
  const lastIndex = red.table.length - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v)) {
      throw new MedsamError(
        'pixels/invalid',
        `Pixel value ${v} at index ${i} is not an integer: PALETTE COLOR indexes its lookup tables with stored values.`,
      );
    }
    const index = Math.min(Math.max(v - red.firstMapped, 0), lastIndex);
    rgb[3 * i] = red.table[index] as number;
    rgb[3 * i + 1] = green.table[index] as number;
    rgb[3 * i + 2] = blue.table[index] as number;
  }

  return { width: image.width, height: image.height, samplesPerPixel: 3, values: rgb };
}

interface ResolvedTable {
  table: Uint8Array | Uint16Array;
  firstMapped: number;
}

/** Checks one channel's descriptor and returns its expanded table. */
function resolveTable(channel: PaletteColorLutChannel, name: string): ResolvedTable {
  const [entriesValue, firstMapped, bitsPerEntry] = channel.descriptor;
  const entries = entriesValue === 0 ? 65536 : entriesValue;
  const label = `${name} Palette Color Lookup Table`;

  if (!Number.isInteger(entries) || entries < 0 || entries > 65536 || !Number.isInteger(firstMapped)) {
    throw new MedsamError(
      'pixels/invalid',
      `${label} Descriptor [${channel.descriptor.join(', ')}] is invalid: the number of entries must be an ` +
        'integer in 0..65535 (0 means 65536) and the first mapped value an integer.',
    );
  }
  if (bitsPerEntry !== 8 && bitsPerEntry !== 16) {
    throw new MedsamError(
      'pixels/invalid',
      `${label} Descriptor gives ${bitsPerEntry} bits per entry: DICOM allows only 8 or 16.`,
    );
  }

  let table: Uint8Array | Uint16Array;
  if (channel.data !== undefined) {
    table = channel.data;
  } else if (channel.segmentedData !== undefined) {
    table = expandSegmentedPaletteLut(channel.segmentedData, name);
  } else {
    throw new MedsamError(
      'pixels/invalid',
      `${label} Data and Segmented ${label} Data are both missing: pass one of them for each channel.`,
    );
  }

  if (table.length !== entries) {
    throw new MedsamError(
      'pixels/invalid',
      `${label} has ${table.length} entries, but its descriptor gives ${entries}. Pass 8-bit entries as a ` +
        'Uint8Array and 16-bit entries as a Uint16Array, one element per entry.',
    );
  }
  return { table, firstMapped };
}

function assertSameLayout(red: ResolvedTable, other: ResolvedTable, name: string): void {
  const sameType = red.table instanceof Uint8Array === other.table instanceof Uint8Array;
  if (red.table.length !== other.table.length || red.firstMapped !== other.firstMapped || !sameType) {
    throw new MedsamError(
      'pixels/invalid',
      `${name} Palette Color Lookup Table (${other.table.length} entries from ${other.firstMapped}, ` +
        `${other.table instanceof Uint8Array ? 8 : 16}-bit) differs from the Red one (${red.table.length} entries ` +
        `from ${red.firstMapped}, ${red.table instanceof Uint8Array ? 8 : 16}-bit): the three tables must match.`,
    );
  }
}
