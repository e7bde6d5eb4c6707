'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { enrolAction, type SecondStepState } from '../actions';

export type Enrolment = { qrDataUrl: string; secret: string };

/** Groups of four characters, easier to type into an app by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Enrolment: QR code and the key as text, a field for the first code; after success the ten
 * recovery codes, shown once, and a link onwards.
 */
export function EnrolForm({ enrolment }: { enrolment: Enrolment | null }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<SecondStepState, FormData>(enrolAction, { ok: false });

  if (state.ok && state.recoveryCodes) {
    return (
      <>
        <h1>{t('auth.enrol.recoveryTitle')}</h1>
        <p>{t('auth.enrol.recoveryIntro')}</p>
        <ol className="recovery-codes" aria-label={t('auth.enrol.recoveryTitle')}>
          {state.recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <p>
          <a className="button" href={state.continuePath ?? '/'}>
            {t('auth.enrol.continue')}
          </a>
        </p>
      </>
    );
  }

  if (!enrolment || state.mustRestart) {
    return (
      <>
        <h1>{t('auth.enrol.title')}</h1>
        <p className="notice warn">{t('auth.twoFactor.expired')}</p>
        <p>
          <Link href="/sign-in">{t('auth.twoFactor.startAgain')}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>{t('auth.enrol.title')}</h1>
      <p>{t('auth.enrol.intro')}</p>
      {/* A data: URL drawn on our server; CSP allows img-src data:. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={enrolment.qrDataUrl} alt={t('auth.enrol.qrAlt')} width={200} height={200} />
      <p id="totp-secret-label">{t('auth.enrol.secretLabel')}</p>
      <p>
        <code id="totp-secret" aria-labelledby="totp-secret-label">
          {groupSecret(enrolment.secret)}
        </code>
      </p>
      <p className="field-hint">{t('auth.enrol.secretHint')}</p>
      <form action={formAction} noValidate>
        {state.messageKey ? (
          <div className="error-summary" role="alert" id="enrol-code-error">
            <p>{t(state.messageKey, state.messageValues)}</p>
          </div>
        ) : null}
        <label htmlFor="code">{t('auth.enrol.code')}</label>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={64}
          aria-invalid={state.messageKey ? true : undefined}
          aria-describedby={state.messageKey ? 'enrol-code-error' : undefined}
          key={state.messageKey ?? 'fresh'}
        />
        <div className="row-actions">
          <button type="submit" disabled={isPending}>
            {t('auth.enrol.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
