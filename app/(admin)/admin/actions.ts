'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getEnv } from '@/lib/env';
import { changeRole, createAccount, deactivateAccount, reactivateAccount, resetAccount, resetTwoFactor, type IssuedLink } from '@/lib/accounts/accounts';
import { invitationPath } from '@/lib/accounts/one-time-token';
import { areaStateAction } from '@/lib/http/area-action';
import { isConfirmed } from '@/lib/confirmation';
import { ADMIN_ANSWERS, CONFIRM_REQUIRED, formText, type AdminActionState } from './_components/action-state';

/**
 * Account administration actions, each an areaStateAction of the admin area (lib/http/area-action.ts):
 * who is calling (admins only; anyone else is answered 'accounts.errors.notAllowed'), then the
 * data layer (which checks the role again inside its transaction, validates and writes the change
 * with its audit event), then revalidation. One-time links are returned to be shown once and
 * never stored in clear.
 */

/** Absolute URL of a path on this site: NEXTAUTH_URL when set, else the request's own host. */
async function absoluteUrl(path: string): Promise<string> {
  const configured = getEnv().NEXTAUTH_URL;
  if (configured) return new URL(path, configured).toString();
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}${path}`;
}

/** A one-time link as the form shows it once: its absolute URL, expiry (ISO, UTC) and account. */
async function shownLink(link: IssuedLink, codeName: string): Promise<NonNullable<AdminActionState['link']>> {
  return { url: await absoluteUrl(invitationPath(link.token)), expiresAt: link.expiresAt.toISOString(), codeName };
}

function accountIdOf(formData: FormData): string {
  return formText(formData, 'accountId', 200);
}

/** Create an account with a one-time invitation link (72 hours), shown once. */
export const createAccountAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const input = { codeName: formText(formData, 'codeName', 200), role: formText(formData, 'role', 200) };
  const result = createAccount({ actor, input });
  if (!result.ok) return { ...result, values: input };
  revalidatePath('/admin');
  return { ok: true, done: `Account ${result.account.codeName} (${result.account.role}) created.`, link: await shownLink(result.link, result.account.codeName) };
});

/** Change an account's role (ends its sessions). */
export const changeRoleAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = changeRole({ actor, input: { accountId: accountIdOf(formData), role: formText(formData, 'role', 200) } });
  if (!result.ok) return result;
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Role changed. Their open sessions have ended.' };
});

/** Deactivate an account (ends its sessions at their next request); only with the confirming tick. */
export const deactivateAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  if (!isConfirmed(formData)) return CONFIRM_REQUIRED;
  const result = deactivateAccount({ actor, accountId: accountIdOf(formData) });
  if (!result.ok) return result;
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Account deactivated. Their open sessions have ended.' };
});

/** Reactivate a deactivated account. */
export const reactivateAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = reactivateAccount({ actor, accountId: accountIdOf(formData) });
  if (!result.ok) return result;
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Account reactivated.' };
});

/** Clear the password and issue a new one-time link, shown once. */
export const resetAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = resetAccount({ actor, accountId: accountIdOf(formData) });
  if (!result.ok) return result;
  revalidatePath('/admin', 'layout');
  return {
    ok: true,
    done: 'Password cleared and open sessions ended. Send this new one-time link to the account holder.',
    link: await shownLink(result.link, result.codeName),
  };
});

/** Remove an account's two-factor sign-in (lost phone); editors and admins enrol again. */
export const resetTwoFactorAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = resetTwoFactor({ actor, accountId: accountIdOf(formData) });
  if (!result.ok) return result;
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Two-step sign-in removed and open sessions ended. They set it up again at their next sign-in.' };
});
