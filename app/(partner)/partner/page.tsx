import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { DATE_TIME_UTC } from '@/lib/i18n/formats';
import { listMyReports } from '@/lib/reports/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('common.nav'))('myReports') };
}

/**
 * "My reports": the partner's home. Their own reports only, newest change first, each with its
 * status, last change and unread messages from editors.
 */
export default async function MyReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await requireArea('partner');
  const deleted = (await searchParams).deleted === '1';
  const [tNav, t, tReview, tMessages, format] = await Promise.all([
    getTranslations('common.nav'),
    getTranslations('report.list'),
    getTranslations('review'),
    getTranslations('messages'),
    getFormatter(),
  ]);
  const tDeleted = await getTranslations('report.deleteDraft');
  const reports = listMyReports({ actor: account });
  return (
    <>
      <h1>{tNav('myReports')}</h1>
      {deleted ? (
        <p className="notice ok" role="status">
          {tDeleted('deleted')}
        </p>
      ) : null}
      <p>
        <Link className="button" href="/partner/reports/new">
          {t('newReport')}
        </Link>
      </p>
      {reports.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('columns.title')}</th>
                <th scope="col">{t('columns.status')}</th>
                <th scope="col">{t('columns.lastChange')}</th>
                <th scope="col">{t('columns.messages')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((report) => (
                <tr key={report.id}>
                  <td className="cell-text">
                    <Link href={report.status === 'draft' ? `/partner/reports/${report.id}/edit` : `/partner/reports/${report.id}`}>
                      {report.title || t('untitled')}
                    </Link>
                  </td>
                  <td>
                    <span className="status">{tReview(`statuses.${report.status}`)}</span>
                  </td>
                  <td>
                    <time dateTime={new Date(report.lastChangeAt).toISOString()}>
                      {format.dateTime(new Date(report.lastChangeAt), DATE_TIME_UTC)}
                    </time>
                  </td>
                  <td>{report.unreadMessages > 0 ? <strong>{tMessages('unread', { count: report.unreadMessages })}</strong> : t('noMessages')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
