'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ErrorSummary, InputField } from '@/app/_components/form-parts';
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
        <ErrorSummary messageKey={state.messageKey} values={state.messageValues} details={[...codeNameErrors, ...passwordErrors]} id="sign-in-error" live="assertive" />
      ) : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <InputField
        id="codeName"
        name="codeName"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        defaultValue={state.values.codeName}
        key={`c-${state.values.codeName}`}
        label={t('auth.signIn.codeName')}
        errors={codeNameErrors}
      />
      <InputField id="password" name="password" type="password" autoComplete="current-password" label={t('auth.signIn.password')} errors={passwordErrors} />
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('auth.signIn.submit')}
        </button>
      </div>
    </form>
  );
}
