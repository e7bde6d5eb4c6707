/**
 * Queued photos kept on the device (photo-store.ts; issue 18 items 6 and 8): what the tab's queue
 * holds is written to the device store as it changes, and a new page's queue gets it back — the
 * same client photo ids, the same bytes — so a reload loses no photo and a photo stored once is
 * never sent again. The device store is an in-memory stand-in with the same interface (the real
 * one, encrypted in IndexedDB, is read back in e2e/partner-outbox-photos.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryPhotoQueue } from '@/lib/photos/photo-queue';
import type { DeviceRecord, DeviceStore, RecordKind } from './device-store';
import type { OutboxRecord } from './outbox';
import { fromKeptPhoto, keepQueueOnDevice, toKeptPhoto } from './photo-store';

/** A device store in memory; `refuseFiles` makes every photo's bytes refused (a full device). */
function memoryDeviceStore({ refuseFiles = false } = {}) {
  const records = new Map<string, DeviceRecord<unknown>>();
  const files = new Map<string, ArrayBuffer>();
  const key = (kind: RecordKind, id: string) => `${kind}/${id}`;
  const store: DeviceStore = {
    accountId: 1,
    put: async (kind, id, value) => {
      records.set(key(kind, id), { id, value: structuredClone(value), updatedAt: Date.now() });
      return true;
    },
    get: async <T,>(kind: RecordKind, id: string) => (records.get(key(kind, id)) as DeviceRecord<T> | undefined) ?? null,
    list: async <T,>(kind: RecordKind) => [...records.entries()].filter(([k]) => k.startsWith(`${kind}/`)).map(([, r]) => r as DeviceRecord<T>),
    remove: async (kind, id) => {
      if (kind === 'photo-file') files.delete(id);
      else records.delete(key(kind, id));
    },
    putFile: async (id, bytes) => {
      if (refuseFiles) return false;
      files.set(id, bytes.slice(0));
      return true;
    },
    getFile: async (id) => files.get(id)?.slice(0) ?? null,
  };
  return { store, records, files };
}

/** An outbox record (outbox.ts) of report form `clientId` holding the photo `photoClientId`. */
function outboxHolding(clientId: string, photoClientId: string): OutboxRecord {
  const values = { clientId } as OutboxRecord['values'];
  return {
    clientId,
    values,
    formValues: values,
    queuedAt: 1,
    state: 'waiting',
    waitingFor: 'connection',
    sent: null,
    refused: null,
    photos: [{ clientId: photoClientId, name: 'o.jpg', caption: '', type: 'image/jpeg', state: 'waiting', error: null }],
    reportId: null,
  };
}

let nextId = 0;
const newQueue = () => createMemoryPhotoQueue({ newId: () => `photo-${++nextId}`, now: () => 1000 + nextId });
const bytesOf = async (blob: Blob) => [...new Uint8Array(await blob.arrayBuffer())];

