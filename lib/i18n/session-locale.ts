import 'server-only';
import { cookies, headers } from 'next/headers';
import { getAccountLocaleChoice, setAccountLocale } from '@/lib/accounts/locale';
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_OPTIONS, toLocale, type Locale } from './config';
import { negotiateLocale } from './negotiate';

/**
 * When a session starts (sign-in, or a session renewed after a security change), line up the two
 * memories of the interface language — the account's and this browser's `fr.locale` cookie:
 *  - a language chosen in this browser before signing in (a valid cookie) becomes the account's
 *    choice, so a partner who switched the sign-in or invitation page to Korean keeps Korean after
 *    signing in;
 *  - with no valid cookie, an account whose language was chosen gives it to the browser (the
 *    cookie), so after signing out the sign-in page still speaks it;
 *  - with no valid cookie and an account whose language was never chosen (new accounts), the
 *    account takes the browser's `Accept-Language` (negotiate.ts, else English) — not as a choice
 *    and without a cookie, so it follows the browser it signs in from until the partner chooses.
 * Only the language switches (app/actions.ts, the report form) and this function write either.
 * Call from a Server Action or Route Handler (it sets a cookie); `accountId` is the account the
 * session is for. An unknown account changes nothing.
 */
export async function alignLocaleAtSessionStart({ accountId }: { accountId: number }): Promise<void> {
  const jar = await cookies();
  const chosen = jar.get(LOCALE_COOKIE)?.value;
  const current = getAccountLocaleChoice({ accountId });
  if (current === null) return;
  if (isLocale(chosen)) {
    if (chosen !== current.locale || !current.chosen) setAccountLocale({ accountId, locale: chosen });
    return;
  }
  if (!current.chosen) {
    const negotiated = toLocale(negotiateLocale((await headers()).get('accept-language')));
    if (negotiated !== current.locale) setAccountLocale({ accountId, locale: negotiated, chosen: false });
    return;
  }
  // The column is not constrained in SQLite: a stray value becomes English here too.
  jar.set(LOCALE_COOKIE, toLocale(current.locale), LOCALE_COOKIE_OPTIONS);
}

/**
 * The partner (or anyone) chose an interface language: remembered on the signed-in account as its
 * choice (`accountId`, null when nobody is signed in) and in this browser's `fr.locale` cookie.
 * Call from a Server Action (it sets a cookie). Used by the header's switch (app/actions.ts) and
 * the report form's own switch.
 */
export async function rememberLocaleChoice({ accountId, locale }: { accountId: number | null; locale: Locale }): Promise<void> {
  if (accountId !== null) setAccountLocale({ accountId, locale });
  (await cookies()).set(LOCALE_COOKIE, locale, LOCALE_COOKIE_OPTIONS);
}
