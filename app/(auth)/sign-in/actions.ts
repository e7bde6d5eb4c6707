'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { attemptSignIn, completeEnrolment, completeSecondStep } from '@/lib/auth/sign-in-flow';
import { startSession } from '@/lib/auth/session';
import { ROLE_HOMES, safeCallbackPath } from '@/lib/auth/roles';
import { clientAddressFrom } from '@/lib/http/client-address';
import { generateTotpSecret } from '@/lib/accounts/totp';
import { clearPendingSignIn, readPendingSignIn, setPendingSignIn } from '@/lib/auth/pending-cookie';
import { readDeviceCookie, rememberDevice } from '@/lib/auth/device-cookie';
import { stateFormAction } from '@/lib/http/server-action';

export type SignInState = {
  ok: boolean;
  messageKey?: string;
  messageValues?: Record<string, number>;
  fieldErrors?: Record<string, string[]>;
  values: { codeName: string };
};

/**
 * Sign-in Server Action, password step (works without JavaScript). Never echoes the password back
 * into form state. After every completed sign-in (here, or after the code or enrolment step) the
 * browser's known-device cookie is renewed (lib/auth/device-cookie.ts), so its owner is never
 * held up by failures others make against the code name. When no second step is needed it sets the
 * session cookie and redirects to the
 * callback path (same origin only) or the role's home; otherwise it sets the short-lived pending
 * cookie and redirects to the code page (/sign-in/two-factor) or the enrolment page (/sign-in/enrol).
 */
export const signInAction = stateFormAction<SignInState>({ ok: false, messageKey: 'auth.signIn.failed', values: { codeName: '' } }, async (_prev, formData) => {
  const input = {
    codeName: String(formData.get('codeName') ?? '').slice(0, 200),
    password: String(formData.get('password') ?? ''),
  };
  const clientIp = clientAddressFrom(await headers());
  const result = await attemptSignIn(input, { clientIp, deviceToken: await readDeviceCookie() });
  const callbackPath = safeCallbackPath(formData.get('callbackUrl'));
  if (result.ok) {
    await clearPendingSignIn();
    await rememberDevice(result.account.codeName);
    await startSession(result.account);
    redirect(callbackPath ?? ROLE_HOMES[result.account.role]);
  }
  if (result.secondStep) {
    const { account } = result;
    await setPendingSignIn({
      accountId: account.id,
      codeName: account.codeName,
      sessionVersion: account.sessionVersion,
      stage: result.secondStep,
      secret: result.secondStep === 'enrol' ? generateTotpSecret() : null,
      callbackPath,
    });
    redirect(result.secondStep === 'enrol' ? '/sign-in/enrol' : '/sign-in/two-factor');
  }
  return {
    ok: false,
    messageKey: result.messageKey,
    messageValues: result.retryAfterSeconds ? { seconds: result.retryAfterSeconds } : undefined,
    fieldErrors: result.fieldErrors,
    values: { codeName: input.codeName },
  };
});

export type SecondStepState = {
  ok: boolean;
  messageKey?: string;
  messageValues?: Record<string, number>;
  /** The pending step is gone or void: the person must start again at the password. */
  mustRestart?: boolean;
  /** After enrolment only: the ten recovery codes, shown once, and where to continue. */
  recoveryCodes?: string[];
  continuePath?: string;
};

/** The answer to a call our pages never make (lib/http/server-action.ts). */
const SECOND_STEP_REFUSED: SecondStepState = { ok: false, messageKey: 'auth.twoFactor.expired', mustRestart: true };

function refusedState(result: { messageKey: string; retryAfterSeconds?: number }): SecondStepState {
  return {
    ok: false,
    messageKey: result.messageKey,
    messageValues: result.retryAfterSeconds ? { seconds: result.retryAfterSeconds } : undefined,
    mustRestart: result.messageKey === 'auth.twoFactor.expired',
  };
}

/** Code step (TOTP or recovery code). On success starts the session and redirects. */
export const twoFactorAction = stateFormAction<SecondStepState>(SECOND_STEP_REFUSED, async (_prev, formData) => {
  const pending = await readPendingSignIn();
  if (!pending || pending.stage !== 'verify') return { ok: false, messageKey: 'auth.twoFactor.expired', mustRestart: true };
  const result = await completeSecondStep({ pending, code: String(formData.get('code') ?? '').slice(0, 64), clientIp: clientAddressFrom(await headers()), deviceToken: await readDeviceCookie() });
  if (!result.ok) {
    if (result.messageKey === 'auth.twoFactor.expired') await clearPendingSignIn();
    return refusedState(result);
  }
  await clearPendingSignIn();
  await rememberDevice(result.account.codeName);
  await startSession(result.account);
  redirect(pending.callbackPath ?? ROLE_HOMES[result.account.role]);
});

/**
 * Enrolment step: checks the first code against the secret being enrolled, turns two-factor
 * sign-in on, starts the session, and returns the recovery codes for the page to show once.
 */
export const enrolAction = stateFormAction<SecondStepState>(SECOND_STEP_REFUSED, async (_prev, formData) => {
  const pending = await readPendingSignIn();
  if (!pending || pending.stage !== 'enrol') return { ok: false, messageKey: 'auth.twoFactor.expired', mustRestart: true };
  const result = await completeEnrolment({ pending, code: String(formData.get('code') ?? '').slice(0, 64), clientIp: clientAddressFrom(await headers()), deviceToken: await readDeviceCookie() });
  if (!result.ok) {
    if (result.messageKey === 'auth.twoFactor.expired') await clearPendingSignIn();
    return refusedState(result);
  }
  await clearPendingSignIn();
  await rememberDevice(result.account.codeName);
  await startSession(result.account);
  return { ok: true, recoveryCodes: result.recoveryCodes, continuePath: pending.callbackPath ?? ROLE_HOMES[result.account.role] };
});
