/** Timing rows of the model benchmark and the table and ratios printed from them. */

export interface BenchRow {
  /** 'Chromium worker', 'onnxruntime-node' or 'PyTorch'. */
  where: string;
  /** 'wasm', 'webgpu' or 'cpu'. */
  backend: string;
  /** Intra-op threads; 0 where the count does not apply (WebGPU). */
  threads: number;
  /** Encoder precision, or the variant's label for the WASM option rows. */
  precision: string;
  encoderMs: number[];
  decoderMs: number[];
  note: string;
}

export interface Summary {
  median: number;
  /** 95th percentile, nearest rank. */
  p95: number;
  min: number;
  max: number;
}

/** Returns the median, 95th percentile, min and max; NaN for all when `values` is empty. */
export function summarize(values: number[]): Summary {
  if (values.length === 0) {
    return { median: Number.NaN, p95: Number.NaN, min: Number.NaN, max: Number.NaN };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { median, p95, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function formatSummary(summary: Summary, digits: number, fields: (keyof Summary)[]): string {
  if (Number.isNaN(summary.median)) {
    return '-';
  }
  return fields.map(field => summary[field].toFixed(digits)).join(' / ');
}

/** Formats the rows as a Markdown table with median / min / max of each stage. */
export function formatTable(rows: BenchRow[]): string {
  const lines = [
    '| where | backend | threads | encoder | encoder median / min / max (ms) | decoder median / p95 / min / max (ms) | runs | note |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.where} | ${row.backend} | ${row.threads || '-'} | ${row.precision} | ` +
        `${formatSummary(summarize(row.encoderMs), 0, ['median', 'min', 'max'])} | ` +
        `${formatSummary(summarize(row.decoderMs), 1, ['median', 'p95', 'min', 'max'])} | ${row.encoderMs.length} + ${row.decoderMs.length} | ${row.note} |`
    );
  }
  return lines.join('\n');
}

export interface Ratio {
  label: string;
  value: number;
}

function medianOf(rows: BenchRow[], where: string, threads: number, stage: 'encoderMs' | 'decoderMs'): number {
  const row = rows.find(candidate => candidate.where === where && candidate.threads === threads && candidate.backend !== 'webgpu');
  return row ? summarize(row[stage]).median : Number.NaN;
}

/** Returns WASM / onnxruntime-node and onnxruntime-node / PyTorch for each thread count, encoder and decoder. */
export function computeRatios(rows: BenchRow[], threadCounts: number[]): Ratio[] {
  const ratios: Ratio[] = [];
  for (const threads of threadCounts) {
    for (const stage of ['encoderMs', 'decoderMs'] as const) {
      const name = stage === 'encoderMs' ? 'encoder' : 'decoder';
      const wasm = medianOf(rows, 'Chromium worker', threads, stage);
      const node = medianOf(rows, 'onnxruntime-node', threads, stage);
      const torch = medianOf(rows, 'PyTorch', threads, stage);
      ratios.push({ label: `${name}, ${threads} thread(s): WASM / onnxruntime-node`, value: wasm / node });
      ratios.push({ label: `${name}, ${threads} thread(s): onnxruntime-node / PyTorch`, value: node / torch });
    }
  }
  return ratios;
}
