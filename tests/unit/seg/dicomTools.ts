import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceImage } from '../../../src/seg/SourceImage';

/** Reads a file from disk as an ArrayBuffer of its own. */
export function readArrayBuffer(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Runs dciodvfy on a file's bytes and returns its lines that start with "Error" and "Warning". */
export function runDciodvfy(file: ArrayBuffer): { errors: string[]; warnings: string[] } {
  const directory = mkdtempSync(join(tmpdir(), 'dciodvfy-'));
  try {
    const path = join(directory, 'file.dcm');
    writeFileSync(path, new Uint8Array(file));
    const result = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
    if (result.error) {
      throw new Error(`dciodvfy failed to start: ${result.error.message}. Install dicom3tools.`);
    }
    const lines = `${result.stdout}\n${result.stderr}`.split('\n');
    return {
      errors: lines.filter((line) => line.startsWith('Error')),
      warnings: lines.filter((line) => line.startsWith('Warning')),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Per-frame summary that pydicom, as an independent reader, gives of a SEG. */
export interface PydicomFrame {
  segmentNumber: number;
  referencedSopInstanceUid: string;
  /** z of the frame's Image Position (Patient); null when the frame has no Plane Position Sequence. */
  z: number | null;
  foreground: number;
  /** Indices of the first ten foreground pixels, row-major. */
  firstPixels: number[];
  /** SHA-256 (hex) of the frame as one 0/1 byte per pixel, row-major. */
  sha256: string;
}

/** Decodes a SEG with /usr/bin/python3 and pydicom and summarizes each frame. */
export function readWithPydicom(file: ArrayBuffer): PydicomFrame[] {
  const directory = mkdtempSync(join(tmpdir(), 'pydicom-'));
  const script = `
import hashlib, json, sys
import numpy as np
import pydicom
ds = pydicom.dcmread(sys.argv[1])
pixels = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows * ds.Columns)
out = []
for i, group in enumerate(ds.PerFrameFunctionalGroupsSequence):
    flat = pixels[i]
    out.append({
        "segmentNumber": int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
        "referencedSopInstanceUid": str(group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID),
        "z": float(group.PlanePositionSequence[0].ImagePositionPatient[2]) if "PlanePositionSequence" in group else None,
        "foreground": int(flat.sum()),
        "firstPixels": [int(v) for v in np.flatnonzero(flat)[:10]],
        "sha256": hashlib.sha256(flat.astype(np.uint8).tobytes()).hexdigest(),
    })
print(json.dumps(out))
`;
  try {
    const path = join(directory, 'seg.dcm');
    writeFileSync(path, new Uint8Array(file));
    const result = spawnSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
      throw new Error(`pydicom failed to read the SEG: ${result.stderr}`);
    }
    return JSON.parse(result.stdout) as PydicomFrame[];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Returns a single-frame axial CT source of the given size with fixed UIDs, for writer tests without files. */
export function syntheticCtSource(rows: number, columns: number): SourceImage {
  return {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUid: '2.25.100',
    studyInstanceUid: '2.25.1',
    seriesInstanceUid: '2.25.2',
    frameOfReferenceUid: '2.25.3',
    rows,
    columns,
    pixelSpacingMm: [1, 1],
    imagePositionPatient: [0, 0, 0],
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    patient: { patientName: 'TEST^PATIENT', patientId: 'P1' },
    study: {},
  };
}
