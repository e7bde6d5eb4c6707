/**
 * The outbox runner (outbox-runner.ts) against an in-memory device store and stand-in Server
 * Actions: every call carries the tab's owner hint; a call answered for another account leaves
 * the report waiting for its own account (no submit, no loop); a draft save refused for any reason
 * but "filed already" stops the report there — refused, its text and photos kept, never submitted
 * without its photos (security review of issue 18).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceRecord, DeviceStore, RecordKind } from './device-store';
import type { OutboxRecord } from './outbox';

const device = vi.hoisted(() => {
  const records = new Map<string, { id: string; value: unknown; updatedAt: number }>();
  const files = new Map<string, ArrayBuffer>();
  return { records, files };
});
const actions = vi.hoisted(() => ({ autosaveReportDraft: vi.fn(), sendQueuedReport: vi.fn() }));

vi.mock('../reports/actions', () => actions);
vi.mock('./device-store', () => {
  const key = (kind: RecordKind, id: string) => `${kind}/${id}`;
  const store: DeviceStore = {
    accountId: 1,
    put: async (kind, id, value) => {
      device.records.set(key(kind, id), { id, value: structuredClone(value), updatedAt: Date.now() });
      return true;
    },
    get: async <T,>(kind: RecordKind, id: string) => (device.records.get(key(kind, id)) as DeviceRecord<T> | undefined) ?? null,
    list: async <T,>(kind: RecordKind) => [...device.records.entries()].filter(([k]) => k.startsWith(`${kind}/`)).map(([, r]) => r as DeviceRecord<T>),
    remove: async (kind, id) => {
      if (kind === 'photo-file') device.files.delete(id);
      else device.records.delete(key(kind, id));
    },
    putFile: async (id, bytes) => {
      device.files.set(id, bytes);
      return true;
    },
    getFile: async (id) => device.files.get(id) ?? null,
  };
  return { openDeviceStore: async () => store, DEVICE_DB_NAME: 'fr-device' };
});

const { sendOutbox } = await import('./outbox-runner');
const { queueReport, readQueued } = await import('./outbox');

const HINT = 'h'.repeat(43);
const values = { clientId: 'report-1', title: 'Trucks at dusk', vehicles: [], goods: [], agencies: [] } as unknown as OutboxRecord['values'];
const photo = { clientId: 'photo-1', name: 'bridge.jpg', caption: '', type: 'image/jpeg', state: 'waiting' as const, error: null };

beforeEach(async () => {
  device.records.clear();
  device.files.clear();
  actions.autosaveReportDraft.mockReset();
  actions.sendQueuedReport.mockReset();
  device.files.set(photo.clientId, new Uint8Array([1, 2, 3]).buffer);
  await queueReport(1, { values, formValues: values, photos: [photo] });
});

describe('the outbox runner', () => {
  it('a draft save refused for another reason than "filed already" stops the report: refused, not submitted, its text and photos kept', async () => {
    actions.autosaveReportDraft.mockResolvedValue({ ok: false, code: 'notFound', messageKey: 'report.outcome.notFound', fieldErrors: {}, formErrors: [] });
    expect(await sendOutbox(1, HINT)).toBe('done');
    expect(actions.sendQueuedReport).not.toHaveBeenCalled();
    const record = await readQueued(1, values.clientId);
    expect(record?.state).toBe('refused');
    expect(record?.refused).toEqual({ messageKey: 'report.outcome.notFound', reportId: null });
    // The photo went back to the queue (one owner: not the record's any more), with its bytes.
    expect(record?.photos).toEqual([]);
    expect(device.records.get('photo/photo-1')?.value).toMatchObject({ clientId: 'photo-1', formClientId: values.clientId, ownerHint: HINT });
    expect(device.files.has('photo-1')).toBe(true);
    // The text is kept as the form's copy.
    expect(device.records.get(`draft/${values.clientId}`)?.value).toEqual({ values });
  });

  it('"filed already" goes on to the submit, which tells what became of the report', async () => {
    actions.autosaveReportDraft.mockResolvedValue({ ok: false, code: 'notEditable', messageKey: 'report.outcome.notEditable', fieldErrors: {}, formErrors: [] });
    actions.sendQueuedReport.mockResolvedValue({ ok: true, reportId: 9, submittedAt: 5 });
    await sendOutbox(1, HINT);
    expect(actions.sendQueuedReport).toHaveBeenCalledTimes(1);
    expect((await readQueued(1, values.clientId))?.state).toBe('sent');
  });

  it("every call carries the tab's owner hint; answered for another account, the report waits for its own account, unsent and not retried by itself", async () => {
    actions.autosaveReportDraft.mockResolvedValue({ ok: false, code: 'otherAccount', messageKey: 'report.outcome.otherAccount', fieldErrors: {}, formErrors: [] });
    expect(await sendOutbox(1, HINT)).toBe('otherAccount');
    expect(actions.autosaveReportDraft).toHaveBeenCalledWith({ ...values, _keptOwner: HINT });
    expect(actions.sendQueuedReport).not.toHaveBeenCalled();
    const waiting = await readQueued(1, values.clientId);
    expect([waiting?.state, waiting?.waitingFor]).toEqual(['waiting', 'otherAccount']);
    expect(waiting?.photos?.map((p) => p.state)).toEqual(['waiting']);

    // Without photos, the submit itself answered for another account: the same.
    device.records.clear();
    await queueReport(1, { values, formValues: values });
    actions.sendQueuedReport.mockResolvedValue({ ok: false, code: 'otherAccount', messageKey: 'report.outcome.otherAccount', reportId: null, filed: null });
    expect(await sendOutbox(1, HINT)).toBe('otherAccount');
    expect(actions.sendQueuedReport).toHaveBeenCalledWith({ ...values, _keptOwner: HINT });
    const stillWaiting = await readQueued(1, values.clientId);
    expect([stillWaiting?.state, stillWaiting?.waitingFor]).toEqual(['waiting', 'otherAccount']);
    expect(actions.sendQueuedReport).toHaveBeenCalledTimes(1);

    // The account that wrote it is signed in again: the next run sends it.
    actions.sendQueuedReport.mockResolvedValue({ ok: true, reportId: 12, submittedAt: 7 });
    expect(await sendOutbox(1, HINT)).toBe('done');
    expect((await readQueued(1, values.clientId))?.state).toBe('sent');
  });
});
