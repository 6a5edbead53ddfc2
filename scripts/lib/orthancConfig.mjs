import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Folders where Debian's orthanc, orthanc-dicomweb and orthanc-gdcm put their plugins. */
export const ORTHANC_PLUGIN_DIRS = ['/usr/share/orthanc/plugins', '/usr/lib/orthanc'];

const REQUIRED_PLUGINS = [
  { label: 'DICOMweb', pattern: /^libOrthancDicomWeb\.so/, apt: 'orthanc-dicomweb' },
  { label: 'GDCM', pattern: /^libOrthancGdcm\.so/, apt: 'orthanc-gdcm' },
];

/**
 * Finds the DICOMweb and GDCM plugin libraries. `MEDSAM_ORTHANC_PLUGIN_DIR`,
 * when set, is searched before the Debian folders.
 * @returns {string[]} absolute paths, DICOMweb first
 */
export function findOrthancPlugins() {
  const dirs = [process.env.MEDSAM_ORTHANC_PLUGIN_DIR, ...ORTHANC_PLUGIN_DIRS].filter(Boolean);
  return REQUIRED_PLUGINS.map(({ label, pattern, apt }) => {
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      const name = readdirSync(dir).sort().find((entry) => pattern.test(entry));
      if (name) return path.join(dir, name);
    }
    throw new Error(
      `Orthanc ${label} plugin not found in ${dirs.join(', ')}. ` +
        `Install it with: apt-get install -y ${apt} (or set MEDSAM_ORTHANC_PLUGIN_DIR).`,
    );
  });
}

/**
 * Writes the project's Orthanc configuration into `runDir` and returns its path.
 * Storage and index live under `runDir`, the DICOM (DIMSE) server is off and
 * HTTP is the only interface, without authentication, because Orthanc only
 * ever runs in a loopback-only network namespace.
 * @param {{ runDir: string, httpPort: number }} options
 * @returns {Promise<string>}
 */
export async function writeOrthancConfig({ runDir, httpPort }) {
  if (!Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535) {
    throw new RangeError(`Invalid Orthanc HTTP port ${httpPort}: expected an integer from 1 to 65535.`);
  }
  const storageDir = path.join(runDir, 'orthanc-storage');
  const indexDir = path.join(runDir, 'orthanc-index');
  await mkdir(storageDir, { recursive: true });
  await mkdir(indexDir, { recursive: true });

  const config = {
    Name: 'medsam-dev-pacs',
    StorageDirectory: storageDir,
    IndexDirectory: indexDir,
    StorageCompression: false,
    HttpServerEnabled: true,
    HttpPort: httpPort,
    HttpDescribeErrors: true,
    // Seconds. STOW-RS bodies of multi-frame SEG objects can take a while to arrive.
    HttpRequestTimeout: 300,
    KeepAlive: true,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    SslEnabled: false,
    SaveJobs: false,
    // Seconds without new instances before a series or study counts as stable.
    StableAge: 2,
    LimitFindResults: 0,
    LimitFindInstances: 0,
    Plugins: findOrthancPlugins(),
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: true,
      WadoRoot: '/wado',
      Ssl: false,
      StudiesMetadata: 'Full',
      SeriesMetadata: 'Full',
    },
    Gdcm: { Enable: true },
  };

  const configPath = path.join(runDir, 'orthanc.json');
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return configPath;
}
