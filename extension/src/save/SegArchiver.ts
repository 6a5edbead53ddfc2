import { confirmInstanceStored, storeInstances } from '../../../src/dicomweb';
import { createLogger } from '../../../src/logging';
import { MedsamError } from '../../../src/MedsamError';
import { describeSaveFailure } from './describeSaveFailure';
import type { WrittenSeg } from './saveSegmentation';
import { UnsavedSegStore, type UnsavedSeg } from './UnsavedSegStore';

const log = createLogger('medsam.dicomweb');

/** One unsaved SEG as the panel lists it, without its bytes. */
export interface UnsavedSegSummary {
  sopInstanceUid: string;
  studyInstanceUid: string;
  label: string;
  savedAt: string;
  frames: number;
  byteLength: number;
  lastError: string | null;
  /** A STOW-RS or QIDO-RS request for this SEG is in flight. */
  storing: boolean;
  /** The SEG is in IndexedDB; when false it lives only in this page and a reload loses it. */
  kept: boolean;
}

/** Unsaved SEGs and the last IndexedDB failure, part of the panel state. */
export interface UnsavedSegsState {
  entries: UnsavedSegSummary[];
  /** Message of the last failed IndexedDB read or write, or null. */
  storageError: string | null;
}

/** Destination and request headers of a SEG store. */
export interface ArchiveTarget {
  /** STOW-RS root of the data source. */
  stowRoot: string;
  /** QIDO-RS root of the data source. */
  qidoRoot: string;
  /** Segment label, shown in the list of unsaved SEGs. */
  label: string;
  /** Request headers, e.g. the viewer's Authorization header. */
  headers: Record<string, string>;
}

/** The subset of `UnsavedSegStore` that the archiver uses. */
export type SegKeeper = Pick<UnsavedSegStore, 'put' | 'delete' | 'list'>;

/** Options of `SegArchiver`. */
export interface SegArchiverOptions {
  /** Time limit of one STOW-RS attempt, ms. */
  stowTimeoutMs: number;
  /** Called with the new state after every change. */
  onChange: (state: UnsavedSegsState) => void;
  /** Opens the IndexedDB store; default `UnsavedSegStore.open()`. Unit tests pass an in-memory store. */
  openStore?: () => Promise<SegKeeper>;
  /** The fetch implementation for STOW-RS and QIDO-RS; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Wait before the first DICOMweb retry, ms; default that of `fetchWithRetry`. */
  retryDelayMs?: number;
  /** QIDO-RS queries before a stored SEG counts as missing; default that of `confirmInstanceStored`. */
  confirmAttempts?: number;
}

interface Entry {
  seg: UnsavedSeg;
  storing: boolean;
  kept: boolean;
}

/**
 * Stores SEGs with STOW-RS and confirms them with QIDO-RS, keeping each one
 * in IndexedDB from before the first STOW-RS attempt until the archive lists
 * it. A SEG whose store failed stays listed, with its error, for Retry or
 * download. Retry sends the same Part 10 bytes, so the archive receives the same
 * SOP Instance UID again and not a new SEG.
 */
export class SegArchiver {
  private readonly entries = new Map<string, Entry>();
  private storageError: string | null = null;
  private store: Promise<SegKeeper> | null = null;

  constructor(private readonly options: SegArchiverOptions) {}

  getState(): UnsavedSegsState {
    const entries = [...this.entries.values()]
      .map(({ seg, storing, kept }) => ({
        sopInstanceUid: seg.sopInstanceUid,
        studyInstanceUid: seg.studyInstanceUid,
        label: seg.label,
        savedAt: seg.savedAt,
        frames: seg.frames,
        byteLength: seg.file.byteLength,
        lastError: seg.lastError,
        storing,
        kept,
      }))
      .sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    return { entries, storageError: this.storageError };
  }

  /** Lists the SEGs that IndexedDB kept, also those of earlier page loads. */
  async load(): Promise<void> {
    try {
      const { segs, unreadable } = await (await this.openStore()).list();
      for (const seg of segs) {
        if (!this.entries.has(seg.sopInstanceUid)) {
          this.entries.set(seg.sopInstanceUid, { seg, storing: false, kept: true });
        }
      }
      if (unreadable > 0) {
        this.setStorageError(`IndexedDB contains ${unreadable} record(s) that are not unsaved SEGs of this version; they were left in place.`);
      }
      log.info(`IndexedDB lists ${segs.length} unsaved SEG(s).`);
    } catch (error) {
      this.setStorageError(messageOf(error));
    }
    this.emit();
  }

