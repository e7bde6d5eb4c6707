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
 * until the next trigger; signed out → 'waiting' for sign-in, stops; sent from a page of another
 * account than the one now signed in on this browser → 'waiting' for that account, stops (every
 * call carries this page's owner hint, and the server saves nothing under another account:
 * lib/auth/tab-owner.ts); refused → 'refused' with the message, and the text kept as a device
 * copy of the form so the partner can open it there. A report whose draft save is refused (but
 * not for "filed already") is refused without being submitted, its photos kept.
 */
import { withOwnerHint } from '@/lib/reports/owner-hint';
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

/**
 * How a run ended: everything waiting was tried, or it stopped for want of a connection, a session,
 * or because this browser is now signed in as another account than the one this page was
 * rendered for (lib/auth/tab-owner.ts: the server saved nothing under it).
 */
type RunEnd = 'done' | 'noConnection' | 'signedOut' | 'otherAccount';

/** What the photo step came to: a RunEnd, or the report's draft refused (its message; nothing submitted). */
type PhotosEnd = RunEnd | { refused: string };

/** The record's state while it waits after a run ended `end` (not 'done'). */
function waitingAfter(end: Exclude<RunEnd, 'done'>): Pick<OutboxRecord, 'state' | 'waitingFor'> {
  return { state: 'waiting', waitingFor: end === 'noConnection' ? 'connection' : end === 'signedOut' ? 'signIn' : 'otherAccount' };
}

/**
 * Sends the photos of a queued report before the report itself (docs/decisions/0010: photos are
 * attached while the report is a draft): saves the report's values as its draft once (by client
 * id; its id is kept in the record), then sends each waiting photo once by its client photo id —
 * an answer lost and sent again is stored once. A photo stored or refused for good is marked so,
 * and its bytes leave the device. Returns how the run goes on: 'done' (go on to submit),
 * 'noConnection', 'signedOut' or 'otherAccount' (stop; everything not sent still waits), or
 * `{ refused }` when the draft save was refused for any reason but "filed already" (stop: the
 * report is not submitted without its photos; the caller shows the refusal and keeps the work).
 */
async function sendPhotos(accountId: number, ownerHint: string, record: OutboxRecord): Promise<PhotosEnd> {
  const waiting = (record.photos ?? []).filter((photo) => photo.state === 'waiting');
  if (waiting.length === 0) return 'done';
  let reportId = record.reportId ?? null;
  if (reportId === null) {
    let saved: Awaited<ReturnType<typeof autosaveReportDraft>>;
    try {
      saved = await autosaveReportDraft(withOwnerHint(record.values, ownerHint));
    } catch {
      return 'noConnection';
    }
    if (!saved.ok && saved.code === 'sessionExpired') return 'signedOut';
    if (!saved.ok && saved.code === 'otherAccount') return 'otherAccount';
    // Filed meanwhile: the submit below tells what became of it, and a refusal gives the photos back.
    if (!saved.ok && saved.code === 'notEditable') return 'done';
    // Any other refusal (not this partner's, deleted): submitting now would leave the photos unsent.
    if (!saved.ok) return { refused: saved.messageKey };
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
    const answer = await uploadKeptPhoto(reportId, photo, bytes, ownerHint);
    if (answer.kind === 'no_answer') return 'noConnection';
    if (answer.kind === 'refused' && answer.code === 'signed_out') return 'signedOut';
    if (answer.kind === 'refused' && answer.code === 'other_account') return 'otherAccount';
    // A server error: sent again with the next run (by its client photo id: stored once).
    if (answer.kind === 'refused' && (answer.code === 'failed' || answer.code === 'incomplete')) return 'noConnection';
    await updateQueuedPhoto(accountId, record.clientId, photo.clientId, answer.kind === 'stored' ? { state: 'sent', error: null } : { state: 'refused', error: answer.code });
    await store.remove('photo-file', photo.clientId);
  }
  return 'done';
}

/**
 * Marks a record refused with the server's message: its text is kept as a form copy (opened from
 * the list) and its unsent photos go back to the photo queue under the form's client id, so
 * nothing typed or picked is lost.
 */
