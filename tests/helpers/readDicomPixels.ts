import { readFileSync } from 'node:fs';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import type { PixelValues } from '../../src/preprocess/ModalityImage';
import type { PaletteColorLut, PaletteColorLutChannel } from '../../src/preprocess/PaletteColorLut';

/** One decoded frame and the attributes that pre-processing needs. */
export interface DicomPixels {
  transferSyntaxUid: string;
  modality: string;
  /** Photometric Interpretation (0028,0004) as stored. */
  photometricInterpretation: string;
  /**
   * The Photometric Interpretation of `storedValues`: RGB where the decoder
   * converted the colour, which libjpeg-turbo does for 3-sample JPEG baseline
   * (YBR_FULL, YBR_FULL_422) and OpenJPEG for JPEG 2000 YBR_RCT and YBR_ICT.
   * Otherwise the stored value.
   */
  decodedPhotometricInterpretation: string;
  /** Columns (0028,0011). */
  width: number;
  /** Rows (0028,0010). */
  height: number;
  samplesPerPixel: 1 | 3;
  numberOfFrames: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  /**
   * RescaleSlope/RescaleIntercept from the top level. Enhanced objects carry
   * them in the Pixel Value Transformation Sequence of the frame's per-frame
   * or shared functional groups. Undefined when absent.
   */
  rescale: { slope: number; intercept: number } | undefined;
  /**
   * The Red, Green and Blue Palette Color Lookup Tables when the file has
   * them (PALETTE COLOR, or a supplemental palette), else undefined.
   */
  paletteColorLut: PaletteColorLut | undefined;
  /**
   * Stored values of the requested frame, colour interleaved (R G B R G B
   * ...). Uncompressed YBR_FULL_422 keeps its 4:2:2 layout, Y0 Y1 Cb Cr per
   * pixel pair, so it has width x height x 2 values.
   */
  storedValues: PixelValues;
}

interface CodecDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  delete(): void;
}

interface CodecModule {
  J2KDecoder?: new () => CodecDecoder;
  JpegLSDecoder?: new () => CodecDecoder & { getInterleaveMode(): number };
  JPEGDecoder?: new () => CodecDecoder;
}

type CodecName = 'openjpeg' | 'charls' | 'libjpeg-turbo';

const TRANSFER_SYNTAX = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  explicitBig: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
} as const;

const codecPromises = new Map<string, Promise<CodecModule>>();

