import type { Metadata } from 'next';
import Link from 'next/link';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { snapshotQueueMatch } from '@/lib/review/queue';
import { BULK_ACTIONS, parseQueueParams, queueHref, queueSearchParams } from '@/lib/review/schema';
import { BulkFilteredForm } from '../_components/bulk-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('review'))('bulk.confirmTitle') };
}

/**
 * Confirmation of a bulk action on every report the queue's filter matches. The snapshot taken
 * here (how many, the highest id, the time) travels in the form, so confirming acts on exactly
 * the reports that matched now and never on one that arrives later.
 */
export default async function BulkConfirmPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const account = await requireArea('editor');
  const t = await getTranslations('review');
  const params = await searchParams;
  const { filters } = parseQueueParams(params);
  const rawAction = typeof params.action === 'string' ? params.action : '';
  const action = BULK_ACTIONS.find((a) => a === rawAction);
  const filterFields = Object.fromEntries(queueSearchParams(filters).entries());
  const filterText = Object.entries(filterFields)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

  if (!action) {
    return (
      <>
        <h1>{t('bulk.confirmTitle')}</h1>
        <p className="error-summary">{t('errors.unknownAction')}</p>
        <p>
          <Link href={queueHref(filters)}>{t('bulk.backToQueue')}</Link>
        </p>
      </>
    );
  }
  const snapshot = snapshotQueueMatch({ actor: account, filters });
  if (!snapshot.ok) return null;

  return (
    <NextIntlClientProvider messages={pickMessages(await getMessages(), ['review'])}>
      <h1>{t('bulk.confirmTitle')}</h1>
      <p>{t('bulk.filtersUsed', { filters: filterText || t('bulk.noFilters') })}</p>
      {snapshot.count === 0 ? (
        <p>{t('bulk.nothingMatches')}</p>
      ) : (
        <p id="bulk-summary">{t('bulk.confirmSummary', { action: t(`actions.${action}`), count: snapshot.count })}</p>
      )}
      <BulkFilteredForm
        action={action}
        count={snapshot.count}
        hiddenFields={{ ...filterFields, maxId: String(snapshot.maxId), asOf: String(snapshot.asOf) }}
      />
      <p>
        <Link href={queueHref(filters)}>{t('bulk.backToQueue')}</Link>
      </p>
    </NextIntlClientProvider>
  );
}
