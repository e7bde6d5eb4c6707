'use server';

import { redirect } from 'next/navigation';
import { getCurrentAccount } from '@/lib/auth/session';
import { safeCallbackPath } from '@/lib/auth/roles';
import { toLocale } from '@/lib/i18n/config';
import { rememberLocaleChoice } from '@/lib/i18n/session-locale';
import { formAction } from '@/lib/http/server-action';

/**
 * The root layout's Server Actions: what every page's site header posts to. They live here, beside
 * app/layout.tsx, not in the shared kit (app/_components/ takes props and does no data access); the
 * layout hands them to the header as props.
 */

/**
 * Change the interface language: remembered on the account when signed in, and in a cookie for
 * the browser either way. Unknown values fall back to English. Redirects back to `returnTo`
 * (same-origin paths only).
 */
export const changeLocale = formAction(async (formData: FormData): Promise<void> => {
  const locale = toLocale(formData.get('locale'));
  const account = await getCurrentAccount();
  await rememberLocaleChoice({ accountId: account?.id ?? null, locale });
  redirect(safeCallbackPath(formData.get('returnTo')) ?? '/');
});
