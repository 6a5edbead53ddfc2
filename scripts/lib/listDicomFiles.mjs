import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Returns true when the file has the DICOM Part 10 preamble: "DICM" at byte 128. */
async function hasDicomPreamble(file) {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 128);
    return bytesRead === 4 && buffer.toString('latin1') === 'DICM';
  } finally {
    await handle.close();
  }
}

/**
 * Lists DICOM Part 10 files under `root`, recursively and sorted.
 * NOTE: files without the 128-byte preamble and "DICM" prefix (raw data sets,
 * allowed by some old writers) are skipped and counted in `skipped`.
 * @param {string} root a folder or a single file
 * @returns {Promise<{ files: string[], skipped: string[] }>}
 */
export async function listDicomFiles(root) {
  const files = [];
  const skipped = [];

  async function visit(entry) {
    const info = await stat(entry);
    if (info.isDirectory()) {
      const names = (await readdir(entry)).sort();
      for (const name of names) await visit(path.join(entry, name));
    } else if (info.isFile()) {
      if (await hasDicomPreamble(entry)) files.push(entry);
      else skipped.push(entry);
    }
  }

  await visit(root);
  return { files, skipped };
}
