'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ErrorSummary } from '@/app/_components/form-parts';
import { RecoveryCodeList } from '../../_components/recovery-code-list';
import type { SecondStepState } from '../actions';

export type Enrolment = { qrDataUrl: string; secret: string };

/** Groups of four characters, easier to type into an app by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Enrolment: QR code and the key as text, a field for the first code; after success the ten
 * recovery codes, shown once, and a link onwards. Used at sign-in (/sign-in/enrol) and in the
 * account settings (/account/security), each with its own action.
 * @param idle what to show with no enrolment in progress: 'expired' (a notice and a link to
 *   `restartHref`) or 'nothing'
 */
export function EnrolForm({
  enrolment,
  action,
  idle = 'expired',
  restartHref = '/sign-in',
  headingLevel = 1,
}: {
  enrolment: Enrolment | null;
  action: (prev: SecondStepState, formData: FormData) => Promise<SecondStepState>;
  idle?: 'expired' | 'nothing';
  restartHref?: string;
  headingLevel?: 1 | 2;
}) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<SecondStepState, FormData>(action, { ok: false });
  const Heading = headingLevel === 1 ? 'h1' : 'h2';

  if (state.ok && state.recoveryCodes) {
    return (
      <>
        <Heading>{t('auth.enrol.recoveryTitle')}</Heading>
        <p>{t('auth.enrol.recoveryIntro')}</p>
        <RecoveryCodeList codes={state.recoveryCodes} label={t('auth.enrol.recoveryTitle')} />
        <p>
          <a className="button" href={state.continuePath ?? '/'}>
            {t('auth.enrol.continue')}
          </a>
        </p>
      </>
    );
  }

  if (!enrolment || state.mustRestart) {
    if (idle === 'nothing' && !state.mustRestart) return null;
    return (
      <>
        <Heading>{t('auth.enrol.title')}</Heading>
        <p className="notice warn">{t('auth.twoFactor.expired')}</p>
        <p>
          <Link href={restartHref}>{t('auth.twoFactor.startAgain')}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <Heading>{t('auth.enrol.title')}</Heading>
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
        {state.messageKey ? <ErrorSummary messageKey={state.messageKey} values={state.messageValues} id="enrol-code-error" /> : null}
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
