'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ErrorSummary, InputField } from '@/app/_components/form-parts';
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
      {state.messageKey ? <ErrorSummary messageKey={state.messageKey} details={[...passwordErrors, ...confirmErrors]} /> : null}
      <label htmlFor="invite-code-name">{t('auth.invite.codeName')}</label>
      <input id="invite-code-name" name="username" autoComplete="username" value={codeName} readOnly />
      <InputField
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        label={t('auth.invite.password')}
        hint={t('auth.invite.passwordHint')}
        errors={passwordErrors}
      />
      <InputField
        id="confirmPassword"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        label={t('auth.invite.confirmPassword')}
        errors={confirmErrors}
        errorId="confirm-error"
      />
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('auth.invite.submit')}
        </button>
      </div>
    </form>
  );
}
