'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { turnOffTwoFactorAction, type TurnOffState } from './actions';

/**
 * "Turn off two-step sign-in" for partners: a code from the app or a recovery code proves it is
 * them. Always mounted by the page (`available` says whether to offer it) so that its result stays
 * on screen after the page re-renders.
 */
export function TurnOffForm({ available }: { available: boolean }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<TurnOffState, FormData>(turnOffTwoFactorAction, { ok: false });
  if (state.ok && state.messageKey) {
    return (
      <p className="notice ok" role="status">
        {t(state.messageKey)}
      </p>
    );
  }
  if (!available) return null;
  return (
    <form action={formAction} noValidate>
      <h2>{t('auth.settings.turnOffTitle')}</h2>
      {state.messageKey ? (
        <div className="error-summary" role="alert" id="turn-off-error">
          <p>{t(state.messageKey)}</p>
        </div>
      ) : null}
      <label htmlFor="turn-off-code">{t('auth.twoFactor.code')}</label>
      <p className="field-hint" id="turn-off-hint">
        {t('auth.settings.turnOffIntro')}
      </p>
      <input
        id="turn-off-code"
        name="code"
        autoComplete="one-time-code"
        maxLength={64}
        aria-describedby={state.messageKey ? 'turn-off-hint turn-off-error' : 'turn-off-hint'}
        aria-invalid={state.messageKey ? true : undefined}
        key={state.messageKey ?? 'fresh'}
      />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t('auth.settings.turnOffSubmit')}
        </button>
      </div>
    </form>
  );
}
