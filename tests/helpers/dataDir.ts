import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Returns the folder of the shared DICOM test data: `$MEDSAM_DATA_DIR` when
 * set, else `../shared/data` beside the repository. Throws when the folder
 * does not exist, naming the variable to set.
 */
export function dataDir(): string {
  const fromEnvironment = process.env.MEDSAM_DATA_DIR;
  const directory = fromEnvironment ? resolve(fromEnvironment) : resolve(__dirname, '../../../shared/data');
  if (!existsSync(directory)) {
    const origin = fromEnvironment ? 'from MEDSAM_DATA_DIR' : 'the default, since MEDSAM_DATA_DIR is not set';
    throw new Error(
      `Test data folder ${directory} (${origin}) does not exist; set MEDSAM_DATA_DIR to the folder that holds ct-liver-3slice-dcmqi/ and the other test cases.`,
    );
  }
  return directory;
}

/** Returns the path of a file in the test data folder, and throws when it is missing. */
export function dataPath(...parts: string[]): string {
  const path = join(dataDir(), ...parts);
  if (!existsSync(path)) {
    throw new Error(`Test data file ${path} is missing; check that MEDSAM_DATA_DIR points at a complete copy of the data.`);
  }
  return path;
}
