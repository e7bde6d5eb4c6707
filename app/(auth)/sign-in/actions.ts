'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { attemptSignIn, completeEnrolment, completeSecondStep, type CodeStepCall, type SignInRefusal } from '@/lib/auth/sign-in-flow';
import type { VerifiedAccount } from '@/lib/auth/sign-in';
import { startSession } from '@/lib/auth/session';
import { ROLE_HOMES, safeCallbackPath } from '@/lib/auth/roles';
import { clientAddressFrom } from '@/lib/http/client-address';
import { generateTotpSecret } from '@/lib/accounts/totp';
import { clearPendingSignIn, readPendingSignIn, setPendingSignIn } from '@/lib/auth/pending-cookie';
import { readDeviceCookie, rememberDevice } from '@/lib/auth/device-cookie';
import { clearKeptPostCookie, landingAfterKeptPost, readKeptPostToken } from '@/lib/auth/kept-post-cookie';
import { discardKeptPost } from '@/lib/reports/kept-posts';
import { formAction, stateFormAction } from '@/lib/http/server-action';

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
/**
 * After a completed sign-in (password, code or enrolment step): the pending step goes, this
 * browser's known-device cookie is renewed for the code name, the session starts, and a post kept
 * from before (docs/decisions/0009-posts-kept-across-sign-in.md) is claimed.
 * @returns where to land instead of the usual destination (a kept post was claimed), or null
 */
async function finishSignIn(account: VerifiedAccount): Promise<string | null> {
  await clearPendingSignIn();
  await rememberDevice(account.codeName);
  await startSession(account);
  // A post this partner sent after their session had ended (scripts off): saved into their draft,
  // or sent as their reply, and the landing page says so (lib/auth/kept-post-cookie.ts).
  return landingAfterKeptPost(account);
}

export const signInAction = stateFormAction<SignInState>({ ok: false, messageKey: 'auth.signIn.failed', values: { codeName: '' } }, async (_prev, formData) => {
  const input = {
    codeName: String(formData.get('codeName') ?? '').slice(0, 200),
    password: String(formData.get('password') ?? ''),
  };
  const clientIp = clientAddressFrom(await headers());
  const result = await attemptSignIn(input, { clientIp, deviceToken: await readDeviceCookie() });
  const callbackPath = safeCallbackPath(formData.get('callbackUrl'));
  if (result.ok) {
    const landing = await finishSignIn(result.account);
    redirect(landing ?? callbackPath ?? ROLE_HOMES[result.account.role]);
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

/** The answer to a call our pages never make (lib/http/server-action.ts), and to a step that is gone. */
const SECOND_STEP_REFUSED: SecondStepState = { ok: false, messageKey: 'auth.twoFactor.expired', mustRestart: true };

/** A code step's refusal as form state; a step that is gone or void is cleared, to start again. */
async function refusedStep(result: SignInRefusal): Promise<SecondStepState> {
  const mustRestart = result.messageKey === 'auth.twoFactor.expired';
  if (mustRestart) await clearPendingSignIn();
  return {
    ok: false,
    messageKey: result.messageKey,
    messageValues: result.retryAfterSeconds ? { seconds: result.retryAfterSeconds } : undefined,
    mustRestart,
  };
}

/** The code step a form posts: this browser's pending step of `stage` (or null), the code, who sends it. */
async function codeStepCall(formData: FormData, stage: 'verify' | 'enrol'): Promise<CodeStepCall | null> {
  const pending = await readPendingSignIn();
  if (!pending || pending.stage !== stage) return null;
  return { pending, code: String(formData.get('code') ?? '').slice(0, 64), clientIp: clientAddressFrom(await headers()), deviceToken: await readDeviceCookie() };
}

/** Code step (TOTP or recovery code). On success starts the session and redirects. */
export const twoFactorAction = stateFormAction<SecondStepState>(SECOND_STEP_REFUSED, async (_prev, formData) => {
  const call = await codeStepCall(formData, 'verify');
  if (!call) return SECOND_STEP_REFUSED;
  const result = await completeSecondStep(call);
  if (!result.ok) return refusedStep(result);
  const landing = await finishSignIn(result.account);
  redirect(landing ?? call.pending.callbackPath ?? ROLE_HOMES[result.account.role]);
});

/**
 * Enrolment step: checks the first code against the secret being enrolled, turns two-factor
 * sign-in on, starts the session, and returns the recovery codes for the page to show once.
 */
export const enrolAction = stateFormAction<SecondStepState>(SECOND_STEP_REFUSED, async (_prev, formData) => {
  const call = await codeStepCall(formData, 'enrol');
  if (!call) return SECOND_STEP_REFUSED;
  const result = await completeEnrolment(call);
  if (!result.ok) return refusedStep(result);
  const landing = await finishSignIn(result.account);
  return { ok: true, recoveryCodes: result.recoveryCodes, continuePath: landing ?? call.pending.callbackPath ?? ROLE_HOMES[result.account.role] };
});

/**
 * "Not yours? Discard it" on the sign-in page (works without scripts): the post this browser kept
 * after a session ended (docs/decisions/0009-posts-kept-across-sign-in.md) is deleted with its
 * cookie, so whoever signs in next on a shared phone does not receive it. The browser's own
 * cookie is the only key: without one nothing changes.
 */
export const discardKeptPostAction = formAction(async () => {
  discardKeptPost({ token: await readKeptPostToken() });
  await clearKeptPostCookie();
  redirect('/sign-in?keptDiscarded=1');
});
