import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';

/** Admin area: every page below also checks for itself; the data layer checks the role. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireArea('admin');
  const t = await getTranslations('common.nav');
  return (
    <>
      <nav aria-label={t('administration')} className="admin-nav">
        <ul className="row-actions" style={{ listStyle: 'none', padding: 0, margin: '0 0 0.5rem' }}>
          <li>
            <Link href="/admin">{t('accounts')}</Link>
          </li>
          <li>
            <Link href="/admin/lists">{t('referenceLists')}</Link>
          </li>
          <li>
            <Link href="/admin/official">{t('officialStatistics')}</Link>
          </li>
          <li>
            <Link href="/admin/audit">{t('auditLog')}</Link>
          </li>
        </ul>
      </nav>
      {children}
    </>
  );
}
