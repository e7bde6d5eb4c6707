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
import type { ReportFormValues } from '@/lib/reports/form-values';
/** The device store, loaded on first use (kept out of the form page's first-load script). */
const openDeviceStore = async (accountId: number) => (await import('./device-store')).openDeviceStore(accountId);

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
  /** Waiting: for the connection, or for the partner to sign in again. */
  waitingFor: 'connection' | 'signIn';
  /** Sent: the report and when it was submitted (UTC ms). */
  sent: { reportId: number; at: number } | null;
  /** Refused: the server's message (an i18n key) and the report it concerns, if known. */
  refused: { messageKey: string; reportId: number | null } | null;
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
 * Queues a report for sending: `values` as Submit sends them and `formValues` as typed. Replaces
 * a record of the same client id (a report submitted again while still queued).
 * @returns false when the device cannot keep it (no store, or the store refused the write).
 */
export async function queueReport(accountId: number, { values, formValues }: { values: ReportFormValues; formValues: ReportFormValues }): Promise<boolean> {
  const store = await openDeviceStore(accountId);
  if (!store) return false;
  const record: OutboxRecord = { clientId: values.clientId, values, formValues, queuedAt: Date.now(), state: 'waiting', waitingFor: 'connection', sent: null, refused: null };
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

/** Removes one queued report from the device. */
export async function removeQueued(accountId: number, clientId: string): Promise<void> {
  const store = await openDeviceStore(accountId);
  if (!store) return;
  await store.remove('outbox', clientId);
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
