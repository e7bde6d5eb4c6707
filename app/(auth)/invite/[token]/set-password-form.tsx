'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { setPasswordAction, type SetPasswordState } from './actions';

/**
 * New-password form of an invitation or reset link. The code name is shown (read-only, and as a
 * hidden username field for password managers); the password is never sent back into the form.
 */
export function SetPasswordForm({ token, codeName }: { token: string; codeName: string }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<SetPasswordState, FormData>(setPasswordAction, { ok: false });
  if (state.linkRefused && state.messageKey) {
    return (
      <>
        <p className="notice warn" role="alert">
          {t(state.messageKey)}
        </p>
        <p>
          <Link href="/sign-in">{t('auth.invite.goToSignIn')}</Link>
        </p>
      </>
    );
  }
  const passwordErrors = state.fieldErrors?.password ?? [];
  const confirmErrors = state.fieldErrors?.confirmPassword ?? [];
  return (
    <form action={formAction} noValidate>
      <input type="hidden" name="token" value={token} />
      {state.messageKey ? (
        <div className="error-summary" role="alert">
          <p>{t(state.messageKey)}</p>
          <ul>
            {[...passwordErrors, ...confirmErrors].map((m) => (
              <li key={m}>{t(m)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <label htmlFor="invite-code-name">{t('auth.invite.codeName')}</label>
      <input id="invite-code-name" name="username" autoComplete="username" value={codeName} readOnly />
      <label htmlFor="password">{t('auth.invite.password')}</label>
      <p className="field-hint" id="password-hint">
        {t('auth.invite.passwordHint')}
      </p>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        aria-invalid={passwordErrors.length > 0 || undefined}
        aria-describedby={passwordErrors.length ? 'password-hint password-error' : 'password-hint'}
      />
      {passwordErrors.length ? (
        <p className="field-error" id="password-error">
          {passwordErrors.map((m) => t(m)).join(' ')}
        </p>
      ) : null}
      <label htmlFor="confirmPassword">{t('auth.invite.confirmPassword')}</label>
      <input
        id="confirmPassword"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        aria-invalid={confirmErrors.length > 0 || undefined}
        aria-describedby={confirmErrors.length ? 'confirm-error' : undefined}
      />
      {confirmErrors.length ? (
        <p className="field-error" id="confirm-error">
          {confirmErrors.map((m) => t(m)).join(' ')}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('auth.invite.submit')}
        </button>
      </div>
    </form>
  );
}
