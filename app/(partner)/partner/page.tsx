import { getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';

/** "My reports": the partner's home (the report list arrives with the report form). */
export default async function MyReportsPage() {
  await requireArea('partner');
  const t = await getTranslations('common.nav');
  return <h1>{t('myReports')}</h1>;
}
