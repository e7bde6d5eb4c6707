import 'server-only';
import { isDemoMode } from '@/lib/env';
import { refusal, type Refusal } from '@/lib/refusal';
import { fieldErrorsOf } from '@/lib/accounts/schema';
import { enrolTwoFactor, verifySecondFactor } from '@/lib/accounts/two-factor';
import { secondStepFor } from '@/lib/accounts/two-factor-state';
import { beginSignInAttempt, endSignInAttempt, type SignInTicket } from './throttle';
import type { PendingSignIn } from './pending-sign-in';
import { signInSchema } from './schema';
import { claimPendingStep, findSignInAccount, isPendingStepUsed, recordSignIn, recordSignInRefusal, verifyCredentials, type VerifiedAccount } from './sign-in';

/**
 * A refused sign-in step (lib/refusal.ts, without a code: callers show the message); messages are
 * i18n keys (auth.json); `retryAfterSeconds` when throttled.
 */
export type SignInRefusal = Refusal & { secondStep?: undefined; retryAfterSeconds?: number };

/**
 * Result of a sign-in step.
 * - `ok: true` — and only then — the caller may start a session for `account`.
 * - `ok: false` with `secondStep` — the password was right but the account must first prove its
 *   second factor ('verify') or set one up ('enrol'). Callers that only check `ok` (the next-auth
 *   Credentials provider) therefore refuse such accounts and cannot bypass two-factor sign-in.
 * - otherwise a {@link SignInRefusal}.
 */
export type SignInResult =
  | { ok: true; account: VerifiedAccount }
  | { ok: false; secondStep: 'verify' | 'enrol'; account: VerifiedAccount }
  | SignInRefusal;

function throttled(retryAfterSeconds: number): SignInRefusal {
  return { ...refusal('auth.signIn.throttled'), retryAfterSeconds };
}

/**
 * The one password step, used by the sign-in page and the next-auth Credentials provider:
 * validate input → throttle (a known device by its own failures; anyone else per code name, per
 * name and address, per address: lib/auth/throttle.ts; the attempt is counted before the check
 * and given back unless it fails, so simultaneous attempts get no more than the free allowance) →
 * check code name and password → decide the second step. Unknown code name, wrong password and deactivated account all return
 * 'auth.signIn.failed' after about the same time; a throttled attempt returns
 * 'auth.signIn.throttled' with the wait, whether or not the account exists.
 * @param input raw fields ({ codeName, password }) from a form or next-auth
 * @param context.clientIp the caller's address (only ever hashed; see lib/auth/throttle.ts)
 * @param context.deviceToken the browser's known-device cookie, if any (lib/auth/device-cookie.ts);
 *   when the result is `ok: true` the caller should renew it (rememberDevice)
 */
export async function attemptSignIn(
  input: Record<string, unknown>,
  { clientIp, deviceToken }: { clientIp?: string | null; deviceToken?: string | null } = {},
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return refusal('auth.errors.summary', fieldErrorsOf(parsed.error));
  const { codeName } = parsed.data;
  const attempt = { codeName, clientIp, deviceToken };
  const gate = await beginSignInAttempt(attempt);
  if (!gate.ok) {
    recordSignInRefusal({ accountId: null, reason: 'throttled', clientIp });
    return throttled(gate.retryAfterSeconds);
  }
  const account = await verifyCredentials({ ...parsed.data, clientIp });
  if (!account) {
    await endSignInAttempt(gate.ticket, 'failed');
    return refusal('auth.signIn.failed');
  }
  const step = secondStepFor({ role: account.role, hasTotp: !!account.totpSecret, isDemoAccount: account.isDemo, isDemoMode: isDemoMode() });
  if (step !== 'none') {
    // The right password is no failure; the code step is counted on its own.
    await endSignInAttempt(gate.ticket, 'not-counted');
    return { ok: false, secondStep: step, account };
  }
  recordSignIn(account.id, 'password');
  await endSignInAttempt(gate.ticket, 'signed-in');
  return { ok: true, account };
}

/**
 * The account of a pending step if the step has not completed a sign-in yet (each step once) and
 * it is still the same active account at the same session version.
 */
function stillPending(pending: PendingSignIn): VerifiedAccount | null {
  if (isPendingStepUsed(pending)) return null;
  const account = findSignInAccount(pending.accountId);
  return account && account.sessionVersion === pending.sessionVersion ? account : null;
}

/** A code step's call: the pending step from its cookie, the code as typed, who sends it. */
export type CodeStepCall = {
  pending: PendingSignIn;
  code: unknown;
  clientIp?: string | null;
  deviceToken?: string | null;
  now?: Date;
};

