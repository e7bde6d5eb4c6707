import { getTranslations } from 'next-intl/server';

/**
 * "Download these reports" under the moderation queue (issue 19 item 14): links to the editors'
 * export (app/(editor)/editor/export/route.ts) with the queue's current filters, as CSV and JSON.
 * Plain links: they work without JavaScript.
 * @param query the queue's filters as URL parameters (lib/review/schema.ts queueSearchParams)
 */
export async function ExportLinks({ query }: { query: string }) {
  const t = await getTranslations('desk.export');
  const href = (format: 'csv' | 'json') => `/editor/export?${new URLSearchParams([['format', format], ...new URLSearchParams(query)]).toString()}`;
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t('title')}</h2>
      <p>{t('intro')}</p>
      <p className="row-actions">
        <a href={href('csv')} download>
          {t('csv')}
        </a>
        <a href={href('json')} download>
          {t('json')}
        </a>
      </p>
    </section>
  );
}