  /**
   * Keeps a written SEG in IndexedDB, then stores and confirms it. A failed
   * IndexedDB write is reported in `storageError` and the SEG is still
   * stored, and listed in memory for download when storing fails too.
   * Throws the store or confirmation error, with its message in the list.
   */
  async archive(written: WrittenSeg, target: ArchiveTarget): Promise<void> {
    const seg: UnsavedSeg = {
      sopInstanceUid: written.sopInstanceUid,
      studyInstanceUid: written.studyInstanceUid,
      seriesInstanceUid: written.seriesInstanceUid,
      label: target.label,
      frames: written.frames,
      savedAt: new Date().toISOString(),
      stowRoot: target.stowRoot,
      qidoRoot: target.qidoRoot,
      lastError: null,
      file: written.file,
    };
    const entry: Entry = { seg, storing: true, kept: false };
    this.entries.set(seg.sopInstanceUid, entry);
    this.emit();

    try {
      await (await this.openStore()).put(seg);
      entry.kept = true;
      this.storageError = null;
    } catch (error) {
      this.setStorageError(messageOf(error));
    }
    await this.storeAndConfirm(entry, target.headers);
  }

  /** Stores a listed SEG again; throws when it is not listed or a store of it is in flight. */
  async retry(sopInstanceUid: string, headers: Record<string, string>): Promise<void> {
    const entry = this.entries.get(sopInstanceUid);
    if (!entry) {
      throw new MedsamError('storage/failed', `SEG ${sopInstanceUid} is not in the list of unsaved SEGs; reload the page to read the list again.`);
    }
    if (entry.storing) {
      throw new MedsamError('storage/failed', `SEG ${sopInstanceUid} is being stored already; wait for that attempt to end.`);
    }
    log.info(`Retrying SEG ${sopInstanceUid}.`);
    await this.storeAndConfirm(entry, headers);
  }

  /** Returns a listed SEG with its bytes, or undefined. */
  getSeg(sopInstanceUid: string): UnsavedSeg | undefined {
    return this.entries.get(sopInstanceUid)?.seg;
  }

  private async storeAndConfirm(entry: Entry, headers: Record<string, string>): Promise<void> {
    const { seg } = entry;
    const { fetch, retryDelayMs, stowTimeoutMs, confirmAttempts } = this.options;
    entry.storing = true;
    this.emit();

    try {
      log.info(`Storing SEG ${seg.sopInstanceUid} (${seg.frames} frames, ${seg.file.byteLength} bytes).`);
      await storeInstances(seg.stowRoot, [seg.file], { headers, timeoutMs: stowTimeoutMs, fetch, retryDelayMs });
      await confirmInstanceStored(seg.qidoRoot, seg.studyInstanceUid, seg.sopInstanceUid, {
        headers,
        fetch,
        retryDelayMs,
        attempts: confirmAttempts,
      });
    } catch (error) {
      throw await this.recordFailure(entry, error);
    }

    this.entries.delete(seg.sopInstanceUid);
    if (entry.kept) {
      try {
        await (await this.openStore()).delete(seg.sopInstanceUid);
      } catch (error) {
        this.setStorageError(
          `SEG ${seg.sopInstanceUid} is in the archive, but removing its copy from IndexedDB failed: ${messageOf(error)} It is listed again after a reload, and Retry then confirms it.`
        );
      }
    }
    this.emit();
  }

  /** Records a failed store in the entry and in IndexedDB; returns the error to throw. */
  private async recordFailure(entry: Entry, error: unknown): Promise<MedsamError> {
    const { seg } = entry;
    const where = entry.kept
      ? 'The SEG is kept in this browser: Retry or download it from the unsaved results.'
      : 'The browser could not keep the SEG: download it from the unsaved results before leaving the page.';
    seg.lastError = `${describeSaveFailure(error, seg.file.byteLength)} ${where}`;
    entry.storing = false;
    if (entry.kept) {
      try {
        await (await this.openStore()).put(seg);
      } catch (storeError) {
        this.setStorageError(messageOf(storeError));
      }
    }
    this.emit();

    const code = error instanceof MedsamError ? error.code : 'dicomweb/network';
    const httpStatus = error instanceof MedsamError ? error.httpStatus : undefined;
    return new MedsamError(code, seg.lastError, { cause: error, httpStatus });
  }

  private openStore(): Promise<SegKeeper> {
    if (!this.store) {
      const open = this.options.openStore ?? (() => UnsavedSegStore.open());
      this.store = open().catch(error => {
        // The next save tries to open IndexedDB again.
        this.store = null;
        throw error;
      });
    }
    return this.store;
  }

  private setStorageError(message: string): void {
    this.storageError = message;
    log.error(message);
  }

  private emit(): void {
    this.options.onChange(this.getState());
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
