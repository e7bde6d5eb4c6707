/**
 * Sends the outbox (outbox.ts): every waiting report, one after another, through the partner's
 * Server Action sendQueuedReport. Loaded by device-client.tsx on every partner page (outside the
 * first-load script) and run when the page loads, when the connection returns, when the window
 * regains focus (signed in again in another tab), when a page asks (a report was just queued),
 * and — while the browser says it is online but nothing got through — after a growing wait.
 *
 * One runner at a time across the partner's tabs: the run holds the Web Locks API lock
 * {@link OUTBOX_LOCK}, so two tabs never send the same report twice (where the API is missing the
 * server's idempotent submit still makes a second send of a report answer the first: one report).
 * Under the lock, a record left 'sending' (a tab closed mid-send) is sent again.
 *
 * Per answer: submitted → 'sent' with the report (the form's device copy is forgotten when it
 * holds the same text); no answer (offline, server unreachable) → back to 'waiting', the run stops
 * until the next trigger; signed out → 'waiting' for sign-in, stops; refused → 'refused' with the
 * message, and the text kept as a device copy of the form so the partner can open it there.
 */
import { autosaveReportDraft, sendQueuedReport } from '../reports/actions';
import { forgetLocalCopy, keepLocalCopy, readLocalCopies, stableJson } from '../reports/_components/local-copy';
import { openDeviceStore } from './device-store';
import { readOutbox, readQueued, SEND_OUTBOX_EVENT, updateQueued, updateQueuedPhoto, type OutboxRecord } from './outbox';

/** The photo side (photo-store.ts), loaded only when a queued report has photos. */
const photoStore = () => import('./photo-store');

/** The Web Locks API lock every tab's runner takes to send. */
export const OUTBOX_LOCK = 'fr-outbox-send';

/** Waits between runs while the server cannot be reached and the browser says it is online (ms). */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/** How a run ended: everything waiting was tried, or it stopped for want of a connection or a session. */
type RunEnd = 'done' | 'noConnection' | 'signedOut';

/**
 * Sends the photos of a queued report before the report itself (docs/decisions/0010: photos are
 * attached while the report is a draft): saves the report's values as its draft once (by client
 * id; its id is kept in the record), then sends each waiting photo once by its client photo id —
 * an answer lost and sent again is stored once. A photo stored or refused for good is marked so,
 * and its bytes leave the device. Returns how the run goes on: 'done' (go on to submit),
 * 'noConnection' or 'signedOut' (stop; everything not sent still waits).
 */
async function sendPhotos(accountId: number, record: OutboxRecord): Promise<RunEnd> {
  const waiting = (record.photos ?? []).filter((photo) => photo.state === 'waiting');
  if (waiting.length === 0) return 'done';
  let reportId = record.reportId ?? null;
  if (reportId === null) {
    let saved: Awaited<ReturnType<typeof autosaveReportDraft>>;
    try {
      saved = await autosaveReportDraft(record.values);
    } catch {
      return 'noConnection';
    }
    if (!saved.ok && saved.code === 'sessionExpired') return 'signedOut';
    // Not saved (the report was filed meanwhile): the submit below tells what became of it, and a
    // refusal gives the photos back to the form.
    if (!saved.ok) return 'done';
    reportId = saved.reportId;
    await updateQueued(accountId, record.clientId, { reportId });
  }
  const store = await openDeviceStore(accountId);
  if (!store) return 'noConnection';
  const { uploadKeptPhoto } = await photoStore();
  for (const photo of waiting) {
    const bytes = await store.getFile(photo.clientId);
    if (!bytes) {
      await updateQueuedPhoto(accountId, record.clientId, photo.clientId, { state: 'refused', error: 'failed' });
      continue;
    }
    const answer = await uploadKeptPhoto(reportId, photo, bytes);
    if (answer.kind === 'no_answer') return 'noConnection';
    if (answer.kind === 'refused' && answer.code === 'signed_out') return 'signedOut';
    // A server error: sent again with the next run (by its client photo id: stored once).
    if (answer.kind === 'refused' && (answer.code === 'failed' || answer.code === 'incomplete')) return 'noConnection';
    await updateQueuedPhoto(accountId, record.clientId, photo.clientId, answer.kind === 'stored' ? { state: 'sent', error: null } : { state: 'refused', error: answer.code });
    await store.remove('photo-file', photo.clientId);
  }
  return 'done';
}

