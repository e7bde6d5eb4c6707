'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ErrorSummary } from '@/app/_components/form-parts';
import { twoFactorAction, type SecondStepState } from '../actions';

/** The code form of the second sign-in step; a plain form posted to a Server Action. */
export function TwoFactorForm() {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<SecondStepState, FormData>(twoFactorAction, { ok: false });
  return (
    <form action={formAction} noValidate>
      {state.messageKey ? (
        <ErrorSummary messageKey={state.messageKey} values={state.messageValues} id="code-error">
          {state.mustRestart ? <Link href="/sign-in">{t('auth.twoFactor.startAgain')}</Link> : null}
        </ErrorSummary>
      ) : null}
      <label htmlFor="code">{t('auth.twoFactor.code')}</label>
      <p className="field-hint" id="code-hint">
        {t('auth.twoFactor.codeHint')}
      </p>
      <input
        id="code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={64}
        aria-describedby={state.messageKey ? 'code-hint code-error' : 'code-hint'}
        aria-invalid={state.messageKey ? true : undefined}
        key={state.messageKey ?? 'fresh'}
      />
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('auth.twoFactor.submit')}
        </button>
      </div>
    </form>
  );
}