/** Loads a Cornerstone WebAssembly codec once per process. */
function loadCodec(name: CodecName): Promise<CodecModule> {
  let promise = codecPromises.get(name);
  if (!promise) {
    // The codec packages ship Emscripten factories without type declarations.
    const factories: Record<CodecName, () => unknown> = {
      openjpeg: () => require('@cornerstonejs/codec-openjpeg/decodewasmjs'),
      charls: () => require('@cornerstonejs/codec-charls/decodewasmjs'),
      'libjpeg-turbo': () => require('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
    };
    const factory = factories[name]() as () => Promise<CodecModule>;
    promise = factory();
    codecPromises.set(name, promise);
  }
  return promise;
}

/**
 * Reads one frame of a DICOM file with dicom-parser and decodes it:
 * uncompressed little and big endian, RLE Lossless (decoded here),
 * JPEG-LS through @cornerstonejs/codec-charls, JPEG 2000 through
 * @cornerstonejs/codec-openjpeg and 8-bit JPEG baseline through
 * @cornerstonejs/codec-libjpeg-turbo-8bit. Other transfer syntaxes raise an
 * error naming the UID. Throws when the Pixel Data contains fewer bytes than
 * Rows x Columns x SamplesPerPixel x BitsAllocated/8 for the frame (two
 * thirds of that for uncompressed YBR_FULL_422).
 */
export async function readDicomPixels(path: string, options: { frame?: number } = {}): Promise<DicomPixels> {
  const bytes = new Uint8Array(readFileSync(path));
  const dataSet = dicomParser.parseDicom(bytes);
  const frame = options.frame ?? 0;

  const width = requireNumber(dataSet, 'x00280011', 'Columns', path);
  const height = requireNumber(dataSet, 'x00280010', 'Rows', path);
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new Error(`${path}: SamplesPerPixel ${samplesPerPixel} is not supported.`);
  }
  const numberOfFrames = dataSet.intString('x00280008') ?? 1;
  if (!Number.isInteger(frame) || frame < 0 || frame >= numberOfFrames) {
    throw new Error(`${path}: frame ${frame} is out of range 0..${numberOfFrames - 1}.`);
  }

  const transferSyntaxUid = (dataSet.string('x00020010') ?? TRANSFER_SYNTAX.implicitLittle).trim();
  const photometricInterpretation = (dataSet.string('x00280004') ?? '').trim();
  const pixelRepresentation = (dataSet.uint16('x00280103') === 1 ? 1 : 0) as 0 | 1;
  const header = {
    transferSyntaxUid,
    modality: (dataSet.string('x00080060') ?? '').trim(),
    photometricInterpretation,
    decodedPhotometricInterpretation: decodedInterpretation(transferSyntaxUid, photometricInterpretation, samplesPerPixel),
    width,
    height,
    samplesPerPixel: samplesPerPixel as 1 | 3,
    numberOfFrames,
    bitsAllocated: requireNumber(dataSet, 'x00280100', 'BitsAllocated', path),
    bitsStored: dataSet.uint16('x00280101') ?? 0,
    pixelRepresentation,
    planarConfiguration: dataSet.uint16('x00280006') ?? 0,
    rescale: readRescale(dataSet, frame),
    paletteColorLut: readPaletteColorLut(dataSet, {
      pixelRepresentation,
      bigEndian: transferSyntaxUid === TRANSFER_SYNTAX.explicitBig,
      path,
    }),
  };

  const pixelData = dataSet.elements.x7fe00010;
  if (!pixelData) throw new Error(`${path}: Pixel Data (7FE0,0010) is missing.`);

  const storedValues = pixelData.encapsulatedPixelData
    ? await decodeEncapsulated(dataSet, pixelData, header, frame, path)
    : readNative(dataSet, pixelData, header, frame, path);

  const { planarConfiguration: _planar, ...rest } = header;
  return { ...rest, storedValues };
}

type Header = Omit<DicomPixels, 'storedValues'> & { planarConfiguration: number };

/** Returns the Photometric Interpretation of the decoded samples, RGB where the codec converts the colour. */
function decodedInterpretation(transferSyntaxUid: string, stored: string, samplesPerPixel: number): string {
  if (samplesPerPixel === 3 && transferSyntaxUid === TRANSFER_SYNTAX.jpegBaseline) return 'RGB';
  const jpeg2000 = transferSyntaxUid === TRANSFER_SYNTAX.jpeg2000Lossless || transferSyntaxUid === TRANSFER_SYNTAX.jpeg2000;
  if (jpeg2000 && (stored === 'YBR_RCT' || stored === 'YBR_ICT')) return 'RGB';
  return stored;
}

const PALETTE_TAGS = {
  red: { descriptor: 'x00281101', data: 'x00281201', segmented: 'x00281221' },
  green: { descriptor: 'x00281102', data: 'x00281202', segmented: 'x00281222' },
  blue: { descriptor: 'x00281103', data: 'x00281203', segmented: 'x00281223' },
} as const;

interface LutContext {
  pixelRepresentation: 0 | 1;
  bigEndian: boolean;
  path: string;
}

/** Reads the Palette Color Lookup Table Module (PS3.3 C.7.9) when the Red descriptor is present. */
function readPaletteColorLut(dataSet: DataSet, context: LutContext): PaletteColorLut | undefined {
  if (!dataSet.elements[PALETTE_TAGS.red.descriptor]) return undefined;
  return {
    red: readLutChannel(dataSet, PALETTE_TAGS.red, 'Red', context),
    green: readLutChannel(dataSet, PALETTE_TAGS.green, 'Green', context),
    blue: readLutChannel(dataSet, PALETTE_TAGS.blue, 'Blue', context),
  };
}

