import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { countAwaitingEditors } from '@/lib/review/queue';
import type { Actor } from '@/lib/accounts/actor';
import { EMPTY_QUEUE_FILTERS, queueHref } from '@/lib/review/schema';

/** The editors' unread count: how many submitted reports nobody has claimed yet, with a link to them. */
export async function AwaitingNotice({ actor }: { actor: Actor }) {
  const t = await getTranslations('review.queue');
  const count = countAwaitingEditors({ actor });
  return (
    <p className="notice" id="awaiting-editors">
      {t('awaiting', { count })}{' '}
      {count > 0 ? <Link href={queueHref({ ...EMPTY_QUEUE_FILTERS, status: 'submitted', claim: 'unclaimed' })}>{t('showAwaiting')}</Link> : null}
    </p>
  );
}
