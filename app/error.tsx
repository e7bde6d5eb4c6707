'use client';

import { useTranslations } from 'next-intl';

/** Unexpected errors: a plain message, never a stack trace or database message. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('common.errors');
  return (
    <>
      <h1>{t('unexpectedTitle')}</h1>
      <p>{t('unexpected')}</p>
      <button type="button" onClick={reset}>
        {t('tryAgain')}
      </button>
    </>
  );
}
