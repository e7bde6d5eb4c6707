/**
 * The outbox: reports the partner submitted while the connection was gone, kept on the device
 * until they are sent (issue 18 item 7; docs/security/device-copies.md "The outbox"). One record
 * of kind 'outbox' per report in the encrypted device store (device-store.ts), keyed by the
 * report's client id, so a report queued twice is one record and, sent twice, one report (the
 * server's submit is idempotent by client id: lib/reports/submit.ts).
 *
 * A record goes waiting → sending → sent (then removed once a page has shown it), or → refused
 * (kept, with the server's message, until the partner opens it in the form). outbox-runner.ts
 * sends; the report form queues; the partner's list shows them. Every change is announced to this
 * page and to the partner's other tabs (BroadcastChannel), so each shows the state as it is.
 * Without a device store (no IndexedDB or WebCrypto) nothing can be queued: {@link queueReport}
 * answers false and the form submits as before. No call here ever rejects.
 */
import type { PhotoErrorCode } from '@/lib/photos/outcomes';
import type { ReportFormValues } from '@/lib/reports/form-values';
// Part of the form page's first-load script, not loaded on first use: a connection lost right after
// the page arrived must not leave the partner with a form that can keep nothing (docs/decisions/
// 0010-partner-device-copies.md "The store's code arrives with the page").
import { openDeviceStore } from './device-store';

/** Where a photo of a queued report stands: waiting to be sent, stored with the report, or refused. */
export type OutboxPhotoState = 'waiting' | 'sent' | 'refused';

/**
 * A photo picked for a report that was then queued: sent after the report's draft is saved and
 * before it is submitted (docs/decisions/0010-partner-device-copies.md "Photos in the outbox"),
 * once, by its client photo id. Its bytes are the device store's `photo-file` record of that id.
 */
export type OutboxPhoto = {
  /** The client photo id (lib/photos/client-id.ts), made when it was picked. */
  clientId: string;
  name: string;
  caption: string;
  /** The file's media type as picked (the bytes are kept without it). */
  type: string;
  state: OutboxPhotoState;
  /** Refused: why (lib/photos/outcomes.ts; `failed` when its bytes were no longer on the device). */
  error: PhotoErrorCode | null;
};

/** Where a queued report stands. */
export type OutboxState = 'waiting' | 'sending' | 'sent' | 'refused';

/** One queued report, as the device store keeps it (encrypted). */
export type OutboxRecord = {
  clientId: string;
  /** The values as Submit sends them (rows never filled in left out, the time zone explicit). */
  values: ReportFormValues;
  /** The form's values when Submit was pressed (to tell later changes on the device from these). */
  formValues: ReportFormValues;
  /** UTC ms when Submit was pressed. */
  queuedAt: number;
  state: OutboxState;
  /**
   * Waiting: for the connection, for the partner to sign in again, or for the account that wrote
   * it to be the one signed in on this browser again (another partner signed in meanwhile: the
   * server saved nothing under them, lib/auth/tab-owner.ts).
   */
  waitingFor: 'connection' | 'signIn' | 'otherAccount';
  /** Sent: the report and when it was submitted (UTC ms). */
  sent: { reportId: number; at: number } | null;
  /** Refused: the server's message (an i18n key) and the report it concerns, if known. */
  refused: { messageKey: string; reportId: number | null } | null;
  /** The photos picked for it (absent in records queued before photos travelled with reports). */
  photos?: OutboxPhoto[];
  /** The report's id once its draft is on the server (the photos are sent to it), else null. */
  reportId?: number | null;
};

const CHANNEL = 'fr-outbox';
const local = typeof EventTarget === 'undefined' ? null : new EventTarget();
let channel: BroadcastChannel | null | undefined;

function broadcast(): BroadcastChannel | null {
  if (channel === undefined) {
    try {
      channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
      channel?.addEventListener('message', () => local?.dispatchEvent(new Event('change')));
    } catch {
      channel = null;
    }
  }
  return channel;
}

function announce(): void {
  local?.dispatchEvent(new Event('change'));
  try {
    broadcast()?.postMessage('change');
  } catch {
    // Another tab learns it on its next read.
  }
}

/** Calls `listener` after every change of the outbox, in this page or another tab; returns the unsubscribe. */
export function onOutboxChange(listener: () => void): () => void {
  broadcast();
  local?.addEventListener('change', listener);
  return () => local?.removeEventListener('change', listener);
}