async function refuseQueued(accountId: number, ownerHint: string, record: OutboxRecord, refused: { messageKey: string; reportId: number | null }): Promise<void> {
  const copy = (await readLocalCopies(accountId)).find((c) => c.values.clientId === record.clientId);
  if (!copy) await keepLocalCopy(accountId, record.formValues);
  const store = await openDeviceStore(accountId);
  // Given to the queue first, then taken off the record: a step cut short never loses a photo, and
  // the queue never takes back one the outbox still holds (photo-store.ts restores none of those).
  const returned = new Set(store && (record.photos ?? []).length > 0 ? await (await photoStore()).returnPhotosToQueue(store, record, ownerHint) : []);
  if (returned.size > 0) {
    const latest = (await readQueued(accountId, record.clientId)) ?? record;
    await updateQueued(accountId, record.clientId, { photos: (latest.photos ?? []).filter((photo) => !returned.has(photo.clientId)) });
  }
  await updateQueued(accountId, record.clientId, { state: 'refused', refused });
}

/** Sends one record (its photos first, then the report); how the run goes on ('done': next record). */
async function sendOne(accountId: number, ownerHint: string, queued: OutboxRecord): Promise<RunEnd> {
  await updateQueued(accountId, queued.clientId, { state: 'sending' });
  const photosEnd = await sendPhotos(accountId, ownerHint, queued);
  if (typeof photosEnd === 'object') {
    await refuseQueued(accountId, ownerHint, (await readQueued(accountId, queued.clientId)) ?? queued, { messageKey: photosEnd.refused, reportId: null });
    return 'done';
  }
  if (photosEnd !== 'done') {
    await updateQueued(accountId, queued.clientId, waitingAfter(photosEnd));
    return photosEnd;
  }
  const record = (await readQueued(accountId, queued.clientId)) ?? queued;
  let answer: Awaited<ReturnType<typeof sendQueuedReport>>;
  try {
    answer = await sendQueuedReport(withOwnerHint(record.values, ownerHint));
  } catch {
    await updateQueued(accountId, record.clientId, waitingAfter('noConnection'));
    return 'noConnection';
  }
  if (answer.ok) {
    // The form's copy goes only when it holds what was sent (text typed after Submit stays).
    const copy = (await readLocalCopies(accountId)).find((c) => c.values.clientId === record.clientId);
    if (copy && stableJson(copy.values) === stableJson(record.formValues)) await forgetLocalCopy(accountId, record.clientId);
    await updateQueued(accountId, record.clientId, { state: 'sent', sent: { reportId: answer.reportId, at: answer.submittedAt } });
    return 'done';
  }
  if (answer.code === 'sessionExpired' || answer.code === 'otherAccount') {
    const end = answer.code === 'sessionExpired' ? 'signedOut' : 'otherAccount';
    await updateQueued(accountId, record.clientId, waitingAfter(end));
    return end;
  }
  // Kept where the form finds it (opened from the list): nothing typed is lost, no photo either.
  await refuseQueued(accountId, ownerHint, record, { messageKey: answer.messageKey, reportId: answer.reportId });
  return 'done';
}

async function run(accountId: number, ownerHint: string): Promise<RunEnd> {
  // Each record once per run: one queued meanwhile is picked up by the same run.
  const tried = new Set<string>();
  for (;;) {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'noConnection';
    const next = (await readOutbox(accountId)).find((r) => (r.state === 'waiting' || r.state === 'sending') && !tried.has(r.clientId));
    if (!next) return 'done';
    tried.add(next.clientId);
    const end = await sendOne(accountId, ownerHint, next);
    if (end !== 'done') return end;
  }
}

/**
 * Sends what waits in this account's outbox, under the tabs' shared lock; resolves when this run
 * is done (after another tab's run, when one holds the lock) with how it ended. Never rejects.
 */
export async function sendOutbox(accountId: number, ownerHint: string): Promise<RunEnd> {
  try {
    if (typeof navigator !== 'undefined' && navigator.locks) return await navigator.locks.request(OUTBOX_LOCK, () => run(accountId, ownerHint));
    return await run(accountId, ownerHint);
  } catch {
    // The device store or the lock failed: the next trigger tries again.
    return 'done';
  }
}

/**
 * Starts the page's runner for `accountId`, whose owner hint (lib/reports/kept-post-owner.ts) every
 * call carries: one run now, and one on each trigger (see the module's comment). A run that ends
 * signed out or for another account is not tried again by itself (no loop): only the next
 * trigger — focus, the connection back, a report queued — tries once more. Returns the function
 * that stops listening.
 */
export function startOutbox(accountId: number, ownerHint: string): () => void {
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
    void sendOutbox(accountId, ownerHint).then((end) => {
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
