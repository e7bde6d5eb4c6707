import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { getCurrentSession, requireArea } from '@/lib/auth/session';
import { keptPostOwnerHint } from '@/lib/reports/kept-post-owner';
import { DeviceClient } from './_device/device-client';
import { KeptOwnerProvider } from './_device/kept-owner';

export const metadata: Metadata = { manifest: '/app.webmanifest' };

/**
 * Partner area: every page below also checks for itself; the data layer checks ownership. Every
 * partner page carries the quick exit — one tap, with or without scripts: a sign-out form posting
 * `then=exit` (lib/auth/sign-out.ts), which lands on a neutral page; with scripts the device is
 * wiped first (_device/device-client.tsx) — and, with scripts, the service worker's registration.
 * The partner's owner hint for posts kept across sign-in goes to the forms below (_device/kept-owner.tsx).
 */
export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  const account = await requireArea('partner');
  // The session's absolute end (lib/auth/session.ts): nothing kept on the device is served after it.
  const sessionEndsAt = (await getCurrentSession())?.expiresAtMs ?? 0;
  const t = await getTranslations('device');
  const ownerHint = keptPostOwnerHint(account.id);
  return (
    <>
      <form action="/sign-out" method="post" className="quick-exit">
        <input type="hidden" name="then" value="exit" />
        <button type="submit" title={t('quickExitHint')}>
          {t('quickExit')}
        </button>
      </form>
      <DeviceClient accountId={account.id} ownerHint={ownerHint} sessionEndsAt={sessionEndsAt} offlineText={t('offline')} signOutConfirmText={t('signOutConfirm')} />
      <KeptOwnerProvider hint={ownerHint}>{children}</KeptOwnerProvider>
    </>
  );
}