/**
 * Queues a report for sending: `values` as Submit sends them and `formValues` as typed, with the
 * `photos` picked for it (their bytes already kept as `photo-file` records: photo-store.ts) and
 * the report's id when its draft is on the server already. Replaces a record of the same client
 * id (a report submitted again while still queued), keeping the photos it held.
 * @returns false when the device cannot keep it (no store, or the store refused the write).
 */
export async function queueReport(
  accountId: number,
  { values, formValues, photos = [], reportId = null }: { values: ReportFormValues; formValues: ReportFormValues; photos?: OutboxPhoto[]; reportId?: number | null },
): Promise<boolean> {
  const store = await openDeviceStore(accountId);
  if (!store) return false;
  const earlier = (await store.get<OutboxRecord>('outbox', values.clientId))?.value;
  const known = new Set(photos.map((photo) => photo.clientId));
  const keptPhotos = [...(earlier?.photos ?? []).filter((photo) => !known.has(photo.clientId)), ...photos];
  const record: OutboxRecord = {
    clientId: values.clientId,
    values,
    formValues,
    queuedAt: Date.now(),
    state: 'waiting',
    waitingFor: 'connection',
    sent: null,
    refused: null,
    photos: keptPhotos,
    reportId: reportId ?? earlier?.reportId ?? null,
  };
  const isKept = await store.put('outbox', values.clientId, record);
  if (isKept) announce();
  return isKept;
}

/** Every queued report of this account, oldest first ([] without a store). */
export async function readOutbox(accountId: number): Promise<OutboxRecord[]> {
  const store = await openDeviceStore(accountId);
  if (!store) return [];
  const records = await store.list<OutboxRecord>('outbox');
  return records.map((record) => record.value).sort((a, b) => a.queuedAt - b.queuedAt);
}

/** One queued report, or null. */
export async function readQueued(accountId: number, clientId: string): Promise<OutboxRecord | null> {
  const store = await openDeviceStore(accountId);
  return (await store?.get<OutboxRecord>('outbox', clientId))?.value ?? null;
}

/** Changes one queued report (nothing when it is gone meanwhile). */
export async function updateQueued(accountId: number, clientId: string, change: Partial<Omit<OutboxRecord, 'clientId'>>): Promise<void> {
  const store = await openDeviceStore(accountId);
  const kept = await store?.get<OutboxRecord>('outbox', clientId);
  if (!store || !kept) return;
  await store.put('outbox', clientId, { ...kept.value, ...change });
  announce();
}

/** Changes one photo of a queued report (nothing when the report or the photo is gone meanwhile). */
export async function updateQueuedPhoto(accountId: number, clientId: string, photoClientId: string, change: Partial<Pick<OutboxPhoto, 'state' | 'error'>>): Promise<void> {
  const store = await openDeviceStore(accountId);
  const kept = await store?.get<OutboxRecord>('outbox', clientId);
  if (!store || !kept) return;
  const photos = (kept.value.photos ?? []).map((photo) => (photo.clientId === photoClientId ? { ...photo, ...change } : photo));
  await store.put('outbox', clientId, { ...kept.value, photos });
  announce();
}

/** Removes one queued report from the device, with the bytes of its photos. */
export async function removeQueued(accountId: number, clientId: string): Promise<void> {
  const store = await openDeviceStore(accountId);
  if (!store) return;
  const kept = await store.get<OutboxRecord>('outbox', clientId);
  await store.remove('outbox', clientId);
  for (const photo of kept?.value.photos ?? []) await store.remove('photo-file', photo.clientId);
  announce();
}

/** Removes a refused report from the outbox (the partner opened it in the form); others stay. */
export async function forgetRefused(accountId: number, clientId: string): Promise<void> {
  if ((await readQueued(accountId, clientId))?.state === 'refused') await removeQueued(accountId, clientId);
}

/** The event a page sends to ask the outbox runner (outbox-runner.ts) to send now. */
export const SEND_OUTBOX_EVENT = 'fr-send-outbox';

/** Asks this page's outbox runner to send what waits (a report was just queued, or sign-in is back). */
export function requestOutboxSend(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(SEND_OUTBOX_EVENT));
}
