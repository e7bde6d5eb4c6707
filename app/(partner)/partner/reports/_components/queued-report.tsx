'use client';

import { useEffect, useRef, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { useMessageText } from '@/app/_components/report-form/form-kit';
import { onOutboxChange, readQueued, removeQueued, type OutboxRecord } from '../../_device/outbox';

/** What {@link useQueuedReport} gives the form. */
export type QueuedReport = {
  /** The form's report as the outbox last showed it (kept after the record is removed), or null. */
  record: OutboxRecord | null;
  /** Follows the outbox record of this client id (null: the form's report is not queued). */
  watch: (clientId: string | null) => void;
};

/**
 * The report form's view of its report in the outbox (_device/outbox.ts), scripts on: after a
 * Submit without a connection queued it, the form follows the record as the runner (in this tab
 * or another) sends it. `onSettled` gets the record once it is sent or refused; a refused record is
 * then removed from the device (the form shows why, and holds the text), a sent one stays until the
 * partner's list has shown it. `onGone` is called when the record went before this form saw it
 * settle (the list in another tab showed it sent and removed it).
 */
export function useQueuedReport({
  accountId,
  onSettled,
  onGone,
}: {
  accountId: number;
  onSettled: (record: OutboxRecord) => void;
  /** The record went before this form saw it settle (the list in another tab showed it, a wipe). */
  onGone: () => void;
}): QueuedReport {
  const [clientId, setClientId] = useState<string | null>(null);
  const [record, setRecord] = useState<OutboxRecord | null>(null);
  const settled = useRef(onSettled);
  const gone = useRef(onGone);
  useEffect(() => {
    settled.current = onSettled;
    gone.current = onGone;
  });

  useEffect(() => {
    if (clientId === null) return;
    let isCurrent = true;
    let isSettled = false;
    let wasSeen = false;
    const refresh = () =>
      void readQueued(accountId, clientId).then((kept) => {
        if (!isCurrent || isSettled) return;
        if (!kept) {
          if (wasSeen) {
            isSettled = true;
            setRecord(null);
            gone.current();
          }
          return;
        }
        wasSeen = true;
        setRecord(kept);
        if (kept.state === 'sent' || kept.state === 'refused') {
          isSettled = true;
          settled.current(kept);
          // A refused report's text is the form's now; a sent one stays until the list shows it.
          if (kept.state === 'refused') void removeQueued(accountId, clientId);
        }
      });
    refresh();
    const unsubscribe = onOutboxChange(refresh);
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [accountId, clientId]);

  return {
    record,
    watch: (next) => {
      setRecord(null);
      setClientId(next);
    },
  };
}

/** What the form says about its queued report: waiting, sending, sent (with a link) or refused (with the reason). */
export function QueuedReportNotice({ record }: { record: OutboxRecord }) {
  const t = useTranslations('report.form');
  const locale = useLocale();
  const messageText = useMessageText();
  switch (record.state) {
    case 'waiting':
      // Online, a report queued with its photos (uploads still pending) is on its way, not waiting
      // for a connection: say so instead of promising a send "when the connection returns".
      if (record.waitingFor === 'connection' && typeof navigator !== 'undefined' && navigator.onLine) {
        return (
          <p role="status" className="notice warn" id="report-queued">
            {t('outbox.sending')}
          </p>
        );
      }
      return (
        <p role="status" className="notice warn" id="report-queued">
          {t(record.waitingFor === 'signIn' ? 'outbox.waitingSignIn' : record.waitingFor === 'otherAccount' ? 'outbox.waitingOwner' : 'outbox.queued')} {t('outbox.list')}
        </p>
      );
    case 'sending':
      return (
        <p role="status" className="notice warn" id="report-queued">
          {t('outbox.sending')}
        </p>
      );
    case 'sent':
      return (
        <p role="status" className="notice ok" id="report-queued">
          {t('lost.submitted', { time: new Date(record.sent?.at ?? record.queuedAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) })}{' '}
          {record.sent ? <a href={`/partner/reports/${record.sent.reportId}`}>{t('lost.open')}</a> : null}
        </p>
      );
    case 'refused':
      return (
        <p role="alert" className="notice warn" id="report-queued">
          {t('outbox.refused')} {record.refused ? messageText(record.refused.messageKey) : null}
        </p>
      );
  }
}
