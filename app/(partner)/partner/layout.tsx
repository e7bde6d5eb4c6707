import { requireArea } from '@/lib/auth/session';

/** Partner area: every page below also checks for itself; the data layer checks ownership. */
export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  await requireArea('partner');
  return children;
}
