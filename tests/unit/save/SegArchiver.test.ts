import { SegArchiver, type SegKeeper, type UnsavedSegsState } from '../../../extension/src/save/SegArchiver';
import type { WrittenSeg } from '../../../extension/src/save/saveSegmentation';
import type { UnsavedSeg } from '../../../extension/src/save/UnsavedSegStore';
import { parseMultipartRelated } from '../../../src/dicomweb';
import { MedsamError } from '../../../src/MedsamError';
import { setLogLevel } from '../../../src/logging';

setLogLevel('error');
jest.spyOn(console, 'error').mockImplementation(() => undefined);

const STOW_ROOT = 'http://127.0.0.1:8042/dicom-web';
const SOP_UID = '2.25.42';

const written: WrittenSeg = {
  file: new Uint8Array([1, 2, 3, 4]).buffer,
  studyInstanceUid: '1.2.3',
  seriesInstanceUid: '2.25.41',
  sopInstanceUid: SOP_UID,
  frames: 1,
};
const target = { stowRoot: STOW_ROOT, qidoRoot: STOW_ROOT, label: 'Lesion', headers: {} };

/** An IndexedDB stand-in: a Map with the store's interface, and a switch that makes writes fail. */
class MemoryKeeper implements SegKeeper {
  readonly records = new Map<string, UnsavedSeg>();
  failWrites = false;

  async put(seg: UnsavedSeg): Promise<void> {
    if (this.failWrites) {
      throw new MedsamError('storage/failed', 'QuotaExceededError: quota reached');
    }
    this.records.set(seg.sopInstanceUid, structuredClone(seg));
  }

  async delete(sopInstanceUid: string): Promise<void> {
    this.records.delete(sopInstanceUid);
  }

  async list(): Promise<{ segs: UnsavedSeg[]; unreadable: number }> {
    return { segs: [...this.records.values()].map(seg => structuredClone(seg)), unreadable: 0 };
  }
}

const stored = (): Response =>
  new Response(JSON.stringify({ '00081199': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: [SOP_UID] } }] } }), {
    status: 200,
  });
const listed = (): Response => new Response(JSON.stringify([{ '00080018': { vr: 'UI', Value: [SOP_UID] } }]), { status: 200 });

/**
 * Creates a fetch stub: POST (STOW-RS) takes the next of `stowAnswers`, GET (QIDO-RS)
 * lists the instance. It records whether the keeper held the SEG at each STOW.
 */
function archiveServer(keeper: MemoryKeeper, stowAnswers: (() => Response)[]) {
  const keptAtStow: boolean[] = [];
  const stowBodies: Uint8Array[] = [];
  const fetchStub = jest.fn(async (_url: string, init: RequestInit) => {
    if (init.method === 'POST') {
      keptAtStow.push(keeper.records.has(SOP_UID));
      const contentType = (init.headers as Record<string, string>)['Content-Type']!;
      stowBodies.push(parseMultipartRelated(init.body as Uint8Array, contentType)[0]!.body);
      const answer = stowAnswers.shift();
      if (!answer) {
        throw new TypeError('fetch failed');
      }
      return answer();
    }
    return listed();
  });
  return { fetch: fetchStub as unknown as typeof fetch, keptAtStow, stowBodies };
}

function createArchiver(keeper: MemoryKeeper, server: { fetch: typeof fetch }) {
  const states: UnsavedSegsState[] = [];
  const archiver = new SegArchiver({
    stowTimeoutMs: 1000,
    onChange: state => states.push(state),
    openStore: async () => keeper,
    fetch: server.fetch,
    retryDelayMs: 1,
    confirmAttempts: 1,
  });
  return { archiver, states };
}

