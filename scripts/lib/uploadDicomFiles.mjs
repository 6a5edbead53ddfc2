import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';

/** POSTs one file to Orthanc's REST API and resolves with Orthanc's JSON reply. */
async function postInstance(orthancUrl, file) {
  const { size } = await stat(file);
  const url = new URL('/instances', orthancUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/dicom', 'Content-Length': size } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            reject(new Error(`HTTP ${response.statusCode}: ${body.slice(0, 300)}`));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new Error(`invalid JSON from Orthanc: ${body.slice(0, 300)}`));
          }
        });
        response.on('error', reject);
      },
    );
    request.setTimeout(120_000, () => request.destroy(new Error('timed out after 120 s')));
    request.on('error', reject);
    createReadStream(file).on('error', reject).pipe(request);
  });
}

/**
 * Uploads DICOM files to Orthanc (POST /instances, one request per file,
 * `concurrency` at a time). A failed file does not stop the others: it is
 * listed in `failures` with the reason.
 * @param {string} orthancUrl e.g. http://127.0.0.1:8042
 * @param {string[]} files
 * @param {{ concurrency?: number }} [options]
 * @returns {Promise<{ stored: number, alreadyStored: number, failures: { file: string, error: string }[], studyInstanceUids: string[] }>}
 */
export async function uploadDicomFiles(orthancUrl, files, { concurrency = 4 } = {}) {
  const result = { stored: 0, alreadyStored: 0, failures: [], studyInstanceUids: [] };
  const orthancStudyIds = new Set();
  let next = 0;

  async function worker() {
    while (next < files.length) {
      const file = files[next++];
      try {
        const reply = await postInstance(orthancUrl, file);
        if (reply.Status === 'AlreadyStored') result.alreadyStored++;
        else result.stored++;
        if (reply.ParentStudy) orthancStudyIds.add(reply.ParentStudy);
      } catch (error) {
        result.failures.push({ file, error: error.message });
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));

  for (const id of orthancStudyIds) {
    const response = await fetch(new URL(`/studies/${id}`, orthancUrl));
    if (!response.ok) continue;
    const study = await response.json();
    const uid = study?.MainDicomTags?.StudyInstanceUID;
    if (typeof uid === 'string') result.studyInstanceUids.push(uid);
  }
  result.studyInstanceUids.sort();
  return result;
}
