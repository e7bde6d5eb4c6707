import { getTranslations } from 'next-intl/server';

/** 403: signed in, but this role may not use the page. */
export default async function Forbidden() {
  const t = await getTranslations('common.errors');
  return (
    <>
      <h1>{t('forbiddenTitle')}</h1>
      <p>{t('forbidden')}</p>
      <p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- / is a route handler without scripts (docs/decisions/0014-script-free-public-pages.md) */}
        <a href="/">{t('goHome')}</a>
      </p>
    </>
  );
}
