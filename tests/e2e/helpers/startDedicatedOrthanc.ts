/**
 * Starts an Orthanc of a test's own (scripts/orthanc.mjs, through
 * orthancProcess.mjs) that the test may stop and start again, unlike the
 * shared Orthanc of `npm test`. It listens on `httpPort` inside the test's
 * network namespace and keeps its storage in `runDir` across restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const CHILD_SCRIPT = path.join(__dirname, 'orthancProcess.mjs');
const REPORT_PREFIX = 'MEDSAM_ORTHANC ';
// Starting includes Orthanc's start-up and the upload of the files.
const COMMAND_TIMEOUT_MS = 120_000;

export interface DedicatedOrthancOptions {
  /** Folder of the configuration, storage, index and log. */
  runDir: string;
  httpPort: number;
  /** DICOM files or folders to upload after the first start. */
  uploadPaths?: string[];
}

export interface DedicatedOrthanc {
  /** REST root, e.g. http://127.0.0.1:8043. DICOMweb is below /dicom-web. */
  url: string;
  /** PID of the Orthanc process now running, or of the last one when stopped. */
  pid(): number;
  /** Stops Orthanc by its PID: SIGTERM, then SIGKILL after 15 s. Resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts Orthanc again on the same storage and port and waits until its REST API responds. */
  start(): Promise<void>;
  /** Stops Orthanc and the child process. */
  close(): Promise<void>;
}

interface Report {
  state?: 'running' | 'stopped';
  pid?: number;
  url?: string;
  error?: string;
}

/** Starts Orthanc, uploads the files and resolves once Orthanc responds. */
export async function startDedicatedOrthanc(options: DedicatedOrthancOptions): Promise<DedicatedOrthanc> {
  const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const reports = readReports(child);

  const first = await nextReport(reports, child, 'start');
  let pid = first.pid!;
  const command = async (name: 'start' | 'stop', expected: 'running' | 'stopped') => {
    child.stdin!.write(`${JSON.stringify({ command: name })}\n`);
    const report = await nextReport(reports, child, name);
    if (report.state !== expected) {
      throw new Error(`Orthanc's child process reported ${JSON.stringify(report)} after "${name}", expected state "${expected}".`);
    }
    pid = report.pid!;
  };

  return {
    url: first.url!,
    pid: () => pid,
    stop: () => command('stop', 'stopped'),
    start: () => command('start', 'running'),
    close: () => closeChild(child),
  };
}

/** Queues the child's reports and forwards its other output lines (Orthanc's log messages) to stderr. */
function readReports(child: ChildProcess): Report[] {
  const reports: Report[] = [];
  createInterface({ input: child.stdout! }).on('line', line => {
    if (line.startsWith(REPORT_PREFIX)) {
      reports.push(JSON.parse(line.slice(REPORT_PREFIX.length)) as Report);
      child.emit('medsam-report');
    } else {
      process.stderr.write(`${line}\n`);
    }
  });
  return reports;
}

/** Waits for the next report. Throws on an error report, a timeout or an early exit of the child. */
function nextReport(reports: Report[], child: ChildProcess, what: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      const report = reports.shift();
      if (!report) {
        return;
      }
      cleanUp();
      if (report.error) {
        reject(new Error(`Orthanc "${what}" failed: ${report.error}`));
      } else {
        resolve(report);
      }
    };
    const onExit = (code: number | null) => {
      cleanUp();
      reject(new Error(`Orthanc's child process (pid ${child.pid}) exited with code ${code} during "${what}". See its output above.`));
    };
    const timer = setTimeout(() => {
      cleanUp();
      reject(new Error(`Orthanc's child process (pid ${child.pid}) did not report within ${COMMAND_TIMEOUT_MS} ms after "${what}".`));
    }, COMMAND_TIMEOUT_MS);
    const cleanUp = () => {
      clearTimeout(timer);
      child.off('medsam-report', settle);
      child.off('exit', onExit);
    };
    child.on('medsam-report', settle);
    child.once('exit', onExit);
    settle();
  });
}

function closeChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    child.once('exit', () => resolve());
    // The child stops Orthanc when its stdin ends.
    child.stdin!.end();
  });
}
