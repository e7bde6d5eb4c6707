'use client';

import { useTranslations } from 'next-intl';

/**
 * A form asking for one code (from the app, or a recovery code where allowed): heading, error
 * summary, the field with its hint, one submit button. Shared by "turn two-step sign-in off" and
 * "new recovery codes"; each passes its own action (from useActionState) and texts (i18n keys).
 * Works without scripts (a plain form post).
 */
export function CodeForm({
  idPrefix,
  formAction,
  isPending,
  messageKey,
  titleKey,
  labelKey,
  hintKey,
  submitKey,
  numeric = false,
}: {
  idPrefix: string;
  formAction: (formData: FormData) => void;
  isPending: boolean;
  /** The refusal to show (an i18n key), if any. */
  messageKey: string | undefined;
  titleKey: string;
  labelKey: string;
  hintKey: string;
  submitKey: string;
  /** Only digits expected (a code from the app): numeric keyboard on phones. */
  numeric?: boolean;
}) {
  const t = useTranslations();
  const fieldId = `${idPrefix}-code`;
  const hintId = `${idPrefix}-hint`;
  const errorId = `${idPrefix}-error`;
  return (
    <form action={formAction} noValidate>
      <h2>{t(titleKey)}</h2>
      {messageKey ? (
        <div className="error-summary" role="alert" id={errorId}>
          <p>{t(messageKey)}</p>
        </div>
      ) : null}
      <label htmlFor={fieldId}>{t(labelKey)}</label>
      <p className="field-hint" id={hintId}>
        {t(hintKey)}
      </p>
      <input
        id={fieldId}
        name="code"
        inputMode={numeric ? 'numeric' : undefined}
        autoComplete="one-time-code"
        maxLength={64}
        aria-describedby={messageKey ? `${hintId} ${errorId}` : hintId}
        aria-invalid={messageKey ? true : undefined}
        key={messageKey ?? 'fresh'}
      />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t(submitKey)}
        </button>
      </div>
    </form>
  );
}
