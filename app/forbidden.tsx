import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** 403: signed in, but this role may not use the page. */
export default async function Forbidden() {
  const t = await getTranslations('common.errors');
  return (
    <>
      <h1>{t('forbiddenTitle')}</h1>
      <p>{t('forbidden')}</p>
      <p>
        <Link href="/">{t('goHome')}</Link>
      </p>
    </>
  );
}
