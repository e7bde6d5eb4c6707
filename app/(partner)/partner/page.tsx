import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { DataTable } from '@/app/_components/data-table';
import { requireArea } from '@/lib/auth/session';
import { DATE_TIME_UTC } from '@/lib/i18n/formats';
import { PHOTO_ERROR_CODES, PHOTO_ERROR_MESSAGE_KEYS, PHOTO_ERROR_VALUES } from '@/lib/photos/outcomes';
import { REPORT_OUTCOME_NAMES, reportOutcome } from '@/lib/reports/outcomes';
import { listMyReports } from '@/lib/reports/queries';
import { OutboxList, type OutboxListTexts } from './_device/outbox-list';
import { WipeControl } from './_device/wipe-control';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('common.nav'))('myReports') };
}

/**
 * "My reports": the partner's home. Their own reports only, newest change first, each with its
 * status, unread messages from editors (before the last change: on a 360 px phone both stay in
 * view) and last change. Above them, with scripts, the reports
 * waiting on this phone to be sent (the outbox: _device/outbox-list.tsx).
 */
export default async function MyReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await requireArea('partner');
  const query = await searchParams;
  const deleted = query.deleted === '1';
  // A post kept from before signing in again that could not be saved (lib/auth/kept-post-cookie.ts).
  const keptRefused = query.kept === 'refused';
  const [tNav, t, tReview, tMessages, format] = await Promise.all([
    getTranslations('common.nav'),
    getTranslations('report.list'),
    getTranslations('review'),
    getTranslations('messages'),
    getFormatter(),
  ]);
  const tDeleted = await getTranslations('report.deleteDraft');
  const tDevice = await getTranslations('device.wipe');
  const reports = listMyReports({ actor: account });
  const tReport = await getTranslations('report');
  const tRoot = await getTranslations();
  const outboxTexts: OutboxListTexts = {
    heading: t('outbox.heading'),
    intro: t('outbox.intro'),
    untitled: t('untitled'),
    states: {
      waiting: t('outbox.states.waiting'),
      waitingSignIn: t('outbox.states.waitingSignIn'),
      waitingOwner: t('outbox.states.waitingOwner'),
      sending: t('outbox.states.sending'),
      sent: t('outbox.states.sent'),
      refused: t('outbox.states.refused'),
    },
    open: t('outbox.open'),
    openInForm: t('outbox.openInForm'),
    refusedGeneric: t('outbox.refusedGeneric'),
    refusals: {
      ...Object.fromEntries(REPORT_OUTCOME_NAMES.map((name) => [reportOutcome(name), tReport(`outcome.${name}`)])),
      'report.errors.fixFields': t('outbox.refusedInvalid'),
    },
    photosLabel: t('outbox.photos.label'),
    photoStates: { waiting: t('outbox.photos.waiting'), sent: t('outbox.photos.sent'), refused: t('outbox.photos.refused') },
    photoRefusals: Object.fromEntries(PHOTO_ERROR_CODES.map((code) => [code, tRoot(PHOTO_ERROR_MESSAGE_KEYS[code], PHOTO_ERROR_VALUES)])),
  };
  return (
    <>
      <h1>{tNav('myReports')}</h1>
      {deleted ? (
        <p className="notice ok" role="status">
          {tDeleted('deleted')}
        </p>
      ) : null}
      {keptRefused ? (
        <p className="notice warn" role="status">
          {t('keptRefused')}
        </p>
      ) : null}
      <OutboxList accountId={account.id} texts={outboxTexts} />
      <p>
        <Link className="button" href="/partner/reports/new">
          {t('newReport')}
        </Link>
      </p>
      <DataTable
        caption={t('caption')}
        empty={t('empty')}
        rows={reports}
        rowKey={(report) => report.id}
        columns={[
          {
            header: t('columns.title'),
            className: 'cell-text',
            cell: (report) => (
              <Link href={report.status === 'draft' ? `/partner/reports/${report.id}/edit` : `/partner/reports/${report.id}`}>{report.title || t('untitled')}</Link>
            ),
          },
          {
            header: t('columns.status'),
            cell: (report) => (
              <>
                <span className="status">{tReview(`statuses.${report.status}`)}</span>
                {report.rejectionReason ? <p className="rejection-reason">{t('rejectedReason', { reason: report.rejectionReason })}</p> : null}
              </>
            ),
          },
          {
            header: t('columns.messages'),
            cell: (report) => (report.unreadMessages > 0 ? <strong>{tMessages('unread', { count: report.unreadMessages })}</strong> : t('noMessages')),
          },
          {
            header: t('columns.lastChange'),
            cell: (report) => <time dateTime={new Date(report.lastChangeAt).toISOString()}>{format.dateTime(new Date(report.lastChangeAt), DATE_TIME_UTC)}</time>,
          },
        ]}
      />
      <WipeControl accountId={account.id} texts={{ heading: tDevice('heading'), explain: tDevice('explain'), button: tDevice('button'), confirm: tDevice('confirm'), done: tDevice('done') }} />
    </>
  );
}
