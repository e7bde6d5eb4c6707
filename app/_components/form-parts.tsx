'use client';

import type { InputHTMLAttributes, ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import { CONFIRM_FIELD, CONFIRM_VALUE } from '@/lib/confirmation';

/**
 * Pieces of a plain form posted to a Server Action (sign-in, invitation, account security, admin
 * forms): the summary of a refusal at the top, the refusals beside a field, a labelled input with
 * its hint and refusals. Texts come in as i18n keys (lib/refusal.ts `messageKey`, `fieldErrors`)
 * or as words; no data access.
 */

/**
 * A refusal at the top of a form, announced to screen readers: its message, then each field
 * refusal in `details` as a list (none when empty), then `children` (e.g. a link onwards).
 * @param values the message's placeholders (e.g. `{ seconds }` when throttled)
 */
export function ErrorSummary({
  messageKey,
  values,
  details,
  id,
  live,
  children,
}: {
  messageKey: string;
  values?: Record<string, number>;
  details?: readonly string[];
  id?: string;
  /** `aria-live="assertive"` on top of the alert role (the sign-in form). */
  live?: 'assertive';
  children?: ReactNode;
}) {
  const t = useTranslations();
  return (
    <div className="error-summary" role="alert" aria-live={live} id={id}>
      <p>{t(messageKey, values)}</p>
      {details?.length ? (
        <ul>
          {details.map((m) => (
            <li key={m}>{t(m)}</li>
          ))}
        </ul>
      ) : null}
      {children}
    </div>
  );
}

/** A field's refusals (i18n keys) beside it, as one paragraph `id`; nothing when there are none. */
export function FieldError({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  const t = useTranslations();
  if (!messages?.length) return null;
  return (
    <p className="field-error" id={id}>
      {messages.map((m) => t(m)).join(' ')}
    </p>
  );
}

/**
 * A labelled input with an optional hint and its refusals below, wired for screen readers: the
 * input is described by the hint (`<id>-hint`) and the refusals (`errorId`, default `<id>-error`)
 * and marked invalid while there are refusals. Other props go to the input as they are.
 * @param label the label's words (already translated)
 * @param hint a hint shown between label and input (already translated)
 * @param errors the field's refusals (i18n keys)
 */
export function InputField({
  id,
  label,
  hint,
  errors,
  errorId = `${id}-error`,
  ...input
}: { id: string; label: string; hint?: string; errors: readonly string[]; errorId?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby'>) {
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, errors.length ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input id={id} {...input} aria-invalid={errors.length > 0 || undefined} aria-describedby={describedBy} />
      <FieldError id={errorId} messages={errors} />
    </>
  );
}

/**
 * The confirming checkbox of an action that cannot be undone (lib/confirmation.ts): the Server
 * Action refuses the post unless it is ticked, so the confirmation works without scripts. Its
 * refusals (i18n keys) are shown below it.
 */
export function ConfirmBox({ id, label, errors }: { id: string; label: string; errors: readonly string[] | undefined }) {
  return (
    <div className="confirm-box">
      <input
        type="checkbox"
        id={id}
        name={CONFIRM_FIELD}
        value={CONFIRM_VALUE}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
      />{' '}
      <label htmlFor={id}>{label}</label>
      <FieldError id={`${id}-error`} messages={errors} />
    </div>
  );
}
