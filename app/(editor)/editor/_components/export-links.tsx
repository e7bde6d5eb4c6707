import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/**
 * "Download these reports" under the moderation queue (issue 19 item 14): says what the file
 * holds and links to the page before the download (app/(editor)/editor/export/confirm/page.tsx),
 * which says how to handle it and asks for a confirmation, with the queue's current filters.
 * A plain link: it works without JavaScript.
 * @param query the queue's filters as URL parameters (lib/review/schema.ts queueSearchParams)
 */
export async function ExportLinks({ query }: { query: string }) {
  const t = await getTranslations('desk.export');
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t('title')}</h2>
      <p>{t('intro')}</p>
      <p>
        <Link href={query ? `/editor/export/confirm?${query}` : '/editor/export/confirm'}>{t('review')}</Link>
      </p>
    </section>
  );
}
