import type { UnsavedSeg } from './UnsavedSegStore';

/**
 * Returns a file name for a kept SEG: the label (letters, digits, `-` and
 * `_` only), the save time in UTC and the last digits of the SOP Instance UID,
 * so that two saves of one label get different names.
 */
export function segFileName(seg: Pick<UnsavedSeg, 'label' | 'savedAt' | 'sopInstanceUid'>): string {
  const label = seg.label.trim().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'segment';
  const time = seg.savedAt.replace(/\.\d+/, '').replace(/[-:]/g, '').replace('T', '-').replace('Z', '');
  const uidTail = seg.sopInstanceUid.replace(/\D/g, '').slice(-6);
  return `MedSAM-SEG_${label}_${time}_${uidTail}.dcm`;
}

/** Starts a browser download of a kept SEG as `application/dicom`. */
export function downloadSegFile(seg: Pick<UnsavedSeg, 'file' | 'label' | 'savedAt' | 'sopInstanceUid'>): void {
  const url = URL.createObjectURL(new Blob([seg.file], { type: 'application/dicom' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = segFileName(seg);
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoking the URL at once can cancel the download in some browsers, so it is revoked a minute later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
