import 'server-only';
import { cookies } from 'next/headers';
import { getAccountLocale, setAccountLocale } from '@/lib/accounts/locale';
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_OPTIONS, toLocale } from './config';

/**
 * When a session starts (sign-in, or a session renewed after a security change), line up the two
 * memories of the interface language — the account's and this browser's `fr.locale` cookie:
 *  - a language chosen in this browser before signing in (a valid cookie) becomes the account's,
 *    so a partner who switched the sign-in or invitation page to Korean keeps Korean after
 *    signing in (new accounts start in English);
 *  - with no valid cookie, the browser takes the account's language, so after signing out the
 *    sign-in page still speaks it.
 * Only the language switch (app/actions.ts) and this function write either.
 * Call from a Server Action or Route Handler (it sets a cookie); `accountId` is the account the
 * session is for. An unknown account changes nothing.
 */
export async function alignLocaleAtSessionStart({ accountId }: { accountId: number }): Promise<void> {
  const jar = await cookies();
  const chosen = jar.get(LOCALE_COOKIE)?.value;
  const current = getAccountLocale({ accountId });
  if (current === null) return;
  if (isLocale(chosen)) {
    if (chosen !== current) setAccountLocale({ accountId, locale: chosen });
    return;
  }
  // The column is not constrained in SQLite: a stray value becomes English here too.
  jar.set(LOCALE_COOKIE, toLocale(current), LOCALE_COOKIE_OPTIONS);
}
