import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { countPhotos } from '@/lib/photos/photos';
import { toLocale } from '@/lib/i18n/config';
import { listAgencyOptions, listGoodsCategoryOptions, listPlaceOptions } from '@/lib/places/gazetteer';
import { emptyReportValues } from '@/lib/reports/form-values';
import { draftProblems } from '@/lib/reports/drafts';
import { getMyReportForEdit } from '@/lib/reports/queries';
import { DeleteDraftForm } from '../../_components/delete-draft-form';
import { ReportForm } from '../../_components/report-form';
import { reportFormMessages } from '../../_components/report-form-messages';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('report.form');
  return { title: t('editTitle') };
}

/**
 * Editing a draft, or a report an editor sent back for changes (with the editor's message shown).
 * A draft (never submitted) can also be deleted here, with its photos.
 * Another partner's report, or none: 404. A report past the partner's part: its report page on a
 * visit; but a form post from this page (scripts off) answered while the report was filed meanwhile
 * renders the form again, so the Server Action's answer ("already filed; your changes were not
 * sent", with the text as posted and "Start a new report from this text") reaches the partner
 * instead of a redirect that would drop the typed text (issue 18 item 5; proxy.ts sets `x-fr-method`).
 * `?kept=saved|problems`: what the partner typed before signing in again was just saved here.
 * `?saved=1|problems`: scripts off, the Save draft that created this report redirected here;
 * `?saved=new`: "Start a new report from this text" (scripts off) made this draft.
 */
export default async function EditReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const account = await requireArea('partner');
  const { id } = await params;
  // What the partner typed before signing in again, just saved here (lib/auth/kept-post-cookie.ts).
  const { kept, saved } = await searchParams;
  const report = getMyReportForEdit({ actor: account, reportId: id });
  if (!report) notFound();
  const isFormPost = (await headers()).get('x-fr-method') === 'POST';
  if (!report.editable && !isFormPost) redirect(`/partner/reports/${report.id}`);
  // Filed meanwhile, answering a form post: the form shows the Server Action's answer, which
  // carries every value as posted; the stored report's values are not the partner's to edit here.
  const initialValues = report.editable ? report.values : emptyReportValues('');
  // Scripts off, the save that created this report redirected here (actions.ts 'save'): the form
  // says what that save answered, at its top, with the messages of values that do not validate yet.
  const savedAnswer =
    report.editable && saved === '1'
      ? { status: 'saved' as const, fieldErrors: {} }
      : report.editable && saved === 'problems'
        ? { status: 'savedWithProblems' as const, fieldErrors: draftProblems(report.values) }
        : report.editable && saved === 'new'
          ? { status: 'newFromText' as const, fieldErrors: draftProblems(report.values) }
          : null;
  const locale = toLocale(await getLocale());
  const [t, tPhotos] = await Promise.all([getTranslations('report'), getTranslations('photos')]);
  return (
    <>
      <p>
        <Link href="/partner">{t('page.backToList')}</Link>
      </p>
      <h1>{t('form.editTitle')}</h1>
      {kept === 'saved' || kept === 'problems' ? (
        <p className="notice ok" role="status">
          {kept === 'saved' ? t('form.keptSaved') : t('form.keptSavedWithProblems')}
        </p>
      ) : null}
      {report.editable && report.status === 'changes_requested' ? (
        <div className="notice warn">
          <h2>{t('form.changeRequest.title')}</h2>
          {report.changeRequest?.note ? <p style={{ whiteSpace: 'pre-wrap' }}>{report.changeRequest.note}</p> : <p>{t('form.changeRequest.noNote')}</p>}
        </div>
      ) : null}
      <p>{t('form.intro')}</p>
      <p>
        <Link href={`/partner/reports/${report.id}/photos`}>{tPhotos('link', { count: countPhotos({ actor: account, reportId: report.id }) ?? 0 })}</Link>
      </p>
      <NextIntlClientProvider messages={await reportFormMessages()}>
        <ReportForm
          key={report.id}
          accountId={account.id}
          initialValues={initialValues}
          reportId={report.id}
          places={listPlaceOptions({ locale })}
          agencies={listAgencyOptions({ locale })}
          categories={listGoodsCategoryOptions({ locale })}
          savedAnswer={savedAnswer}
        />
      </NextIntlClientProvider>
      {report.editable && report.status === 'draft' ? (
        <NextIntlClientProvider messages={await deleteDraftMessages()}>
          <DeleteDraftForm reportId={report.id} accountId={account.id} clientId={report.values.clientId} />
        </NextIntlClientProvider>
      ) : null}
    </>
  );
}

/** The texts the delete form shows in the browser: its own and the report outcomes. */
async function deleteDraftMessages() {
  const report = ((await getMessages()) as Record<string, Record<string, unknown>>).report ?? {};
  return { report: { deleteDraft: report.deleteDraft, outcome: report.outcome } };
}
