import { getTranslations } from 'next-intl/server';

/** 404: also the answer for objects the caller may not know exist. */
export default async function NotFound() {
  const t = await getTranslations('common.errors');
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFound')}</p>
      <p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- / is a route handler without scripts (docs/decisions/0014-script-free-public-pages.md) */}
        <a href="/">{t('goHome')}</a>
      </p>
    </>
  );
}
