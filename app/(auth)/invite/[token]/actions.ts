'use server';

import { redirect } from 'next/navigation';
import { acceptInvitation } from '@/lib/accounts/invitations';
import { stateFormAction } from '@/lib/http/server-action';

export type SetPasswordState = {
  ok: boolean;
  messageKey?: string;
  fieldErrors?: Record<string, string[]>;
  /** The link itself cannot be used (unknown, expired or used): the form gives way to a notice. */
  linkRefused?: boolean;
};

/**
 * Set a password through a one-time link (invitation, reset or bootstrap). Anyone holding the link
 * may call this — the token (a hidden field of the form, not a bound argument: React's server
 * render looped on no-script posts of a bound action) is the credential; the data layer checks it
 * again in its transaction.
 * Never echoes the password. On success redirects to sign-in (where 2FA enrolment follows for
 * editors and admins).
 */
export const setPasswordAction = stateFormAction({ ok: false, messageKey: 'auth.invite.unknown', linkRefused: true }, async (_prev: SetPasswordState, formData: FormData): Promise<SetPasswordState> => {
  const token = formData.get('token');
  const result = await acceptInvitation({
    token: typeof token === 'string' ? token.slice(0, 100) : null,
    input: { password: String(formData.get('password') ?? ''), confirmPassword: String(formData.get('confirmPassword') ?? '') },
  });
  if (result.ok) redirect('/sign-in?passwordSet=1');
  if ('fieldErrors' in result) return { ok: false, messageKey: result.messageKey, fieldErrors: result.fieldErrors };
  return { ok: false, messageKey: result.messageKey, linkRefused: true };
});
