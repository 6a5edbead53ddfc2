/**
 * The services that `npm test` (scripts/test.mjs) starts inside its private
 * network namespace, read from the environment variables it sets.
 */

export interface TestServices {
  /** Viewer server root, e.g. http://127.0.0.1:41234 (no trailing slash). */
  viewerUrl: string;
  /** Orthanc's REST API reached directly inside the namespace, for assertions. */
  orthancUrl: string;
  /** The viewer server's request counters (JSON). */
  statsUrl: string;
  /** Folder of the synthetic CT phantom that was uploaded to Orthanc. */
  phantomDir: string;
  /** StudyInstanceUID of the phantom study, or '' when the upload reported none. */
  phantomStudyUid: string;
  /** Public DICOM test data. */
  dataDir: string;
  /** Generated models, one folder per model (standin, tiny). */
  modelsDir: string;
  /** Chromium executable. */
  chromium: string;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `Environment variable ${name} is not set. End-to-end tests need the services that npm test starts; ` +
        'run them with `npm test -- tests/e2e` (as root) instead of calling jest directly.',
    );
  }
  return value;
}

/** Reads the service addresses from the environment; throws when run outside `npm test`. */
export function getTestServices(): TestServices {
  return {
    viewerUrl: requireEnv('MEDSAM_VIEWER_URL').replace(/\/+$/, ''),
    orthancUrl: requireEnv('MEDSAM_ORTHANC_URL').replace(/\/+$/, ''),
    statsUrl: requireEnv('MEDSAM_STATS_URL'),
    phantomDir: requireEnv('MEDSAM_PHANTOM_DIR'),
    phantomStudyUid: process.env.MEDSAM_PHANTOM_STUDY_UID ?? '',
    dataDir: requireEnv('MEDSAM_DATA_DIR'),
    modelsDir: process.env.MEDSAM_MODELS_DIR ?? '',
    chromium: process.env.MEDSAM_CHROMIUM || '/usr/bin/chromium',
  };
}

/** Request counters returned by the viewer server at `/__medsam/stats`. */
export interface ServerStats {
  startedAt: string;
  total: number;
  byPrefix: Record<string, number>;
  byStatus: Record<string, number>;
  byMethodAndPrefix: Record<string, number>;
  proxyErrors: number;
  recent: { method: string; path: string; status: number; durationMs: number }[];
}

/** Fetches the viewer server's request counters. */
export async function fetchServerStats(services: TestServices = getTestServices()): Promise<ServerStats> {
  const response = await fetch(services.statsUrl);
  if (!response.ok) throw new Error(`GET ${services.statsUrl} failed with HTTP ${response.status}`);
  return (await response.json()) as ServerStats;
}
