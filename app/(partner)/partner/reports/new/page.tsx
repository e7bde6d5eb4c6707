import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { toLocale } from '@/lib/i18n/config';
import { listAgencyOptions, listGoodsCategoryOptions, listPlaceOptions } from '@/lib/places/gazetteer';
import { emptyReportValues } from '@/lib/reports/form-values';
import { ReportForm } from '../_components/report-form';
import { reportFormMessages } from '../_components/report-form-messages';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('report.form');
  return { title: t('newTitle') };
}

/**
 * A new report. The client-generated id that makes submitting idempotent is made here, once, and
 * travels in the HTML form (so a resent form without scripts is still one report).
 */
export default async function NewReportPage() {
  const account = await requireArea('partner');
  const locale = toLocale(await getLocale());
  const t = await getTranslations('report.form');
  return (
    <>
      <h1>{t('newTitle')}</h1>
      <p>{t('intro')}</p>
      <NextIntlClientProvider messages={await reportFormMessages()}>
        <ReportForm
          accountId={account.id}
          initialValues={emptyReportValues(randomUUID())}
          reportId={null}
          places={listPlaceOptions({ locale })}
          agencies={listAgencyOptions({ locale })}
          categories={listGoodsCategoryOptions({ locale })}
        />
      </NextIntlClientProvider>
    </>
  );
}
