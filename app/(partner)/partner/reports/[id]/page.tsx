import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getFormatter, getLocale, getMessages, getTranslations } from 'next-intl/server';
import { DataTable } from '@/app/_components/data-table';
import { requireArea } from '@/lib/auth/session';
import { countPhotos } from '@/lib/photos/photos';
import { toLocale } from '@/lib/i18n/config';
import { DATE_TIME, DATE_TIME_UTC } from '@/lib/i18n/formats';
import { listMessages, markThreadRead } from '@/lib/messages/thread';
import { getMyReport, type ShownTime } from '@/lib/reports/queries';
import { utcOffsetLabel } from '@/lib/reports/time';
import { ForgetLocalCopy } from '../_components/forget-local-copy';
import { ReplyForm } from '../_components/reply-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('report.page');
  return { title: t('details') };
}

const TIME_ZONE_KEYS = { 'Asia/Pyongyang': 'pyongyang', 'Asia/Shanghai': 'shanghai', UTC: 'utc' } as const;
const KNOWN_EVENTS = new Set(['submit', 'claim', 'release', 'request_changes', 'verify', 'publish', 'retract', 'reject', 'reopen', 'photo_added', 'photo_removed', 'photo_caption_changed']);
/** Events whose name already says the status they lead to (or that change none): no ": status" after them. */
const SELF_EXPLAINING_EVENTS = new Set(['submit', 'claim', 'request_changes', 'verify', 'publish', 'retract', 'reject', 'photo_added', 'photo_removed', 'photo_caption_changed']);
const preWrap = { whiteSpace: 'pre-wrap' } as const;

/**
 * One report for the partner who filed it: what was filed (times in the zone they were entered
 * in), its status and history, and the message thread with the editors (reply form works without
 * scripts). Another partner's report, or none: 404.
 */
