import { requireArea } from '@/lib/auth/session';

/** Accounts: the admin's home. */
export default async function AccountsPage() {
  await requireArea('admin');
  return <h1>Accounts</h1>;
}
