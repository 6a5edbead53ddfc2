import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's interpreter, which has numpy, scikit-image, pydicom and torch. */
export const REFERENCE_PYTHON = process.env.MEDSAM_REFERENCE_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(__dirname, 'medsam_reference.py');

type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

const DTYPES: Record<string, new (buffer: ArrayBuffer) => TypedArray> = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
};

/** A raw array file for the reference: little-endian, row-major. */
export interface RawArraySpec {
  file: string;
  dtype: string;
  shape: number[];
}

export interface ReferenceCase {
  name: string;
  kind: 'decode' | 'image' | 'box' | 'mask' | 'resize' | 'convert-ybr' | 'palette';
  [key: string]: unknown;
}

export interface ReferenceResult {
  arrays: Record<string, TypedArray>;
  info: Record<string, unknown>;
}

/** Collects cases and the raw arrays they reference, then runs the Python reference once. */
export class ReferenceBatch {
  private readonly cases: ReferenceCase[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'medsam-reference-'));
  private counter = 0;

  /** Stores `values` as a raw file and returns its spec for a case. */
  addArray(values: TypedArray, shape: number[]): RawArraySpec {
    const dtype = Object.keys(DTYPES).find((name) => values instanceof (DTYPES[name] as unknown as Function));
    if (dtype === undefined) throw new TypeError('Unsupported typed array for the reference.');
    const file = `input-${this.counter++}.bin`;
    writeFileSync(join(this.dir, file), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    return { file, dtype, shape };
  }

  addCase(referenceCase: ReferenceCase): void {
    this.cases.push(referenceCase);
  }

  /** Runs the reference; throws with its stderr when it fails. */
  run(): Map<string, ReferenceResult> {
    writeFileSync(join(this.dir, 'request.json'), JSON.stringify({ cases: this.cases }));
    const result = spawnSync(REFERENCE_PYTHON, [SCRIPT, this.dir], { encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) {
      throw new Error(
        `Python reference failed (${REFERENCE_PYTHON} ${SCRIPT}, status ${String(result.status)}): ` +
          `${result.stderr || String(result.error)}`,
      );
    }

    const response = JSON.parse(readFileSync(join(this.dir, 'response.json'), 'utf8')) as Record<
      string,
      { files: Record<string, RawArraySpec> } & Record<string, unknown>
    >;
    const results = new Map<string, ReferenceResult>();
    for (const [name, entry] of Object.entries(response)) {
      const arrays: Record<string, TypedArray> = {};
      for (const [output, spec] of Object.entries(entry.files)) {
        const bytes = readFileSync(join(this.dir, spec.file));
        const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        const constructor = DTYPES[spec.dtype];
        if (constructor === undefined) throw new TypeError(`Reference returned unsupported dtype ${spec.dtype}.`);
        arrays[output] = new constructor(buffer);
      }
      const { files: _files, ...info } = entry;
      results.set(name, { arrays, info });
    }
    return results;
  }

  /** Deletes the temporary folder. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
