import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** 404: also the answer for objects the caller may not know exist. */
export default async function NotFound() {
  const t = await getTranslations('common.errors');
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFound')}</p>
      <p>
        <Link href="/">{t('goHome')}</Link>
      </p>
    </>
  );
}
