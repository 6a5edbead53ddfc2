/**
 * Benchmarks writing a BINARY SEG of a long CT series and storing it. The
 * source is the synthetic phantom series (src/phantom), and the SEG has one
 * lesion segment with a frame on every slice. The timed steps are
 * `writeSegmentation` on the naturalized source datasets, STOW-RS of the SEG
 * to Orthanc and the QIDO-RS query that confirms it. `scripts/bench-seg.mjs`
 * starts Orthanc in a private network namespace and calls
 * `runSegWriteStoreBench`.
 */
import { cpus, loadavg, totalmem } from 'node:os';

import { confirmInstanceStored, storeInstances } from '../src/dicomweb';
import { setLogLevel } from '../src/logging';
import { createPhantomSeries } from '../src/phantom';
import { readPart10, writeSegmentation } from '../src/seg';
import { summarize, type Summary } from './benchStats';

/** Options of `runSegWriteStoreBench`. */
export interface SegWriteStoreBenchOptions {
  /** DICOMweb root of the Orthanc to store into, e.g. http://127.0.0.1:8042/dicom-web. */
  dicomwebUrl: string;
  /** Orthanc version, printed with the machine. */
  orthancVersion: string;
  /** Slices of the source series, and frames of the SEG. */
  slices: number;
  /** Timed write, store and confirm runs; each stores a new SEG instance. */
  runs: number;
}

/** STOW-RS batch size for the source series: about 25 MiB of 512x512 slices per request. */
const SOURCE_BATCH = 50;

/** Runs the benchmark and prints the figures and the machine. */
export async function runSegWriteStoreBench(options: SegWriteStoreBenchOptions): Promise<void> {
  const { dicomwebUrl, slices, runs } = options;
  // The writer and the DICOMweb client log every SEG and store at info level.
  setLogLevel('warn');

  let started = performance.now();
  // A z semi-axis one slice longer than half the series puts lesion pixels on every slice.
  const sliceSpacingMm = 2.5;
  const series = createPhantomSeries({
    slices,
    seed: 'bench-seg',
    sliceSpacingMm,
    lesion: { centerMm: [50, -10, 0], semiAxesMm: [25, 20, (slices * sliceSpacingMm) / 2 + sliceSpacingMm], hu: 90 },
  });
  const generateMs = performance.now() - started;
  const sourceBytes = series.instances.reduce((sum, instance) => sum + instance.file.byteLength, 0);

  started = performance.now();
  const sources = series.instances.map((instance) => readPart10(instance.file).dataset);
  const parseMs = performance.now() - started;
  const masks = new Map(series.groundTruth.map((slice) => [slice.sopInstanceUid, slice.mask]));
  const lesionVoxels = series.groundTruth.reduce((sum, slice) => sum + slice.voxelCount, 0);

  started = performance.now();
  for (let first = 0; first < series.instances.length; first += SOURCE_BATCH) {
    const batch = series.instances.slice(first, first + SOURCE_BATCH).map((instance) => instance.file);
    await storeInstances(dicomwebUrl, batch, { studyInstanceUid: series.studyInstanceUid, retries: 0 });
  }
  const uploadSourcesMs = performance.now() - started;

  const loadBefore = loadavg();
  const writeMs: number[] = [];
  const storeMs: number[] = [];
  const confirmMs: number[] = [];
  let segBytes = 0;
  let frames = 0;
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    const written = writeSegmentation({
      sourceImages: sources,
      segments: [{ segmentNumber: 1, label: 'Lesion', masks }],
      algorithm: { name: 'MedSAM', version: '0.1.0' },
      options: { seriesDescription: `bench SEG run ${run + 1}` },
    });
    writeMs.push(performance.now() - started);
    segBytes = written.file.byteLength;
    frames = written.frameCount;

    started = performance.now();
    // No retries, so that a failed attempt fails the benchmark instead of adding to its time.
    await storeInstances(dicomwebUrl, [written.file], { studyInstanceUid: written.studyInstanceUid, retries: 0 });
    storeMs.push(performance.now() - started);

    started = performance.now();
    await confirmInstanceStored(dicomwebUrl, written.studyInstanceUid, written.sopInstanceUid, {
      attempts: 20,
      intervalMs: 50,
      retries: 0,
    });
    confirmMs.push(performance.now() - started);
  }

  const cpuModels = [...new Set(cpus().map((cpu) => cpu.model))].join(', ');
  const lines = [
    'SEG write and store benchmark',
    `  machine: ${cpus().length} x ${cpuModels}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, Orthanc ${options.orthancVersion}`,
    `  load average (1, 5, 15 min) before and after the runs: ${formatLoad(loadBefore)}, ${formatLoad(loadavg())}`,
    `  source: ${series.instances.length} CT slices ${series.rows}x${series.columns}, ${formatMiB(sourceBytes)}; generated in ${generateMs.toFixed(0)} ms, parsed in ${parseMs.toFixed(0)} ms, stored in ${uploadSourcesMs.toFixed(0)} ms`,
    `  SEG: BINARY, 1 segment, ${frames} frames, ${segBytes} bytes (${formatMiB(segBytes)}), ${lesionVoxels} lesion voxels`,
    `  ${runs} run(s), median / min / max:`,
    `    writeSegmentation   ${formatSummary(summarize(writeMs))}`,
    `    STOW-RS             ${formatSummary(summarize(storeMs))}`,
    `    QIDO-RS confirm     ${formatSummary(summarize(confirmMs))}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function formatLoad(load: number[]): string {
  return load.map((value) => value.toFixed(2)).join(' ');
}

function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function formatSummary(summary: Summary): string {
  return `${summary.median.toFixed(0)} / ${summary.min.toFixed(0)} / ${summary.max.toFixed(0)} ms`;
}