function readLutChannel(
  dataSet: DataSet,
  tags: (typeof PALETTE_TAGS)[keyof typeof PALETTE_TAGS],
  name: string,
  context: LutContext,
): PaletteColorLutChannel {
  const { path } = context;
  const entries = dataSet.uint16(tags.descriptor, 0);
  const first = dataSet.uint16(tags.descriptor, 1);
  const bits = dataSet.uint16(tags.descriptor, 2);
  if (entries === undefined || first === undefined || bits === undefined) {
    throw new Error(`${path}: ${name} Palette Color Lookup Table Descriptor does not have three values.`);
  }
  // The first mapped value has the VR of the Pixel Data: SS when it is signed.
  const firstMapped = context.pixelRepresentation === 1 && first > 0x7fff ? first - 0x10000 : first;
  const descriptor = [entries, firstMapped, bits] as const;

  const data = lutBytes(dataSet, tags.data);
  if (data) {
    return { descriptor, data: lutEntries(data, entries === 0 ? 65536 : entries, name, context) };
  }
  const segmented = lutBytes(dataSet, tags.segmented);
  if (segmented) {
    return { descriptor, segmentedData: bits === 8 ? segmented : toUint16(segmented, context.bigEndian) };
  }
  throw new Error(`${path}: ${name} Palette Color Lookup Table Data and its segmented form are both missing.`);
}

function lutBytes(dataSet: DataSet, tag: string): Uint8Array | undefined {
  const element = dataSet.elements[tag];
  if (!element) return undefined;
  return dataSet.byteArray.slice(element.dataOffset, element.dataOffset + element.length);
}

/**
 * Splits LUT Data into entries. As in pydicom 2.3.1, the entry size comes
 * from the data length: one byte per entry is 8-bit, two bytes 16-bit (8-bit
 * entries stored in 16-bit words then keep those words).
 */
function lutEntries(bytes: Uint8Array, entries: number, name: string, context: LutContext): Uint8Array | Uint16Array {
  // An odd number of 8-bit entries is padded to an even length.
  if (bytes.length === entries || (entries % 2 === 1 && bytes.length === entries + 1)) {
    return bytes.subarray(0, entries);
  }
  if (bytes.length === 2 * entries) return toUint16(bytes, context.bigEndian);
  throw new Error(
    `${context.path}: ${name} Palette Color Lookup Table Data has ${bytes.length} bytes for ${entries} entries.`,
  );
}

function toUint16(bytes: Uint8Array, bigEndian: boolean): Uint16Array {
  const copy = bytes.slice(0, bytes.length - (bytes.length % 2));
  if (bigEndian) swapBytes(copy, 2);
  return new Uint16Array(copy.buffer);
}

function requireNumber(dataSet: DataSet, tag: string, name: string, path: string): number {
  const value = dataSet.uint16(tag);
  if (value === undefined) throw new Error(`${path}: ${name} is missing.`);
  return value;
}

function readRescale(dataSet: DataSet, frame: number): DicomPixels['rescale'] {
  const fromDataSet = (source: DataSet | undefined): DicomPixels['rescale'] => {
    const slope = source?.floatString('x00281053');
    const intercept = source?.floatString('x00281052');
    if (slope === undefined || intercept === undefined) return undefined;
    return { slope, intercept };
  };

  const topLevel = fromDataSet(dataSet);
  if (topLevel) return topLevel;

  const transformIn = (groups: DataSet | undefined): DicomPixels['rescale'] =>
    fromDataSet(groups?.elements.x00289145?.items?.[0]?.dataSet);
  const perFrame = dataSet.elements.x52009230?.items?.[frame]?.dataSet;
  const shared = dataSet.elements.x52009229?.items?.[0]?.dataSet;
  return transformIn(perFrame) ?? transformIn(shared);
}

