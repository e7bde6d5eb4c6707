'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { turnOffTwoFactorAction, type TurnOffState } from './actions';
import { CodeForm } from './code-form';

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
    <CodeForm
      idPrefix="turn-off"
      formAction={formAction}
      isPending={isPending}
      messageKey={state.messageKey}
      titleKey="auth.settings.turnOffTitle"
      labelKey="auth.twoFactor.code"
      hintKey="auth.settings.turnOffIntro"
      submitKey="auth.settings.turnOffSubmit"
    />
  );
}
