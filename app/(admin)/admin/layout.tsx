import { requireArea } from '@/lib/auth/session';

/** Admin area: every page below also checks for itself; the data layer checks the role. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireArea('admin');
  return children;
}
