'use client';

import type { ReactNode } from 'react';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ErrorSummary } from '@/app/_components/form-parts';

/**
 * A form asking for one code (from the app, or a recovery code where allowed) and posting it to
 * `action`: heading, error summary, the field with its hint, one submit button. Shared by "turn
 * two-step sign-in off" and "new recovery codes", each with its own action and texts (i18n keys).
 * Always mounted by the page (`available` says whether to offer it), so that what `succeeded`
 * shows stays on screen after the page re-renders. Works without scripts (a plain form post).
 */
export function CodeForm<State extends { ok: boolean; messageKey?: string }>({
  action,
  initial,
  available,
  succeeded,
  idPrefix,
  titleKey,
  labelKey,
  hintKey,
  submitKey,
  numeric = false,
}: {
  action: (previous: Awaited<State>, formData: FormData) => Promise<State>;
  initial: Awaited<State>;
  available: boolean;
  /** What to show instead of the form after the action succeeded (null: the form again). */
  succeeded: (state: Awaited<State>) => ReactNode;
  idPrefix: string;
  titleKey: string;
  labelKey: string;
  hintKey: string;
  submitKey: string;
  /** Only digits expected (a code from the app): numeric keyboard on phones. */
  numeric?: boolean;
}) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<State, FormData>(action, initial);
  const done = state.ok ? succeeded(state) : null;
  if (done) return done;
  if (!available) return null;
  const { messageKey } = state;
  const fieldId = `${idPrefix}-code`;
  const hintId = `${idPrefix}-hint`;
  const errorId = `${idPrefix}-error`;
  return (
    <form action={formAction} noValidate>
      <h2>{t(titleKey)}</h2>
      {messageKey ? <ErrorSummary messageKey={messageKey} id={errorId} /> : null}
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
