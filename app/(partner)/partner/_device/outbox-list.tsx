'use client';

import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { onOutboxChange, readOutbox, removeQueued, type OutboxPhotoState, type OutboxRecord } from './outbox';

/** The list's texts (server-translated): heading, states, links, and the refusals' messages by key. */
export type OutboxListTexts = {
  heading: string;
  intro: string;
  untitled: string;
  states: Record<'waiting' | 'waitingSignIn' | 'waitingOwner' | 'sending' | 'sent' | 'refused', string>;
  open: string;
  openInForm: string;
  refusedGeneric: string;
  /** i18n key (report.outcome.*, report.errors.fixFields) → its text. */
  refusals: Record<string, string>;
  /** The list of a report's photos (its accessible name), and each photo's state. */
  photosLabel: string;
  photoStates: Record<OutboxPhotoState, string>;
  /** A refused photo's reason, by error code (lib/photos/outcomes.ts). */
  photoRefusals: Record<string, string>;
};

function stateText(record: OutboxRecord, texts: OutboxListTexts): string {
  if (record.state === 'waiting') {
    return record.waitingFor === 'signIn' ? texts.states.waitingSignIn : record.waitingFor === 'otherAccount' ? texts.states.waitingOwner : texts.states.waiting;
  }
  return texts.states[record.state];
}

/**
 * "Waiting to be sent" on the partner's list (scripts on; read from the device, so it shows with
 * no connection too, on the list the service worker keeps): each report in the outbox
 * (outbox.ts) with its title and state, as the runner changes it — in this tab or another. A sent
 * report is shown as sent with a link to it, then removed from the device (the server's list below
 * holds it now: the page's data is refreshed); a refused one with the reason and a link that opens
 * its text in the form. Under each report, its photos with their own state (waiting, sent, not sent
 * and why). Nothing is shown when the outbox is empty or the device keeps nothing.
 */
export function OutboxList({ accountId, texts }: { accountId: number; texts: OutboxListTexts }) {
  const router = useRouter();
  const [records, setRecords] = useState<OutboxRecord[]>([]);
  useEffect(() => {
    let isCurrent = true;
    // Sent reports stay listed on this page once seen, though removed from the device.
    const seenSent = new Map<string, OutboxRecord>();
    const refresh = () =>
      void readOutbox(accountId).then((kept) => {
        if (!isCurrent) return;
        let isNewlySent = false;
        for (const record of kept) {
          if (record.state !== 'sent') continue;
          isNewlySent = true;
          seenSent.set(record.clientId, record);
          void removeQueued(accountId, record.clientId);
        }
        const shown = [...kept.filter((record) => record.state !== 'sent'), ...seenSent.values()].sort((a, b) => a.queuedAt - b.queuedAt);
        setRecords(shown);
        if (isNewlySent) router.refresh();
      });
    refresh();
    const unsubscribe = onOutboxChange(refresh);
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [accountId, router]);

  if (records.length === 0) return null;
  return (
    <section aria-labelledby="outbox-heading" className="outbox">
      <h2 id="outbox-heading">{texts.heading}</h2>
      <p>{texts.intro}</p>
      <ul>
        {records.map((record) => (
          <li key={record.clientId}>
            <strong className="cell-text">{record.values.title.trim() || texts.untitled}</strong>
            {' — '}
            <span className="status">{stateText(record, texts)}</span>
            {record.state === 'refused' ? <> {texts.refusals[record.refused?.messageKey ?? ''] ?? texts.refusedGeneric}</> : null}
            {record.state === 'sent' && record.sent ? (
              <>
                {' '}
                <a href={`/partner/reports/${record.sent.reportId}`}>{texts.open}</a>
              </>
            ) : null}
            {record.state === 'refused' ? (
              <>
                {' '}
                <a href={`/partner/reports/new?copy=${encodeURIComponent(record.clientId)}`}>{texts.openInForm}</a>
              </>
            ) : null}
            {record.photos && record.photos.length > 0 ? (
              <ul aria-label={texts.photosLabel}>
                {record.photos.map((photo) => (
                  <li key={photo.clientId}>
                    <span className="cell-text">{photo.name}</span>
                    {' — '}
                    <span className="status">{texts.photoStates[photo.state]}</span>
                    {photo.state === 'refused' && photo.error ? <> {texts.photoRefusals[photo.error] ?? ''}</> : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
