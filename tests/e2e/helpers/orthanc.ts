/** Assertions against the Orthanc REST API, reached directly inside the test namespace. */
import { readFile } from 'node:fs/promises';

/** Uploads DICOM files; returns the StudyInstanceUID Orthanc reports for them. */
export async function uploadFiles(orthancUrl: string, files: string[]): Promise<void> {
  for (const file of files) {
    const response = await fetch(`${orthancUrl}/instances`, { method: 'POST', body: await readFile(file) });
    if (!response.ok) {
      throw new Error(`Uploading ${file} to Orthanc failed with HTTP ${response.status}: ${await response.text()}`);
    }
  }
}

/** Downloads the instance with the given SOP Instance UID, or throws when Orthanc does not hold it. */
export async function downloadInstance(orthancUrl: string, sopInstanceUid: string): Promise<ArrayBuffer> {
  const find = await fetch(`${orthancUrl}/tools/find`, {
    method: 'POST',
    body: JSON.stringify({ Level: 'Instance', Query: { SOPInstanceUID: sopInstanceUid } }),
  });
  const ids = (await find.json()) as string[];
  if (ids.length !== 1) {
    throw new Error(`Orthanc holds ${ids.length} instances with SOP Instance UID ${sopInstanceUid}, expected 1.`);
  }
  const file = await fetch(`${orthancUrl}/instances/${ids[0]}/file`);
  return file.arrayBuffer();
}

/** Returns how many instances with the given SOP Instance UID Orthanc holds. */
export async function countInstances(orthancUrl: string, sopInstanceUid: string): Promise<number> {
  const find = await fetch(`${orthancUrl}/tools/find`, {
    method: 'POST',
    body: JSON.stringify({ Level: 'Instance', Query: { SOPInstanceUID: sopInstanceUid } }),
  });
  if (!find.ok) {
    throw new Error(`Orthanc's /tools/find failed with HTTP ${find.status}: ${await find.text()}`);
  }
  return ((await find.json()) as string[]).length;
}
