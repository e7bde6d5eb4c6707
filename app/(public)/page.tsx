import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

export default async function FrontPage() {
  const t = await getTranslations('common.home');
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ul>
        <li>
          <Link href="/reports">{t('browse')}</Link>
        </li>
        <li>
          <Link href="/stats">{t('stats')}</Link>
        </li>
      </ul>
    </>
  );
}