/** Sends one record (its photos first, then the report); how the run goes on ('done': next record). */
async function sendOne(accountId: number, queued: OutboxRecord): Promise<RunEnd> {
  await updateQueued(accountId, queued.clientId, { state: 'sending' });
  const photosEnd = await sendPhotos(accountId, queued);
  if (photosEnd !== 'done') {
    await updateQueued(accountId, queued.clientId, { state: 'waiting', waitingFor: photosEnd === 'signedOut' ? 'signIn' : 'connection' });
    return photosEnd;
  }
  const record = (await readQueued(accountId, queued.clientId)) ?? queued;
  let answer: Awaited<ReturnType<typeof sendQueuedReport>>;
  try {
    answer = await sendQueuedReport(record.values);
  } catch {
    await updateQueued(accountId, record.clientId, { state: 'waiting', waitingFor: 'connection' });
    return 'noConnection';
  }
  if (answer.ok) {
    // The form's copy goes only when it holds what was sent (text typed after Submit stays).
    const copy = (await readLocalCopies(accountId)).find((c) => c.values.clientId === record.clientId);
    if (copy && stableJson(copy.values) === stableJson(record.formValues)) await forgetLocalCopy(accountId, record.clientId);
    await updateQueued(accountId, record.clientId, { state: 'sent', sent: { reportId: answer.reportId, at: answer.submittedAt } });
    return 'done';
  }
  if (answer.code === 'sessionExpired') {
    await updateQueued(accountId, record.clientId, { state: 'waiting', waitingFor: 'signIn' });
    return 'signedOut';
  }
  // Kept where the form finds it (opened from the list): nothing typed is lost, no photo either.
  const copy = (await readLocalCopies(accountId)).find((c) => c.values.clientId === record.clientId);
  if (!copy) await keepLocalCopy(accountId, record.formValues);
  const store = await openDeviceStore(accountId);
  const returned = new Set(store && (record.photos ?? []).length > 0 ? await (await photoStore()).returnPhotosToQueue(store, record) : []);
  if (returned.size > 0) {
    const latest = (await readQueued(accountId, record.clientId)) ?? record;
    await updateQueued(accountId, record.clientId, { photos: (latest.photos ?? []).filter((photo) => !returned.has(photo.clientId)) });
  }
  await updateQueued(accountId, record.clientId, { state: 'refused', refused: { messageKey: answer.messageKey, reportId: answer.reportId } });
  return 'done';
}

async function run(accountId: number): Promise<RunEnd> {
  // Each record once per run: one queued meanwhile is picked up by the same run.
  const tried = new Set<string>();
  for (;;) {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'noConnection';
    const next = (await readOutbox(accountId)).find((r) => (r.state === 'waiting' || r.state === 'sending') && !tried.has(r.clientId));
    if (!next) return 'done';
    tried.add(next.clientId);
    const end = await sendOne(accountId, next);
    if (end !== 'done') return end;
  }
}

/**
 * Sends what waits in this account's outbox, under the tabs' shared lock; resolves when this run
 * is done (after another tab's run, when one holds the lock) with how it ended. Never rejects.
 */
export async function sendOutbox(accountId: number): Promise<RunEnd> {
  try {
    if (typeof navigator !== 'undefined' && navigator.locks) return await navigator.locks.request(OUTBOX_LOCK, () => run(accountId));
    return await run(accountId);
  } catch {
    // The device store or the lock failed: the next trigger tries again.
    return 'done';
  }
}

/**
 * Starts the page's runner for `accountId`: one run now, and one on each trigger (see the
 * module's comment). Returns the function that stops listening.
 */
export function startOutbox(accountId: number): () => void {
  let isRunning = false;
  let again = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const trigger = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (isRunning) {
      again = true;
      return;
    }
    isRunning = true;
    void sendOutbox(accountId).then((end) => {
      isRunning = false;
      if (again) {
        again = false;
        trigger();
        return;
      }
      if (end !== 'noConnection') {
        attempt = 0;
        return;
      }
      // The browser may think it is online while nothing gets through (a network that lets
      // nothing out, an emulated drop): try again after a growing wait; offline, 'online' does.
      if (navigator.onLine === false) return;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
      attempt += 1;
      timer = setTimeout(trigger, delay);
    });
  };
  trigger();
  window.addEventListener('online', trigger);
  window.addEventListener('focus', trigger);
  window.addEventListener(SEND_OUTBOX_EVENT, trigger);
  return () => {
    if (timer) clearTimeout(timer);
    window.removeEventListener('online', trigger);
    window.removeEventListener('focus', trigger);
    window.removeEventListener(SEND_OUTBOX_EVENT, trigger);
  };
}