describe('SegArchiver', () => {
  test('keeps the SEG before the first STOW', async () => {
    const keeper = new MemoryKeeper();
    const server = archiveServer(keeper, [stored]);
    await createArchiver(keeper, server).archiver.archive(written, target);
    expect(server.keptAtStow).toEqual([true]);
  });

  test('confirmed SEG leaves IndexedDB', async () => {
    const keeper = new MemoryKeeper();
    await createArchiver(keeper, archiveServer(keeper, [stored])).archiver.archive(written, target);
    expect(keeper.records.size).toBe(0);
  });

  test('confirmed SEG leaves the list', async () => {
    const keeper = new MemoryKeeper();
    const { archiver } = createArchiver(keeper, archiveServer(keeper, [stored]));
    await archiver.archive(written, target);
    expect(archiver.getState().entries).toEqual([]);
  });

  test('unconfirmed SEG stays in IndexedDB', async () => {
    const keeper = new MemoryKeeper();
    const server = archiveServer(keeper, [stored]);
    server.fetch = jest.fn(async (_url: string, init: RequestInit) =>
      init.method === 'POST' ? stored() : new Response('[]', { status: 200 }),
    ) as unknown as typeof fetch;
    await expect(createArchiver(keeper, server).archiver.archive(written, target)).rejects.toMatchObject({ code: 'dicomweb/not-confirmed' });
    expect(keeper.records.has(SOP_UID)).toBe(true);
  });

  test('413 is kept with the proxy advice', async () => {
    const keeper = new MemoryKeeper();
    const tooLarge = () => new Response('<html>413 Request Entity Too Large</html>', { status: 413 });
    await expect(createArchiver(keeper, archiveServer(keeper, [tooLarge])).archiver.archive(written, target)).rejects.toMatchObject({
      httpStatus: 413,
    });
    expect(keeper.records.get(SOP_UID)?.lastError).toContain('client_max_body_size');
  });

  test('500 is retried, then kept', async () => {
    const keeper = new MemoryKeeper();
    const failed = () => new Response('', { status: 500 });
    const server = archiveServer(keeper, [failed, failed, failed, failed]);
    await expect(createArchiver(keeper, server).archiver.archive(written, target)).rejects.toThrow('HTTP 500');
    expect(server.keptAtStow).toHaveLength(4);
    expect(keeper.records.get(SOP_UID)?.lastError).toContain('kept in this browser');
  });

  test('retry sends the same bytes again', async () => {
    const keeper = new MemoryKeeper();
    const failed = () => new Response('', { status: 403 });
    const server = archiveServer(keeper, [failed, stored]);
    const { archiver } = createArchiver(keeper, server);
    await expect(archiver.archive(written, target)).rejects.toThrow('HTTP 403');
    await archiver.retry(SOP_UID, {});
    expect(Array.from(server.stowBodies[1]!)).toEqual([1, 2, 3, 4]);
    expect(server.stowBodies).toHaveLength(2);
    expect(keeper.records.size).toBe(0);
  });

  test('load lists SEGs of an earlier page', async () => {
    const keeper = new MemoryKeeper();
    const server = archiveServer(keeper, [() => new Response('', { status: 403 })]);
    await expect(createArchiver(keeper, server).archiver.archive(written, target)).rejects.toThrow('HTTP 403');

    const { archiver } = createArchiver(keeper, archiveServer(keeper, []));
    await archiver.load();
    expect(archiver.getState().entries.map(entry => [entry.sopInstanceUid, entry.kept, entry.storing])).toEqual([
      [SOP_UID, true, false],
    ]);
  });

  test('failed IndexedDB write still stores the SEG', async () => {
    const keeper = new MemoryKeeper();
    keeper.failWrites = true;
    const server = archiveServer(keeper, [stored]);
    const { archiver } = createArchiver(keeper, server);
    await archiver.archive(written, target);
    expect(server.keptAtStow).toEqual([false]);
    expect(archiver.getState().storageError).toContain('QuotaExceededError');
  });

  test('failed IndexedDB write keeps the SEG in memory', async () => {
    const keeper = new MemoryKeeper();
    keeper.failWrites = true;
    const { archiver } = createArchiver(keeper, archiveServer(keeper, [() => new Response('', { status: 403 })]));
    await expect(archiver.archive(written, target)).rejects.toThrow('download it');
    expect(archiver.getSeg(SOP_UID)?.file.byteLength).toBe(4);
    expect(archiver.getState().entries[0]?.kept).toBe(false);
  });

  test('list shows the SEG while it is stored', async () => {
    const keeper = new MemoryKeeper();
    const { archiver, states } = createArchiver(keeper, archiveServer(keeper, [stored]));
    await archiver.archive(written, target);
    expect(states[0]?.entries.map(entry => entry.storing)).toEqual([true]);
  });

  test('retry of an unknown SEG is rejected', async () => {
    const keeper = new MemoryKeeper();
    const { archiver } = createArchiver(keeper, archiveServer(keeper, []));
    await expect(archiver.retry('2.25.999', {})).rejects.toMatchObject({ code: 'storage/failed' });
  });
});
