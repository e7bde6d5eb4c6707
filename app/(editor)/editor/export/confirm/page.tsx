import type { Metadata } from 'next';
import Link from 'next/link';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { ConfirmBox } from '@/app/_components/form-parts';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { snapshotQueueMatch } from '@/lib/review/queue';
import { EDITOR_EXPORT_FORMATS } from '@/lib/review/export-format';
import { parseQueueParams, queueHref, queueSearchParams } from '@/lib/review/schema';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('desk'))('export.confirmTitle') };
}

/**
 * The page before the editors' export (issue 19 item 14): what the file holds — partners' code
 * names, safety notes, exact places and times, in the clear — that it leaves the encrypted
 * database, and how to handle it; then a confirming box (lib/confirmation.ts) and the two formats.
 * A plain GET form to app/(editor)/editor/export/route.ts, which refuses a download without the
 * tick and sends the editor back here (`?error=confirm`), so it works without scripts.
 */
export default async function ExportConfirmPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await requireArea('editor');
  const t = await getTranslations('desk.export');
  const params = await searchParams;
  const { filters } = parseQueueParams(params);
  const filterFields = Object.fromEntries(queueSearchParams(filters).entries());
  const snapshot = snapshotQueueMatch({ actor: account, filters });
  const count = snapshot.ok ? snapshot.count : 0;
  const isUnconfirmed = params.error === 'confirm';

  return (
    <NextIntlClientProvider messages={pickMessages(await getMessages(), ['desk'])}>
      <h1>{t('confirmTitle')}</h1>
      {isUnconfirmed ? (
        <p className="error-summary" role="alert" id="export-error">
          {t('confirmRequired')}
        </p>
      ) : null}
      <p id="export-count">{t('confirmCount', { count })}</p>
      <section aria-labelledby="export-inside" className="notice warn">
        <h2 id="export-inside">{t('insideTitle')}</h2>
        <p>{t('inside')}</p>
        <p>
          <strong>{t('leaves')}</strong>
        </p>
        <h2>{t('handleTitle')}</h2>
        <ul>
          <li>{t('handleDisk')}</li>
          <li>{t('handleSend')}</li>
          <li>{t('handleDelete')}</li>
          <li>{t('handleAudit')}</li>
        </ul>
      </section>
      <form method="get" action="/editor/export" aria-labelledby="export-form-title">
        <h2 id="export-form-title" className="visually-hidden">
          {t('confirmTitle')}
        </h2>
        {Object.entries(filterFields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <ConfirmBox id="export-confirm" label={t('confirmLabel')} errors={isUnconfirmed ? ['desk.export.confirmRequired'] : undefined} />
        <p className="row-actions">
          {EDITOR_EXPORT_FORMATS.map((format) => (
            <button key={format} type="submit" name="format" value={format} disabled={count === 0}>
              {t(format)}
            </button>
          ))}
        </p>
      </form>
      <p>
        <Link href={queueHref(filters)}>{t('backToQueue')}</Link>
      </p>
    </NextIntlClientProvider>
  );
}
