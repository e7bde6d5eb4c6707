'use client';

import { useTranslations } from 'next-intl';
import { RecoveryCodeList } from '../../_components/recovery-code-list';
import { replaceRecoveryCodesAction, type ReplaceCodesState } from './actions';
import { CodeForm } from './code-form';

/**
 * "New recovery codes" for anyone with two-step sign-in on: a current code from the app proves it
 * is them; the ten new codes are shown once, here. Works without scripts.
 */
export function ReplaceCodesForm({ available }: { available: boolean }) {
  const t = useTranslations();
  return (
    <CodeForm<ReplaceCodesState>
      action={replaceRecoveryCodesAction}
      initial={{ ok: false }}
      available={available}
      succeeded={(state) =>
        state.recoveryCodes ? (
          <section aria-labelledby="new-codes-title">
            <h2 id="new-codes-title">{t('auth.enrol.recoveryTitle')}</h2>
            <p className="notice ok" role="status">
              {t('auth.settings.replaced')}
            </p>
            <p>{t('auth.enrol.recoveryIntro')}</p>
            <RecoveryCodeList codes={state.recoveryCodes} label={t('auth.enrol.recoveryTitle')} />
          </section>
        ) : null
      }
      idPrefix="replace-codes"
      titleKey="auth.settings.replaceTitle"
      labelKey="auth.enrol.code"
      hintKey="auth.settings.replaceIntro"
      submitKey="auth.settings.replaceSubmit"
      numeric
    />
  );
}