describe('the photo queue kept on the device', () => {
  it('puts every queued photo back after a reload: same client ids, names, report, bytes and type', async () => {
    const device = memoryDeviceStore();
    const before = newQueue();
    const keeper = keepQueueOnDevice(device.store, before);
    before.enqueue([
      { file: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }), name: 'bridge.jpg', caption: 'the bridge', reportId: null, formClientId: 'form-1' },
      { file: new Blob([new Uint8Array([9, 8])], { type: 'image/png' }), name: 'trucks.png', caption: '', reportId: 42, formClientId: null },
    ]);
    await keeper.flush();
    expect(device.files.size).toBe(2);

    const after = newQueue();
    const restored = keepQueueOnDevice(device.store, after);
    expect(await restored.restore()).toBe(2);
    const photos = after.list();
    expect(photos.map((p) => [p.clientId, p.name, p.caption, p.reportId, p.formClientId, p.state, p.file.type])).toEqual(
      before.list().map((p) => [p.clientId, p.name, p.caption, p.reportId, p.formClientId, 'waiting', p.file.type]),
    );
    expect(await bytesOf(photos[0]!.file)).toEqual([1, 2, 3]);
    expect(await bytesOf(photos[1]!.file)).toEqual([9, 8]);
    // Restoring again adds nothing, and restoring wrote nothing new.
    expect(await restored.restore()).toBe(0);
    await restored.flush();
    expect(device.records.size).toBe(2);
  });

  it('a photo being uploaded when the page went waits again; a stored one leaves the device and is not put back', async () => {
    const device = memoryDeviceStore();
    const queue = newQueue();
    const keeper = keepQueueOnDevice(device.store, queue);
    const [sending, done] = queue.enqueue([
      { file: new Blob(['a']), name: 'a.jpg', caption: '', reportId: 7 },
      { file: new Blob(['b']), name: 'b.jpg', caption: '', reportId: 7 },
    ]);
    queue.update(sending!.clientId, { state: 'uploading', percent: 40 });
    queue.markStored(done!.clientId, 501);
    await keeper.flush();
    expect([...device.files.keys()]).toEqual([sending!.clientId]);

    const after = newQueue();
    await keepQueueOnDevice(device.store, after).restore();
    expect(after.list().map((p) => [p.clientId, p.state, p.percent])).toEqual([[sending!.clientId, 'waiting', 0]]);
  });

  it('a photo released to the outbox (the record written first) loses its queue record but keeps its bytes', async () => {
    const device = memoryDeviceStore();
    const queue = newQueue();
    const keeper = keepQueueOnDevice(device.store, queue);
    const [photo] = queue.enqueue([{ file: new Blob(['x']), name: 'x.jpg', caption: '', reportId: null, formClientId: 'form-2' }]);
    await keeper.flush();
    expect(keeper.hasFile(photo!.clientId)).toBe(true);
    await device.store.put('outbox', 'form-2', outboxHolding('form-2', photo!.clientId));
    queue.remove(photo!.clientId);
    await keeper.flush();
    expect(await device.store.list('photo')).toEqual([]);
    expect(await device.store.getFile(photo!.clientId)).not.toBeNull();
  });

  it('a photo the partner removes from the queue leaves the device with its bytes at once (read back from the store)', async () => {
    const device = memoryDeviceStore();
    const queue = newQueue();
    const keeper = keepQueueOnDevice(device.store, queue);
    const [removed, kept] = queue.enqueue([
      { file: new Blob(['r']), name: 'r.jpg', caption: '', reportId: 5 },
      { file: new Blob(['k']), name: 'k.jpg', caption: '', reportId: 5 },
    ]);
    await keeper.flush();
    expect(device.files.size).toBe(2);
    queue.remove(removed!.clientId);
    await keeper.flush();
    expect(await device.store.getFile(removed!.clientId)).toBeNull();
    expect(await device.store.get('photo', removed!.clientId)).toBeNull();
    expect([...device.files.keys()]).toEqual([kept!.clientId]);
    expect(keeper.hasFile(removed!.clientId)).toBe(false);
  });

  it('a photo an outbox record holds is never put back into the queue after a reload, even when its queue record outlived the release', async () => {
    const device = memoryDeviceStore();
    const queue = newQueue();
    const keeper = keepQueueOnDevice(device.store, queue);
    const [released, stays] = queue.enqueue([
      { file: new Blob(['o']), name: 'o.jpg', caption: '', reportId: null, formClientId: 'form-3' },
      { file: new Blob(['q']), name: 'q.jpg', caption: '', reportId: null, formClientId: 'form-4' },
    ]);
    await keeper.flush();
    // Queued with its report; the page reloads before the queue lets go of it (its record stays).
    await device.store.put('outbox', 'form-3', outboxHolding('form-3', released!.clientId));
    expect((await device.store.list('photo')).map((r) => r.id).sort()).toEqual([released!.clientId, stays!.clientId].sort());

    const after = newQueue();
    expect(await keepQueueOnDevice(device.store, after, 'hint-of-this-account').restore()).toBe(1);
    expect(after.list().map((p) => [p.clientId, p.ownerHint])).toEqual([[stays!.clientId, 'hint-of-this-account']]);
    // Its bytes are the outbox's still.
    expect(await device.store.getFile(released!.clientId)).not.toBeNull();
  });

  it("a tab's queue holding two accounts' photos keeps each in its own account's store only", async () => {
    const deviceA = memoryDeviceStore();
    const deviceB = memoryDeviceStore();
    const queue = newQueue();
    const keeperA = keepQueueOnDevice(deviceA.store, queue, 'hint-a');
    const keeperB = keepQueueOnDevice(deviceB.store, queue, 'hint-b');
    const [ofA, ofB] = queue.enqueue([
      { file: new Blob(['a']), name: 'a.jpg', caption: '', reportId: 1, ownerHint: 'hint-a' },
      { file: new Blob(['b']), name: 'b.jpg', caption: '', reportId: 2, ownerHint: 'hint-b' },
    ]);
    await keeperA.flush();
    await keeperB.flush();
    expect([...deviceA.files.keys()]).toEqual([ofA!.clientId]);
    expect([...deviceB.files.keys()]).toEqual([ofB!.clientId]);
    expect((await deviceB.store.list('photo')).map((r) => r.id)).toEqual([ofB!.clientId]);
  });

  it('a photo whose bytes the device refused is known as not kept (a Submit then does not queue it)', async () => {
    const device = memoryDeviceStore({ refuseFiles: true });
    const queue = newQueue();
    const keeper = keepQueueOnDevice(device.store, queue);
    const [photo] = queue.enqueue([{ file: new Blob(['y']), name: 'y.jpg', caption: '', reportId: null }]);
    await keeper.flush();
    expect(keeper.hasFile(photo!.clientId)).toBe(false);
    // Its record without bytes is dropped at the next restore rather than shown forever.
    expect(await keepQueueOnDevice(device.store, newQueue()).restore()).toBe(0);
    expect(await device.store.list('photo')).toEqual([]);
  });

  it('the kept record leaves out the bytes and the progress; reading it back makes the same photo', async () => {
    const queue = newQueue();
    const [photo] = queue.enqueue([{ file: new Blob(['z'], { type: 'image/webp' }), name: 'z.webp', caption: 'c', reportId: 3 }]);
    const kept = toKeptPhoto({ ...photo!, percent: 55 });
    expect(kept).not.toHaveProperty('file');
    expect(kept).not.toHaveProperty('percent');
    expect(JSON.parse(JSON.stringify(kept))).toEqual(kept);
    const back = fromKeptPhoto(kept, new TextEncoder().encode('z').buffer as ArrayBuffer);
    expect({ ...back, file: null }).toEqual({ ...photo!, file: null });
    expect(back.file.type).toBe('image/webp');
  });
});
