'use server';

import { redirect } from 'next/navigation';
import { getCurrentAccount, startSession } from '@/lib/auth/session';
import { generateTotpSecret } from '@/lib/accounts/totp';
import { enrolTwoFactor, replaceRecoveryCodes, turnOffTwoFactor, twoFactorStatus } from '@/lib/accounts/two-factor';
import { clearPendingSignIn, readPendingSignIn, setPendingSignIn } from '@/lib/auth/pending-cookie';
import type { SecondStepState } from '../../sign-in/actions';
import { formAction, stateFormAction } from '@/lib/http/server-action';

/**
 * Two-step sign-in from a signed-in person's own settings (any role). Each action checks the
 * session itself; changes bump session_version, so the person's other sessions end and this one is
 * re-issued at the new version.
 */

const PAGE = '/account/security';

/**
 * Begin setting up: a new secret in a short-lived cookie (path /account), then show the QR code.
 * A plain `<form action>` (the form carries no fields; it takes FormData so a no-script post fits).
 */
export const startSettingsEnrolmentAction = formAction(async (_formData: FormData): Promise<void> => {
  const account = await getCurrentAccount();
  if (!account) redirect(`/sign-in?callbackUrl=${encodeURIComponent(PAGE)}`);
  const status = twoFactorStatus({ accountId: account.id });
  if (status && !status.enabled) {
    await setPendingSignIn(
      { accountId: account.id, codeName: account.codeName, sessionVersion: status.sessionVersion, stage: 'enrol', secret: generateTotpSecret(), callbackPath: PAGE },
      'account',
    );
  }
  redirect(PAGE);
});

/** Confirm the first code: turn two-step sign-in on and return the recovery codes to show once. */
export const settingsEnrolAction = stateFormAction({ ok: false, messageKey: 'auth.twoFactor.expired', mustRestart: true }, async (_prev: SecondStepState, formData: FormData): Promise<SecondStepState> => {
  const account = await getCurrentAccount();
  const pending = await readPendingSignIn('account');
  if (!account || !pending || pending.accountId !== account.id || pending.stage !== 'enrol' || !pending.secret) {
    return { ok: false, messageKey: 'auth.twoFactor.expired', mustRestart: true };
  }
  const code = String(formData.get('code') ?? '').slice(0, 64);
  if (!code.trim()) return { ok: false, messageKey: 'auth.twoFactor.codeRequired' };
  const result = enrolTwoFactor({ accountId: account.id, secret: pending.secret, code, expectedSessionVersion: pending.sessionVersion });
  if (!result.ok) {
    if (result.messageKey === 'auth.twoFactor.expired') await clearPendingSignIn('account');
    return { ok: false, messageKey: result.messageKey, mustRestart: result.messageKey === 'auth.twoFactor.expired' };
  }
  await clearPendingSignIn('account');
  await startSession({ id: account.id, sessionVersion: result.sessionVersion });
  return { ok: true, recoveryCodes: result.recoveryCodes, continuePath: PAGE };
});

export type TurnOffState = { ok: boolean; messageKey?: string };

/** Turn two-step sign-in off (partners only), proven by a current code or a recovery code. */
export const turnOffTwoFactorAction = stateFormAction({ ok: false, messageKey: 'auth.twoFactor.expired' }, async (_prev: TurnOffState, formData: FormData): Promise<TurnOffState> => {
  const account = await getCurrentAccount();
  if (!account) return { ok: false, messageKey: 'auth.twoFactor.expired' };
  const code = String(formData.get('code') ?? '').slice(0, 64);
  if (!code.trim()) return { ok: false, messageKey: 'auth.twoFactor.codeRequired' };
  const result = turnOffTwoFactor({ accountId: account.id, code });
  if (!result.ok) return { ok: false, messageKey: result.messageKey };
  await startSession({ id: account.id, sessionVersion: result.sessionVersion });
  return { ok: true, messageKey: 'auth.settings.turnedOff' };
});

export type ReplaceCodesState = { ok: boolean; messageKey?: string; recoveryCodes?: string[] };

/**
 * Replace one's own recovery codes (any role with two-step sign-in on), proven by a current code
 * from the app (lib/accounts/two-factor.ts replaceRecoveryCodes). Answers the ten new codes, to be
 * shown once; the old ones stop working. Sessions go on.
 */
export const replaceRecoveryCodesAction = stateFormAction({ ok: false, messageKey: 'auth.twoFactor.expired' }, async (_prev: ReplaceCodesState, formData: FormData): Promise<ReplaceCodesState> => {
  const account = await getCurrentAccount();
  if (!account) return { ok: false, messageKey: 'auth.twoFactor.expired' };
  const code = String(formData.get('code') ?? '').slice(0, 64);
  if (!code.trim()) return { ok: false, messageKey: 'auth.twoFactor.codeRequired' };
  const result = replaceRecoveryCodes({ accountId: account.id, code });
  if (!result.ok) return { ok: false, messageKey: 'auth.settings.replaceWrongCode' };
  return { ok: true, recoveryCodes: result.recoveryCodes };
});