export default async function MyReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const account = await requireArea('partner');
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const locale = toLocale(await getLocale());
  const report = getMyReport({ actor: account, reportId: id, locale });
  if (!report) notFound();

  const [t, tReview, tMessages, tPhotos, format, messages] = await Promise.all([
    getTranslations('report'),
    getTranslations('review'),
    getTranslations('messages'),
    getTranslations('photos'),
    getFormatter(),
    getMessages(),
  ]);
  const when = (ms: number) => (
    <time dateTime={new Date(ms).toISOString()}>{format.dateTime(new Date(ms), DATE_TIME_UTC)}</time>
  );
  const thread = report.status === 'draft' ? null : listMessages({ actor: account, reportId: report.id });
  if (thread?.ok && thread.messages.length > 0) markThreadRead({ actor: account, reportId: report.id });

  const { content } = report;
  // Observed times on the wall clock of the zone they were entered in, with that day's offset.
  const observed = (time: ShownTime) =>
    time ? (
      <time dateTime={new Date(time.instantMs).toISOString()}>
        {format.dateTime(new Date(time.instantMs), { ...DATE_TIME, timeZone: content.timeZone })} (
        {utcOffsetLabel({ instantMs: time.instantMs, timeZone: content.timeZone })})
      </time>
    ) : (
      t('page.notGiven')
    );
  const isDraft = report.status === 'draft';
  const title = (isDraft ? report.draftValues?.title : content.title) || t('list.untitled');
  const option = (group: string, value: string | null) => (value ? t(`form.options.${group}.${value}`) : t('page.notGiven'));
  const text = (value: string) => (value.trim() === '' ? t('page.notGiven') : value);
  const justSubmitted = query.submitted === '1' && !report.isEditable;
  // The reply the partner wrote before signing in again was just sent (lib/auth/kept-post-cookie.ts).
  const keptSent = query.kept === 'sent';
  const replyMessages = {
    messages: (messages as Record<string, unknown>).messages as Record<string, unknown>,
    report: { page: { reply: t('page.reply') }, outcome: { sessionExpired: t('outcome.sessionExpired') } },
  };

  return (
    <>
      {report.isEditable ? null : <ForgetLocalCopy accountId={account.id} clientId={report.clientId} />}
      <p>
        <Link href="/partner">{t('page.backToList')}</Link>
      </p>
      {justSubmitted ? (
        <p className="notice ok" role="status">
          {t('page.submitted')}
        </p>
      ) : null}
      {keptSent ? (
        <p className="notice ok" role="status">
          {tMessages('keptSent')}
        </p>
      ) : null}
      <h1>{title}</h1>
      <p>
        {t('page.status')}: <span className="status">{tReview(`statuses.${report.status}`)}</span>
        {report.submittedAt ? (
          <>
            {' · '}
            {t('page.submittedAt')}: {when(report.submittedAt)}
          </>
        ) : null}
      </p>

      <p>
        <Link href={`/partner/reports/${report.id}/photos`}>
          {tPhotos('link', { count: countPhotos({ actor: account, reportId: report.id }) ?? 0 })}
        </Link>
      </p>

      {isDraft ? (
        <div className="notice">
          <p>{t('page.draftNotice')}</p>
          <Link className="button" href={`/partner/reports/${report.id}/edit`}>
            {t('page.continueEditing')}
          </Link>
        </div>
      ) : null}
      {report.status === 'changes_requested' ? (
        <div className="notice warn">
          <h2>{t('form.changeRequest.title')}</h2>
          {report.changeRequest?.note ? <p style={preWrap}>{report.changeRequest.note}</p> : <p>{t('form.changeRequest.noNote')}</p>}
          <p>{t('page.changesNotice')}</p>
          <Link className="button" href={`/partner/reports/${report.id}/edit`}>
            {t('page.editAndResubmit')}
          </Link>
        </div>
      ) : null}

      {report.rejection ? (
        <section className="notice warn" aria-labelledby="report-rejected">
          <h2 id="report-rejected">{t('page.rejectedTitle')}</h2>
          {report.rejection.reason ? <p style={preWrap}>{report.rejection.reason}</p> : <p>{t('page.rejectedNoReason')}</p>}
        </section>
      ) : null}

      {isDraft ? null : (
        <section aria-labelledby="report-details">
          <h2 id="report-details">{t('page.details')}</h2>
          {report.editedByEditor ? <p className="notice">{t('page.editedByEditor')}</p> : null}
          <dl className="report-details">
            <dt>{t('form.fields.observedFrom')}</dt>
            <dd>{observed(report.observedFrom)}</dd>
            <dt>{t('form.fields.observedTo')}</dt>
            <dd>{observed(report.observedTo)}</dd>
            <dt>{t('form.fields.timeZone')}</dt>
            <dd>{t(`form.options.timeZone.${TIME_ZONE_KEYS[content.timeZone]}`)}</dd>
            <dt>{t('form.fields.timeNote')}</dt>
            <dd style={preWrap}>{text(content.timeNote)}</dd>
            <dt>{t('form.fields.placeId')}</dt>
            <dd>{report.placeName ? (report.placeParentName ? `${report.placeName} — ${report.placeParentName}` : report.placeName) : t('page.notGiven')}</dd>
            <dt>{t('form.fields.placeDetail')}</dt>
            <dd>{text(content.placeDetail)}</dd>
            <dt>{t('form.fields.placePrecision')}</dt>
            <dd>{option('placePrecision', content.placePrecision)}</dd>
            <dt>{t('form.fields.sourceType')}</dt>
            <dd>{option('sourceType', content.sourceType)}</dd>
            <dt>{t('form.fields.narrative')}</dt>
            <dd style={preWrap}>{text(content.narrative)}</dd>
            <dt>{t('form.fields.safetyNote')}</dt>
            <dd style={preWrap}>{text(content.safetyNote)}</dd>
          </dl>

          <h3>{t('form.sections.vehicles')}</h3>
          <DataTable
            empty={t('page.none')}
            rows={content.vehicles}
            columns={[
              { header: t('form.vehicle.vehicleType'), cell: (row) => option('vehicleType', row.vehicleType) },
              { header: t('form.vehicle.count'), cell: (row) => `${format.number(row.count)}${row.isEstimate ? ` (${t('page.estimate')})` : ''}` },
              { header: t('form.vehicle.direction'), cell: (row) => option('direction', row.direction) },
              { header: t('form.vehicle.colours'), cell: (row) => row.colours },
              { header: t('form.vehicle.cargo'), cell: (row) => row.cargo },
            ]}
          />

          <h3>{t('form.sections.goods')}</h3>
          <DataTable
            empty={t('page.none')}
            rows={content.goods}
            columns={[
              { header: t('form.goods.categoryId'), cell: (row) => report.categoryNames[row.categoryId] ?? row.categoryId },
              { header: t('form.goods.description'), cell: (row) => row.description },
              { header: t('form.goods.direction'), cell: (row) => option('direction', row.direction) },
              { header: t('form.goods.quantity'), cell: (row) => (row.quantity === null ? '' : `${format.number(row.quantity)} ${row.unit ?? ''}`) },
              { header: t('form.goods.value'), cell: (row) => (row.value === null ? '' : `${format.number(row.value)} ${row.currency ?? ''}`) },
            ]}
          />

          <h3>{t('form.sections.agencies')}</h3>
          <DataTable
            empty={t('page.none')}
            rows={content.agencies}
            columns={[
              { header: t('form.agency.agencyId'), cell: (row) => (row.agencyId ? (report.agencyNames[row.agencyId] ?? row.agencyId) : (row.otherName ?? '')) },
              { header: t('form.agency.role'), cell: (row) => option('agencyRole', row.role) },
              { header: t('form.agency.note'), cell: (row) => row.note, style: preWrap },
            ]}
          />
        </section>
      )}

      <section aria-labelledby="report-history">
        <h2 id="report-history">{t('page.history')}</h2>
        {report.history.length === 0 ? (
          <p>{t('page.historyEmpty')}</p>
        ) : (
          <ol>
            {report.history.map((event) => (
              <li key={event.id}>
                {when(event.at)} — {t(`page.events.${KNOWN_EVENTS.has(event.action) ? event.action : 'other'}`)} (
                {event.byPartner ? t('page.byYou') : t('page.byEditor')})
                {SELF_EXPLAINING_EVENTS.has(event.action) ? null : `: ${tReview(`statuses.${event.toStatus}`)}`}
                {event.note ? <p style={preWrap}>{event.note}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      {thread?.ok ? (
        <section aria-labelledby="report-messages">
          <h2 id="report-messages">{tMessages('title')}</h2>
          {thread.messages.length === 0 ? (
            <p>{tMessages('empty')}</p>
          ) : (
            <ol className="message-thread">
              {thread.messages.map((message) => (
                <li key={message.id}>
                  <p>
                    <strong>{message.isMine ? tMessages('fromPartner') : tMessages('fromEditor')}</strong> · {when(message.createdAt.getTime())}
                  </p>
                  <p style={preWrap}>{message.body}</p>
                </li>
              ))}
            </ol>
          )}
          <NextIntlClientProvider messages={replyMessages}>
            <ReplyForm reportId={report.id} />
          </NextIntlClientProvider>
        </section>
      ) : null}
    </>
  );
}
