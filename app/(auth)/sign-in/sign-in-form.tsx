'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { signInAction, type SignInState } from './actions';

/** Sign-in form: a plain HTML form posted to a Server Action; works with scripts off. */
export function SignInForm({ callbackUrl }: { callbackUrl: string | null }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<SignInState, FormData>(signInAction, { ok: false, values: { codeName: '' } });
  const codeNameErrors = state.fieldErrors?.codeName ?? [];
  const passwordErrors = state.fieldErrors?.password ?? [];
  return (
    <form action={formAction} noValidate>
      {state.messageKey ? (
        <div className="error-summary" role="alert" aria-live="assertive" id="sign-in-error">
          <p>{t(state.messageKey, state.messageValues)}</p>
          {[...codeNameErrors, ...passwordErrors].length > 0 ? (
            <ul>
              {[...codeNameErrors, ...passwordErrors].map((m) => (
                <li key={m}>{t(m)}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <label htmlFor="codeName">{t('auth.signIn.codeName')}</label>
      <input
        id="codeName"
        name="codeName"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        defaultValue={state.values.codeName}
        aria-invalid={codeNameErrors.length > 0 || undefined}
        aria-describedby={codeNameErrors.length ? 'codeName-error' : undefined}
        key={`c-${state.values.codeName}`}
      />
      {codeNameErrors.length ? (
        <p className="field-error" id="codeName-error">
          {codeNameErrors.map((m) => t(m)).join(' ')}
        </p>
      ) : null}
      <label htmlFor="password">{t('auth.signIn.password')}</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        aria-invalid={passwordErrors.length > 0 || undefined}
        aria-describedby={passwordErrors.length ? 'password-error' : undefined}
      />
      {passwordErrors.length ? (
        <p className="field-error" id="password-error">
          {passwordErrors.map((m) => t(m)).join(' ')}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('auth.signIn.submit')}
        </button>
      </div>
    </form>
  );
}
