import Link from 'next/link';
import { requireArea } from '@/lib/auth/session';

/** Admin area: every page below also checks for itself; the data layer checks the role. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireArea('admin');
  return (
    <>
      <nav aria-label="Administration" className="admin-nav">
        <ul className="row-actions" style={{ listStyle: 'none', padding: 0, margin: '0 0 0.5rem' }}>
          <li>
            <Link href="/admin">Accounts</Link>
          </li>
          <li>
            <Link href="/admin/lists">Reference lists</Link>
          </li>
          <li>
            <Link href="/admin/audit">Audit log</Link>
          </li>
        </ul>
      </nav>
      {children}
    </>
  );
}
