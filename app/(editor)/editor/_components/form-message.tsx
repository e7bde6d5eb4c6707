'use client';

import { useEffect, useRef } from 'react';
import { useTranslations } from 'next-intl';
import type { EditorFormState } from './form-state';

/**
 * Move the keyboard focus to `ref` after each answer (`attempt` changed) that shows something
 * there, so a refusal is read where the button was pressed (issue 19 item 7). Without scripts the
 * form's permalink (#its id) takes the browser there instead.
 */
export function useFocusOnAnswer(ref: React.RefObject<HTMLElement | null>, attempt: number, isShown: boolean): void {
  useEffect(() => {
    if (attempt > 0 && isShown) ref.current?.focus();
  }, [ref, attempt, isShown]);
}

/**
 * The refusal of an editor form, beside its submit button: its message and every field message.
 * Focus moves to it after each answer. A stale version needs no reload link: the action revalidated
 * the page, which now shows the report as it is, and the form keeps what was typed.
 */
export function FormMessage({ state, id }: { state: Pick<EditorFormState, 'messageKey' | 'fieldErrors' | 'code' | 'attempt'>; id: string }) {
  const t = useTranslations();
  const ref = useRef<HTMLDivElement>(null);
  useFocusOnAnswer(ref, state.attempt, Boolean(state.messageKey));
  if (!state.messageKey) return null;
  const fieldMessages = [...new Set(Object.values(state.fieldErrors ?? {}).flat())].filter((m) => m !== state.messageKey);
  return (
    <div className="error-summary" role="alert" id={id} tabIndex={-1} ref={ref}>
      <p>{t(state.messageKey)}</p>
      {fieldMessages.length > 0 ? (
        <ul>
          {fieldMessages.map((m) => (
            <li key={m}>{t(m)}</li>
          ))}
        </ul>
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

