'use server';

import { redirect } from 'next/navigation';
import { attemptSignIn } from '@/lib/auth/sign-in-flow';
import { startSession } from '@/lib/auth/session';
import { ROLE_HOMES, safeCallbackPath } from '@/lib/auth/roles';

export type SignInState = {
  ok: boolean;
  messageKey?: string;
  fieldErrors?: Record<string, string[]>;
  values: { codeName: string };
};

/**
 * Sign-in Server Action (works without JavaScript). Never echoes the password back into form
 * state. On success sets the session cookie and redirects to the callback path (same origin only)
 * or the role's home.
 */
export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const input = {
    codeName: String(formData.get('codeName') ?? '').slice(0, 200),
    password: String(formData.get('password') ?? ''),
  };
  const result = await attemptSignIn(input);
  if (!result.ok) {
    return { ok: false, messageKey: result.messageKey, fieldErrors: result.fieldErrors, values: { codeName: input.codeName } };
  }
  await startSession(result.account);
  redirect(safeCallbackPath(formData.get('callbackUrl')) ?? ROLE_HOMES[result.account.role]);
}
