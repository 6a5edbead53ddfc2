import { MedsamError } from '../../../src/MedsamError';

/** A SEG that the archive has not confirmed yet, with what a retry needs. */
export interface UnsavedSeg {
  /** SOP Instance UID of the SEG, the record's key. A retry sends the same instance again. */
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** Segment label written into the SEG. */
  label: string;
  frames: number;
  /** When the SEG was written, as an ISO 8601 string. */
  savedAt: string;
  /** STOW-RS root of the data source at save time (its wadoRoot). */
  stowRoot: string;
  /** QIDO-RS root of the data source at save time. */
  qidoRoot: string;
  /** Message of the last failed store or confirmation, or null before the first attempt ends. */
  lastError: string | null;
  /** The SEG as a DICOM Part 10 file. */
  file: ArrayBuffer;
}

/** Options of `UnsavedSegStore.open`. */
export interface OpenUnsavedSegStoreOptions {
  /** IndexedDB factory; default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
  /** Database name; default `medsam-unsaved-segs`. */
  databaseName?: string;
}

const STORE_NAME = 'unsaved-segs';
const DATABASE_VERSION = 1;

/**
 * SEG files kept in the browser's IndexedDB until the archive confirms them,
 * so that they survive a reload or a crash of the page. Writes use strict
 * durability, so a record is on disk when `put` resolves. Every failure is a
 * MedsamError `storage/failed`.
 */
export class UnsavedSegStore {
  private constructor(private readonly database: IDBDatabase) {}

  /** Opens (and on first use creates) the database. */
  static open(options: OpenUnsavedSegStoreOptions = {}): Promise<UnsavedSegStore> {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    const name = options.databaseName ?? 'medsam-unsaved-segs';
    if (!factory) {
      return Promise.reject(createStorageError('This browser offers no IndexedDB', 'Open the viewer in a browser window that is not private'));
    }

    return new Promise((resolve, reject) => {
      let request: IDBOpenDBRequest;
      try {
        request = factory.open(name, DATABASE_VERSION);
      } catch (error) {
        reject(createStorageError(`Opening IndexedDB database "${name}" failed: ${describe(error)}`));
        return;
      }
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE_NAME, { keyPath: 'sopInstanceUid' });
      };
      request.onsuccess = () => resolve(new UnsavedSegStore(request.result));
      request.onerror = () => reject(createStorageError(`Opening IndexedDB database "${name}" failed: ${describe(request.error)}`));
      request.onblocked = () =>
        reject(createStorageError(`Opening IndexedDB database "${name}" is blocked by an older version`, 'Close the other viewer tabs and reload'));
    });
  }

  /** Adds or replaces the record of `seg.sopInstanceUid`. */
  put(seg: UnsavedSeg): Promise<void> {
    return this.write(`Keeping SEG ${seg.sopInstanceUid} in IndexedDB`, store => store.put(seg));
  }

  /** Removes the record of a SEG; removing a missing one is no error. */
  delete(sopInstanceUid: string): Promise<void> {
    return this.write(`Removing SEG ${sopInstanceUid} from IndexedDB`, store => store.delete(sopInstanceUid));
  }

  /** Returns every record that has the fields of an `UnsavedSeg`, oldest first, and the count of the others. */
  list(): Promise<{ segs: UnsavedSeg[]; unreadable: number }> {
    const what = 'Reading the unsaved SEGs from IndexedDB';
    return new Promise((resolve, reject) => {
      const request = this.transaction(what, 'readonly', reject)?.objectStore(STORE_NAME).getAll();
      if (!request) {
        return;
      }
      request.onsuccess = () => {
        const records = request.result as unknown[];
        const segs = records.filter(isUnsavedSeg).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
        resolve({ segs, unreadable: records.length - segs.length });
      };
      request.onerror = () => reject(createStorageError(`${what} failed: ${describe(request.error)}`));
    });
  }

  close(): void {
    this.database.close();
  }

  private write(what: string, operation: (store: IDBObjectStore) => IDBRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      const transaction = this.transaction(what, 'readwrite', reject);
      if (!transaction) {
        return;
      }
      // The data is committed only when the transaction completes, not when the request succeeds.
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(createStorageError(`${what} failed: ${describe(transaction.error)}`));
      transaction.onabort = () =>
        reject(createStorageError(`${what} was aborted: ${describe(transaction.error)}`, 'Free disk space for this site or download the SEG'));
      try {
        operation(transaction.objectStore(STORE_NAME));
      } catch (error) {
        reject(createStorageError(`${what} failed: ${describe(error)}`));
      }
    });
  }

  private transaction(what: string, mode: IDBTransactionMode, reject: (error: MedsamError) => void): IDBTransaction | null {
    try {
      return this.database.transaction(STORE_NAME, mode, { durability: 'strict' });
    } catch (error) {
      reject(createStorageError(`${what} failed: ${describe(error)}`));
      return null;
    }
  }
}

function isUnsavedSeg(value: unknown): value is UnsavedSeg {
  const record = value as Partial<UnsavedSeg> | null;
  const textFields = [record?.sopInstanceUid, record?.studyInstanceUid, record?.seriesInstanceUid, record?.label, record?.savedAt];
  return (
    textFields.every(field => typeof field === 'string') &&
    typeof record?.stowRoot === 'string' &&
    typeof record.qidoRoot === 'string' &&
    typeof record.frames === 'number' &&
    record.file instanceof ArrayBuffer
  );
}

function createStorageError(failure: string, next = 'Download the SEG with "Download .dcm" before leaving the page'): MedsamError {
  return new MedsamError('storage/failed', `${failure}, so the browser cannot keep the unsaved SEG. ${next}.`);
}

function describe(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) {
    return `${error.name}: ${error.message}`;
  }
  return String(error ?? 'unknown error');
}
