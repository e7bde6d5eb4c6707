import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { Locale } from '@/lib/i18n/config';
import { pickLanguage } from '@/lib/publishing/languages';
import { DATE_UTC } from '@/lib/i18n/formats';
import { getPublicReport } from '@/lib/publishing/public-queries';
import { PublicReportView } from '@/app/_components/public-report-view';

// Read on every request: a publication or retraction shows at once (issue 5).
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ publicId: string }> };

/** Page title from the snapshot only; no description or Open Graph tags that could carry more. */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { publicId } = await params;
  const report = getPublicReport({ publicId });
  if (!report) return {};
  if (report.status === 'retracted') return { title: (await getTranslations('public'))('retracted.title') };
  const locale = (await getLocale()) as Locale;
  const title = pickLanguage(report.snapshot.title, locale);
  if (!title) return {};
  return { title: title.isFallback ? `${title.text} ${(await getTranslations('public'))(`language.${title.lang}`)}` : title.text };
}

/** A published report by its public id; a retracted one shows only the retraction notice. */
export default async function PublicReportPage({ params }: Props) {
  const { publicId } = await params;
  const report = getPublicReport({ publicId });
  if (!report) notFound();
  const [t, format] = await Promise.all([getTranslations('public'), getFormatter()]);

  if (report.status === 'retracted') {
    const date = format.dateTime(new Date(report.retractedAt), DATE_UTC);
    return (
      <>
        <h1>{t('retracted.title')}</h1>
        <div className="notice warn" role="note">
          <p>{t('retracted.notice', { date })}</p>
          <p>
            <strong>{t('retracted.reason')}</strong> <span style={{ whiteSpace: 'pre-line' }}>{report.reason}</span>
          </p>
        </div>
        <p>
          <Link href="/reports">{t('report.backToList')}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PublicReportView snapshot={report.snapshot} publishedAt={report.publishedAt} />
      <p>
        <Link href="/reports">{t('report.backToList')}</Link>
      </p>
    </>
  );
}
