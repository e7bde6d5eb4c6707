import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { listAgencyOptions, listGoodsCategoryOptions, listPlaceOptions } from '@/lib/places/gazetteer';
import { getEditForm } from '@/lib/review/edits';
import { EditReportForm } from '../../../_components/edit-report-form';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: (await getTranslations('review'))('edit.title', { id: /^\d{1,12}$/.test(id) ? id : '?' }) };
}

/**
 * An editor's correction of a report: the whole report in one form (every part, times in the zone
 * they were entered in), saved as a new revision with before and after.
 */
export default async function EditReportPage({ params }: { params: Promise<{ id: string }> }) {
  const account = await requireArea('editor');
  const { id } = await params;
  const form = getEditForm({ actor: account, reportId: id });
  if (!form.ok) notFound();
  const t = await getTranslations('review');
  return (
    <NextIntlClientProvider messages={pickMessages(await getMessages(), ['review', 'report'])}>
      <p>
        <Link href={`/editor/reports/${form.reportId}`}>{t('edit.cancel')}</Link>
      </p>
      <h1>{t('edit.title', { id: form.reportId })}</h1>
      {form.isEditable ? (
        <>
          <p>{t('edit.intro')}</p>
          <EditReportForm
            reportId={form.reportId}
            version={form.version}
            initialValues={form.values}
            places={listPlaceOptions({ locale: 'en' })}
            agencies={listAgencyOptions({ locale: 'en' })}
            categories={listGoodsCategoryOptions({ locale: 'en' })}
          />
        </>
      ) : (
        <p className="notice warn">{t('errors.notEditable')}</p>
      )}
    </NextIntlClientProvider>
  );
}