function bytesPerSample(header: Header, path: string): number {
  if (header.bitsAllocated !== 8 && header.bitsAllocated !== 16 && header.bitsAllocated !== 32) {
    throw new Error(`${path}: BitsAllocated ${header.bitsAllocated} is not supported.`);
  }
  return header.bitsAllocated / 8;
}

/** Copies little-endian sample bytes into a new typed array of the right kind. */
function toTypedArray(bytes: Uint8Array, header: Header, path: string): PixelValues {
  const size = bytesPerSample(header, path);
  const copy = bytes.slice();
  const signed = header.pixelRepresentation === 1;
  if (size === 1) return signed ? new Int8Array(copy.buffer) : copy;
  if (size === 2) return signed ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
  return signed ? new Int32Array(copy.buffer) : new Uint32Array(copy.buffer);
}

/** Bytes of one stored frame: uncompressed YBR_FULL_422 has two samples per pixel (PS3.3 C.7.6.3.1.2). */
function frameByteLength(header: Header, path: string): number {
  const samples = header.photometricInterpretation === 'YBR_FULL_422' ? 2 : header.samplesPerPixel;
  return header.width * header.height * samples * bytesPerSample(header, path);
}

function readNative(dataSet: DataSet, pixelData: Element, header: Header, frame: number, path: string): PixelValues {
  const length = frameByteLength(header, path);
  const start = pixelData.dataOffset + frame * length;
  const available = Math.min(pixelData.length, dataSet.byteArray.length - pixelData.dataOffset) - frame * length;
  if (available < length) {
    throw new Error(
      `${path}: Pixel Data is truncated: frame ${frame} needs ${length} bytes but ${Math.max(available, 0)} remain.`,
    );
  }

  const bytes = dataSet.byteArray.slice(start, start + length);
  if (header.transferSyntaxUid === TRANSFER_SYNTAX.explicitBig) swapBytes(bytes, bytesPerSample(header, path));
  const values = toTypedArray(bytes, header, path);
  if (header.samplesPerPixel !== 3 || header.planarConfiguration !== 1) return values;
  if (header.photometricInterpretation === 'YBR_FULL_422') {
    throw new Error(`${path}: YBR_FULL_422 requires PlanarConfiguration 0, but the file has 1.`);
  }
  return planarToInterleaved(values);
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

function planarToInterleaved(values: PixelValues): PixelValues {
  const constructor = values.constructor as new (length: number) => PixelValues;
  const out = new constructor(values.length);
  const pixels = values.length / 3;
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < 3; c++) out[3 * i + c] = values[c * pixels + i] as number;
  }
  return out;
}

function encapsulatedFrame(dataSet: DataSet, pixelData: Element, header: Header, frame: number): Uint8Array {
  const fragments = pixelData.fragments ?? [];
  if (header.numberOfFrames === 1) {
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, fragments.length);
  }
  if ((pixelData.basicOffsetTable ?? []).length > 0) {
    return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, frame);
  }
  if (fragments.length === header.numberOfFrames) {
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, frame, 1);
  }
  const offsets = dicomParser.createJPEGBasicOffsetTable(dataSet, pixelData);
  return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, frame, offsets);
}

