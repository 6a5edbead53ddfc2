import { spawnSync } from 'node:child_process';

import { runCommand } from './runCommand.mjs';

/** Debian packages that npm start and npm test need. */
export const APT_PACKAGES = [
  'orthanc',
  'orthanc-dicomweb',
  'orthanc-gdcm',
  'dcmtk',
  'dicom3tools',
  'chromium',
  'chromium-driver',
  'python3-torch',
  'python3-onnx',
  'python3-pydicom',
  'python3-skimage',
  'python3-numpy',
  'iproute2',
  'util-linux',
];

/** Returns the packages of `packages` that dpkg does not report as installed. */
export function findMissingAptPackages(packages = APT_PACKAGES) {
  return packages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

/**
 * Installs the missing Debian packages with apt-get. Needs root: other users
 * get an error that contains the exact command to run.
 * @param {{ log: { info: Function }, packages?: string[] }} options
 */
export async function ensureAptPackages({ log, packages = APT_PACKAGES }) {
  const missing = findMissingAptPackages(packages);
  if (missing.length === 0) return;

  const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them as root with:\n  sudo apt-get update && sudo ${install}`);
  }
  log.info(`installing missing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand('apt-get', ['update'], { env });
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}