/**
 * The start both code steps share: a code was typed; the attempt passes the throttle (counted on
 * the same counters as passwords); the pending step is of `stage`, unused, and still the same
 * active account at the same session version — with a stored secret to verify against ('verify'),
 * or a new secret in the step and none stored yet ('enrol').
 * @returns the trimmed code, the throttle ticket (end it with the step's outcome) and the account,
 *   or a refusal: 'auth.twoFactor.codeRequired' | 'auth.signIn.throttled' | 'auth.twoFactor.expired'
 */
async function openCodeStep(
  { pending, code, clientIp, deviceToken }: CodeStepCall,
  stage: PendingSignIn['stage'],
): Promise<{ ok: true; typed: string; ticket: SignInTicket; account: VerifiedAccount } | SignInRefusal> {
  const typed = typeof code === 'string' ? code.trim() : '';
  if (!typed) return refusal('auth.twoFactor.codeRequired');
  const gate = await beginSignInAttempt({ codeName: pending.codeName, clientIp, deviceToken });
  if (!gate.ok) {
    recordSignInRefusal({ accountId: pending.accountId, reason: 'throttled', clientIp });
    return throttled(gate.retryAfterSeconds);
  }
  const account = stillPending(pending);
  const fits = stage === 'verify' ? !!account?.totpSecret : !!pending.secret && !!account && !account.totpSecret;
  if (pending.stage !== stage || !account || !fits) {
    await endSignInAttempt(gate.ticket, 'not-counted');
    return refusal('auth.twoFactor.expired');
  }
  return { ok: true, typed, ticket: gate.ticket, account };
}

/**
 * Second step for an account with two-factor sign-in: a TOTP code (each accepted once, ±1 step)
 * or a recovery code (each once). Throttled like passwords, on the same counters: a wrong code from
 * the owner's known device counts against that device only, and one from anywhere else against the
 * code name, the name-and-address pair and the address — so someone holding a leaked password and
 * guessing codes never locks the owner's device out. A pending step completes one sign-in only: a
 * copy of its cookie is refused afterwards, even with another valid code.
 * @returns `ok: true` with the account (start the session), or a refusal: 'auth.twoFactor.wrongCode',
 *   'auth.twoFactor.expired' (start again at the password; also a step already used), or
 *   'auth.signIn.throttled'
 */
export async function completeSecondStep(call: CodeStepCall): Promise<{ ok: true; account: VerifiedAccount } | SignInRefusal> {
  const now = call.now ?? new Date();
  const step = await openCodeStep(call, 'verify');
  if (!step.ok) return step;
  const { typed, ticket, account } = step;
  const result = verifySecondFactor({ accountId: account.id, code: typed, now });
  if (!result.ok) {
    recordSignInRefusal({ accountId: account.id, reason: 'wrong_code', clientIp: call.clientIp });
    await endSignInAttempt(ticket, 'failed');
    return refusal('auth.twoFactor.wrongCode');
  }
  // Two requests with the same step and two valid codes: only the first signs in.
  if (!claimPendingStep(call.pending)) {
    await endSignInAttempt(ticket, 'not-counted');
    return refusal('auth.twoFactor.expired');
  }
  recordSignIn(account.id, result.method);
  await endSignInAttempt(ticket, 'signed-in');
  return { ok: true, account };
}

/**
 * Second step for an account that must set up two-factor sign-in: the first code from the app
 * proves it read the secret; then the secret and ten hashed recovery codes are stored and the
 * session version bumped (lib/accounts/two-factor.ts enrolTwoFactor). Like the code step, a pending
 * step completes once (the bumped session version already voids it; its id is recorded too).
 * @returns `ok: true` with the account at its new session version and the recovery codes (show
 *   them once), or a refusal: 'auth.twoFactor.wrongCode' | 'auth.twoFactor.expired' | 'auth.signIn.throttled'
 */
export async function completeEnrolment(call: CodeStepCall): Promise<{ ok: true; account: VerifiedAccount; recoveryCodes: string[] } | SignInRefusal> {
  const now = call.now ?? new Date();
  const step = await openCodeStep(call, 'enrol');
  if (!step.ok) return step;
  const { typed, ticket, account } = step;
  const { pending } = call;
  const secret = pending.secret as string; // present: openCodeStep checked it for 'enrol'
  const result = enrolTwoFactor({ accountId: account.id, secret, code: typed, expectedSessionVersion: pending.sessionVersion, now });
  if (!result.ok) {
    const isWrongCode = result.messageKey === 'auth.twoFactor.wrongCode';
    if (isWrongCode) recordSignInRefusal({ accountId: account.id, reason: 'wrong_code', clientIp: call.clientIp });
    await endSignInAttempt(ticket, isWrongCode ? 'failed' : 'not-counted');
    return refusal(result.messageKey);
  }
  claimPendingStep(pending);
  recordSignIn(account.id, 'enrolment');
  await endSignInAttempt(ticket, 'signed-in');
  return { ok: true, account: { ...account, sessionVersion: result.sessionVersion, totpSecret: secret }, recoveryCodes: result.recoveryCodes };
}
