import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { getPublishingView } from '@/lib/publishing/editor-view';
import { nextInQueue } from '@/lib/review/queue-next';
import { parseQueueContext, queueContextParams, reviewHref } from '@/lib/review/schema';
import { PublishForm, type PhotoOption, type RowOption } from './publish-form';
import { RetractForm } from './retract-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Publish report' };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const DONE_MESSAGES = { published: 'publishing.page.published', republished: 'publishing.page.republished', retracted: 'publishing.page.retracted' } as const;

/**
 * The editor's publish page for one report: the publish form (public text, rows, coarsening,
 * grading; preview; publish or republish) and, for a published report, the retraction form.
 * Editors and admins only; a report the editor may not see is a 404.
 */
export default async function PublishPage({ params, searchParams }: Props) {
  const account = await requireArea('editor');
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const view = getPublishingView({ actor: account, reportId: id });
  if (!view) notFound();
  const [t, tp, locale, messages] = await Promise.all([getTranslations(), getTranslations('public'), getLocale(), getMessages()]);
  const isKo = locale === 'ko';
  const named = (o: { nameEn: string; nameKo: string }) => (isKo ? o.nameKo : o.nameEn);
  const categories = new Map(view.names.goodsCategories.map((c) => [c.id, c]));
  const agencies = new Map(view.names.agencies.map((a) => [a.id, a]));
  const done = typeof query.done === 'string' && query.done in DONE_MESSAGES ? DONE_MESSAGES[query.done as keyof typeof DONE_MESSAGES] : null;
  // The queue the review page was opened from (decisions/0015-queue-context-in-review-urls.md).
  const context = parseQueueContext(query);
  const queueText = queueContextParams(context).toString();
  const nextResult = done ? nextInQueue({ actor: account, reportId: view.reportId, context }) : null;
  const next = nextResult?.ok ? nextResult.next : null;

  const vehicles: RowOption[] = view.source.vehicles.map((row) => ({
    position: row.position,
    label: [
      `${row.isEstimate ? tp('report.estimate', { count: row.count }) : row.count} × ${tp(`vehicleTypes.${row.vehicleType}`)}`,
      tp(`directions.${row.direction}`),
      row.colours,
      row.cargo,
    ]
      .filter(Boolean)
      .join(' · '),
  }));
  const goods: RowOption[] = view.source.goods.map((row) => {
    const category = categories.get(row.categoryId);
    return {
      position: row.position,
      label: [
        category ? named(category) : row.categoryId,
        row.description,
        tp(`directions.${row.direction}`),
        row.quantity === null ? '' : `${row.quantity} ${row.unit ?? ''}`.trim(),
        row.value === null ? '' : `${row.value} ${row.currency ?? ''}`.trim(),
      ]
        .filter(Boolean)
        .join(' · '),
    };
  });
  const agencyRows: RowOption[] = view.source.agencies.map((row) => {
    const listed = row.agencyId ? agencies.get(row.agencyId) : undefined;
    return {
      position: row.position,
      label: `${listed ? named(listed) : (row.otherName ?? '')} · ${tp(`agencyRoles.${row.role}`)}`,
    };
  });
  const photos: PhotoOption[] = (view.source.photos ?? []).map((photo) => ({
    id: photo.id,
    width: photo.width,
    height: photo.height,
    partnerCaption: photo.caption,
  }));
  const placeOptions = view.placeOptions.map((o) => ({
    choice: o.choice,
    label: t('publishing.form.placeOption', { choice: t(`publishing.placeChoices.${o.choice}`), result: named(o.place) }),
  }));
  const timeOptions = view.timeOptions.map((o) => ({
    choice: o.choice,
    label: t('publishing.form.timeOption', { choice: t(`publishing.timeChoices.${o.choice}`), result: isKo ? o.period.label.ko : o.period.label.en }),
  }));
  const grade =
    view.isGraded && view.source.sourceReliability && view.source.informationCredibility
      ? `${view.source.sourceReliability}${view.source.informationCredibility}`
      : null;
  const publication = view.publication;

  return (
    <>
      <p>
        <Link href={reviewHref(view.reportId, context)}>{t('publishing.page.back')}</Link>
      </p>
      <h1>{publication?.status === 'published' ? t('publishing.page.titleRepublish') : t('publishing.page.title')}</h1>
      <p>
        {t('publishing.page.status')} <span className="status">{t(`review.statuses.${view.status}`)}</span>
      </p>

      {done ? (
        <div className="notice ok" role="status">
          <p>{t(done)}</p>
          {next ? (
            <p>
              <Link href={reviewHref(next.id, { filters: context.filters, at: next.at })} rel="next">
                {t('review.page.nextReport')}
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}

      {publication ? (
        <div className="notice">
          {publication.status === 'published' ? (
            <p>
              {t('publishing.page.publishedOn', { date: new Date(publication.publishedAt).toISOString().slice(0, 10) })}{' '}
              <a href={`/reports/${publication.publicId}`}>{t('publishing.page.publicPage')}</a>
            </p>
          ) : (
            <p>
              {t('publishing.page.retractedOn', {
                date: new Date(publication.retractedAt ?? publication.publishedAt).toISOString().slice(0, 10),
              })}{' '}
              <a href={`/reports/${publication.publicId}`}>{t('publishing.page.publicPage')}</a>
            </p>
          )}
        </div>
      ) : null}

      {view.safetyNote || view.placeDetail ? (
        <div className="notice warn">
          {view.safetyNote ? (
            <p>
              <strong>{t('publishing.page.safetyNote')}</strong> <span style={{ whiteSpace: 'pre-line' }}>{view.safetyNote}</span>
            </p>
          ) : null}
          {view.placeDetail || view.enteredPlace ? (
            <p>
              <strong>{t('publishing.page.enteredPlace')}</strong> {view.enteredPlace ? named(view.enteredPlace) : ''}
              {view.placeDetail ? ` — ${view.placeDetail}` : ''}
            </p>
          ) : null}
        </div>
      ) : null}

      <NextIntlClientProvider messages={pickMessages(messages, ['public', 'publishing', 'review'])}>
        {view.canPublish ? (
          <PublishForm
            reportId={view.reportId}
            version={view.version}
            queue={queueText}
            defaults={view.defaults}
            vehicles={vehicles}
            goods={goods}
            agencies={agencyRows}
            placeOptions={placeOptions}
            timeOptions={timeOptions}
            grade={grade}
            isRepublish={publication?.status === 'published'}
            photos={photos}
            leaks={view.leaks}
          />
        ) : (
          <p className="notice warn">{t(view.publishRefusal ?? 'publishing.errors.incomplete')}</p>
        )}
        {view.canRetract ? <RetractForm reportId={view.reportId} version={view.version} /> : null}
      </NextIntlClientProvider>
    </>
  );
}