async function decodeEncapsulated(
  dataSet: DataSet,
  pixelData: Element,
  header: Header,
  frame: number,
  path: string,
): Promise<PixelValues> {
  const encoded = encapsulatedFrame(dataSet, pixelData, header, frame);
  // Decoders return every sample: JPEG upsamples 4:2:2 chroma.
  const expected = header.width * header.height * header.samplesPerPixel * bytesPerSample(header, path);
  let decoded: Uint8Array;

  switch (header.transferSyntaxUid) {
    case TRANSFER_SYNTAX.rle:
      decoded = decodeRle(encoded, header, path);
      break;
    case TRANSFER_SYNTAX.jpeg2000Lossless:
    case TRANSFER_SYNTAX.jpeg2000:
      decoded = await decodeWithCodec('openjpeg', encoded, header, path);
      break;
    case TRANSFER_SYNTAX.jpegLsLossless:
    case TRANSFER_SYNTAX.jpegLsNearLossless:
      decoded = await decodeWithCodec('charls', encoded, header, path);
      break;
    case TRANSFER_SYNTAX.jpegBaseline:
      decoded = await decodeWithCodec('libjpeg-turbo', encoded, header, path);
      break;
    default:
      throw new Error(`${path}: transfer syntax ${header.transferSyntaxUid} is not supported by readDicomPixels.`);
  }

  if (decoded.length !== expected) {
    throw new Error(`${path}: decoded frame ${frame} has ${decoded.length} bytes, expected ${expected}.`);
  }
  return toTypedArray(decoded, header, path);
}

async function decodeWithCodec(name: CodecName, encoded: Uint8Array, header: Header, path: string): Promise<Uint8Array> {
  const codec = await loadCodec(name);
  const decoders = { openjpeg: codec.J2KDecoder, charls: codec.JpegLSDecoder, 'libjpeg-turbo': codec.JPEGDecoder };
  const Decoder = decoders[name];
  if (!Decoder) throw new Error(`${name} codec has no decoder class.`);

  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width !== header.width || info.height !== header.height) {
      throw new Error(
        `${path}: ${name} decoded ${info.width}x${info.height}, but the header says ${header.width}x${header.height}.`,
      );
    }
    if (name === 'charls' && header.samplesPerPixel === 3) {
      const interleave = (decoder as CodecDecoder & { getInterleaveMode(): number }).getInterleaveMode();
      if (interleave === 0) throw new Error(`${path}: planar (non-interleaved) colour JPEG-LS is not supported.`);
    }
    return decoder.getDecodedBuffer().slice();
  } finally {
    decoder.delete();
  }
}

/**
 * Decodes one RLE Lossless frame (DICOM PS3.5 Annex G): a 64-byte header
 * with the segment count and offsets, then one PackBits segment per byte
 * plane, most significant byte first, one plane set per sample.
 */
function decodeRle(encoded: Uint8Array, header: Header, path: string): Uint8Array {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  const sampleBytes = bytesPerSample(header, path);
  const expectedSegments = sampleBytes * header.samplesPerPixel;
  if (segmentCount !== expectedSegments) {
    throw new Error(`${path}: RLE frame has ${segmentCount} segments, expected ${expectedSegments}.`);
  }

  const pixels = header.width * header.height;
  const out = new Uint8Array(pixels * expectedSegments);
  for (let segment = 0; segment < segmentCount; segment++) {
    const start = view.getUint32(4 + 4 * segment, true);
    const end = segment + 1 < segmentCount ? view.getUint32(8 + 4 * segment, true) : encoded.length;
    const sample = Math.floor(segment / sampleBytes);
    // Segment 0 of a sample is its most significant byte; samples are stored little endian.
    const byteInSample = sampleBytes - 1 - (segment % sampleBytes);
    const stride = expectedSegments;
    let target = sample * sampleBytes + byteInSample;
    let written = 0;
    let position = start;

    while (position < end && written < pixels) {
      const control = (encoded[position++] as number) << 24 >> 24;
      if (control >= 0) {
        for (let k = 0; k <= control && written < pixels; k++) {
          out[target] = encoded[position++] as number;
          target += stride;
          written++;
        }
      } else if (control !== -128) {
        const value = encoded[position++] as number;
        for (let k = 0; k < 1 - control && written < pixels; k++) {
          out[target] = value;
          target += stride;
          written++;
        }
      }
    }
    if (written !== pixels) {
      throw new Error(`${path}: RLE segment ${segment} decoded ${written} of ${pixels} bytes.`);
    }
  }
  return out;
}
