'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getAccountWithRole } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { changeRole, createAccount, deactivateAccount, reactivateAccount, resetAccount, resetTwoFactor } from '@/lib/accounts/accounts';
import { invitationPath } from '@/lib/accounts/one-time-token';
import type { AdminActionState } from './_components/action-state';
import { stateFormAction } from '@/lib/http/server-action';

/**
 * Account administration actions. Each one, in order: who is calling (admins only; treated as a
 * public POST), then the data layer (which checks the role again inside its transaction, validates
 * and writes the change with its audit event), then revalidation. One-time links are returned to
 * be shown once and never stored in clear.
 */

const NOT_ALLOWED: AdminActionState = { ok: false, messageKey: 'accounts.errors.notAllowed' };

/** Absolute URL of a path on this site: NEXTAUTH_URL when set, else the request's own host. */
async function absoluteUrl(path: string): Promise<string> {
  const configured = getEnv().NEXTAUTH_URL;
  if (configured) return new URL(path, configured).toString();
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}${path}`;
}

function field(formData: FormData, name: string, max = 200): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** Create an account with a one-time invitation link (72 hours), shown once. */
export const createAccountAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const input = { codeName: field(formData, 'codeName'), role: field(formData, 'role') };
  const result = createAccount({ actor, input });
  if (!result.ok) return { ok: false, messageKey: result.message, fieldErrors: result.fieldErrors, values: input };
  revalidatePath('/admin');
  return {
    ok: true,
    done: `Account ${result.account.codeName} (${result.account.role}) created.`,
    link: { url: await absoluteUrl(invitationPath(result.link.token)), expiresAt: result.link.expiresAt.toISOString(), codeName: result.account.codeName },
  };
});

/** Change an account's role (ends its sessions). */
export const changeRoleAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = changeRole({ actor, input: { accountId: field(formData, 'accountId'), role: field(formData, 'role') } });
  if (!result.ok) return { ok: false, messageKey: result.message, fieldErrors: result.fieldErrors };
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Role changed. Their open sessions have ended.' };
});

/** Deactivate an account (ends its sessions at their next request). */
export const deactivateAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = deactivateAccount({ actor, accountId: field(formData, 'accountId') });
  if (!result.ok) return { ok: false, messageKey: result.message };
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Account deactivated. Their open sessions have ended.' };
});

/** Reactivate a deactivated account. */
export const reactivateAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = reactivateAccount({ actor, accountId: field(formData, 'accountId') });
  if (!result.ok) return { ok: false, messageKey: result.message };
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Account reactivated.' };
});

/** Clear the password and issue a new one-time link, shown once. */
export const resetAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = resetAccount({ actor, accountId: field(formData, 'accountId') });
  if (!result.ok) return { ok: false, messageKey: result.message };
  revalidatePath('/admin', 'layout');
  return {
    ok: true,
    done: 'Password cleared and open sessions ended. Send this new one-time link to the account holder.',
    link: { url: await absoluteUrl(invitationPath(result.link.token)), expiresAt: result.link.expiresAt.toISOString(), codeName: result.codeName },
  };
});

/** Remove an account's two-factor sign-in (lost phone); editors and admins enrol again. */
export const resetTwoFactorAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = resetTwoFactor({ actor, accountId: field(formData, 'accountId') });
  if (!result.ok) return { ok: false, messageKey: result.message };
  revalidatePath('/admin', 'layout');
  return { ok: true, done: 'Two-step sign-in removed and open sessions ended. They set it up again at their next sign-in.' };
});
