'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { replaceRecoveryCodesAction, type ReplaceCodesState } from './actions';

/**
 * "New recovery codes" for anyone with two-step sign-in on: a current code from the app proves it
 * is them; the ten new codes are shown once, here. Always mounted by the page (`available` says
 * whether to offer it) so the codes stay on screen after the page re-renders. Works without scripts.
 */
export function ReplaceCodesForm({ available }: { available: boolean }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<ReplaceCodesState, FormData>(replaceRecoveryCodesAction, { ok: false });
  if (state.ok && state.recoveryCodes) {
    return (
      <section aria-labelledby="new-codes-title">
        <h2 id="new-codes-title">{t('auth.enrol.recoveryTitle')}</h2>
        <p className="notice ok" role="status">
          {t('auth.settings.replaced')}
        </p>
        <p>{t('auth.enrol.recoveryIntro')}</p>
        <ol className="recovery-codes" aria-label={t('auth.enrol.recoveryTitle')}>
          {state.recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
      </section>
    );
  }
  if (!available) return null;
  return (
    <form action={formAction} noValidate>
      <h2>{t('auth.settings.replaceTitle')}</h2>
      {state.messageKey ? (
        <div className="error-summary" role="alert" id="replace-codes-error">
          <p>{t(state.messageKey)}</p>
        </div>
      ) : null}
      <label htmlFor="replace-codes-code">{t('auth.enrol.code')}</label>
      <p className="field-hint" id="replace-codes-hint">
        {t('auth.settings.replaceIntro')}
      </p>
      <input
        id="replace-codes-code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={64}
        aria-describedby={state.messageKey ? 'replace-codes-hint replace-codes-error' : 'replace-codes-hint'}
        aria-invalid={state.messageKey ? true : undefined}
        key={state.messageKey ?? 'fresh'}
      />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t('auth.settings.replaceSubmit')}
        </button>
      </div>
    </form>
  );
}
