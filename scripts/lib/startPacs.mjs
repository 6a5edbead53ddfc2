import { createLogger } from './log.mjs';
import { listDicomFiles } from './listDicomFiles.mjs';
import { uploadDicomFiles } from './uploadDicomFiles.mjs';

const log = createLogger('medsam.pacs');

/**
 * Starts Orthanc and the UNIX socket relay in front of it, then uploads the
 * DICOM files found under `uploadPaths`. Must run in a loopback-only network
 * namespace. Used by `npm start` (through `scripts/orthanc.mjs pacs`) and by
 * `npm test`, so both reach Orthanc the same way.
 * `requireAllUploads` (default true) turns any failed upload into an error.
 * @param {{ runDir: string, socketPath: string, httpPort?: number, uploadPaths?: string[], requireAllUploads?: boolean }} options
 */
export async function startPacs({ runDir, socketPath, httpPort, uploadPaths = [], requireAllUploads = true }) {
  // Imported here because orthanc.mjs re-exports this module.
  const { startOrthanc } = await import('../orthanc.mjs');
  const { startRelay } = await import('../relay.mjs');

  const orthanc = await startOrthanc({ runDir, httpPort });
  let relay;
  try {
    relay = await startRelay({ socketPath, targetPort: Number(new URL(orthanc.url).port) });
    const studyInstanceUids = new Set();
    for (const uploadPath of uploadPaths) {
      const { files, skipped } = await listDicomFiles(uploadPath);
      if (skipped.length > 0) {
        log.info(`skipped ${skipped.length} file(s) under ${uploadPath} without a DICOM preamble, e.g. ${skipped[0]}`);
      }
      if (files.length === 0) {
        throw new Error(`No DICOM files found under ${uploadPath}; pass a folder that contains .dcm files.`);
      }
      const result = await uploadDicomFiles(orthanc.url, files);
      log.info(
        `uploaded ${uploadPath}: ${result.stored} stored, ${result.alreadyStored} already stored, ` +
          `${result.failures.length} failed, ${result.studyInstanceUids.length} study(ies)`,
      );
      for (const failure of result.failures) log.error(`upload failed for ${failure.file}: ${failure.error}`);
      const allFailed = result.failures.length === files.length;
      if (result.failures.length > 0 && (requireAllUploads || allFailed)) {
        throw new Error(
          `${result.failures.length} of ${files.length} uploads under ${uploadPath} failed; ` +
            `see the errors above and ${orthanc.logFile}.`,
        );
      }
      for (const uid of result.studyInstanceUids) studyInstanceUids.add(uid);
    }

    const stop = async () => {
      await relay.close();
      await orthanc.stop();
    };
    return { orthanc, relay, socketPath, studyInstanceUids: [...studyInstanceUids].sort(), stop };
  } catch (error) {
    await relay?.close();
    await orthanc.stop();
    throw error;
  }
}
