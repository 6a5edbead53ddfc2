import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Returns the folder of public DICOM test data: `MEDSAM_DATA_DIR` when set,
 * otherwise `<repo>/../shared/data`. Throws with instructions when it is missing.
 * @param {string} repoRoot
 */
export function resolveDataDir(repoRoot) {
  const fromEnv = process.env.MEDSAM_DATA_DIR;
  const dataDir = path.resolve(fromEnv || path.join(repoRoot, '..', 'shared', 'data'));
  if (!existsSync(path.join(dataDir, 'MANIFEST.tsv'))) {
    throw new Error(
      `Test data folder ${dataDir} not found (it should contain MANIFEST.tsv). ` +
        (fromEnv
          ? 'Fix MEDSAM_DATA_DIR so that it points at the public DICOM test data.'
          : 'Put the public DICOM test data at ../shared/data beside the repository, or set MEDSAM_DATA_DIR to its folder.'),
    );
  }
  return dataDir;
}
