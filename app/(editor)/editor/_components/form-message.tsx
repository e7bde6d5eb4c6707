'use client';

import { useTranslations } from 'next-intl';
import type { EditorFormState } from './form-state';

/**
 * The refusal of an editor form, at the top of the form: its message, every field message, and
 * for a stale version a link that reloads the report (what the editor typed stays in the form
 * until they follow it).
 */
export function FormMessage({ state, id, reloadHref }: { state: Pick<EditorFormState, 'messageKey' | 'fieldErrors' | 'code'>; id: string; reloadHref?: string }) {
  const t = useTranslations();
  if (!state.messageKey) return null;
  const fieldMessages = [...new Set(Object.values(state.fieldErrors ?? {}).flat())].filter((m) => m !== state.messageKey);
  return (
    <div className="error-summary" role="alert" id={id}>
      <p>{t(state.messageKey)}</p>
      {fieldMessages.length > 0 ? (
        <ul>
          {fieldMessages.map((m) => (
            <li key={m}>{t(m)}</li>
          ))}
        </ul>
      ) : null}
      {state.code === 'stale' && reloadHref ? (
        <p>
          <a href={reloadHref}>{t('review.page.reload')}</a>
        </p>
      ) : null}
    </div>
  );
}

/** Messages beside one field (nothing when it has none). */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  const t = useTranslations();
  if (!messages || messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.map((m) => t(m)).join(' ')}
    </p>
  );
}
