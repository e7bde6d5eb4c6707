'use client';

import { useTranslations } from 'next-intl';
import { turnOffTwoFactorAction, type TurnOffState } from './actions';
import { CodeForm } from './code-form';

/** "Turn off two-step sign-in" for partners: a code from the app or a recovery code proves it is them. */
export function TurnOffForm({ available }: { available: boolean }) {
  const t = useTranslations();
  return (
    <CodeForm<TurnOffState>
      action={turnOffTwoFactorAction}
      initial={{ ok: false }}
      available={available}
      succeeded={(state) =>
        state.messageKey ? (
          <p className="notice ok" role="status">
            {t(state.messageKey)}
          </p>
        ) : null
      }
      idPrefix="turn-off"
      titleKey="auth.settings.turnOffTitle"
      labelKey="auth.twoFactor.code"
      hintKey="auth.settings.turnOffIntro"
      submitKey="auth.settings.turnOffSubmit"
    />
  );
}
