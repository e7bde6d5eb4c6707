'use client';

import type { ReactNode } from 'react';
import { useActionState } from 'react';
import { ConfirmBox, ErrorSummary, FieldError, InputField } from '@/app/_components/form-parts';
import { INITIAL_ADMIN_STATE, type AdminActionState } from './action-state';

/**
 * The admin forms' shared pieces: every admin form is a plain form posted to an admin Server
 * Action (app/(admin)/admin/actions.ts, lists/actions.ts) through useActionState, shows the
 * action's result or refusal at its top, and works without scripts. Texts of refusals are i18n
 * keys; the admin's own words are English (admin pages are English).
 */

/** An admin Server Action as useActionState calls it. */
export type AdminAction = (prev: AdminActionState, formData: FormData) => Promise<AdminActionState>;

/** What a form acts on (account id, list and entry id), posted as hidden fields. */
export type HiddenValues = Record<string, string | number>;

/** A choice of a select: the value posted and its label. */
export type Choice = { value: string; label: string };

function HiddenFields({ fields }: { fields: HiddenValues | undefined }) {
  return Object.entries(fields ?? {}).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

/** A one-time link, shown once: a read-only field to copy from, with its expiry. */
export function OneTimeLink({ link }: { link: NonNullable<AdminActionState['link']> }) {
  const id = `link-${link.codeName}`;
  return (
    <div className="notice ok">
      <label htmlFor={id}>One-time link for {link.codeName}</label>
      <input id={id} readOnly value={link.url} aria-describedby={`${id}-hint`} />
      <p className="field-hint" id={`${id}-hint`}>
        Copy it now and send it over a safe channel: it is shown only this once, works once, and expires{' '}
        {link.expiresAt.slice(0, 16).replace('T', ' ')} UTC.
      </p>
    </div>
  );
}

/** Result or refusal of an admin action, announced to screen readers. */
export function ActionResult({ state }: { state: AdminActionState }) {
  if (state.messageKey) return <ErrorSummary messageKey={state.messageKey} details={Object.values(state.fieldErrors ?? {}).flat()} />;
  if (state.ok && state.done) {
    return (
      <>
        <p className="notice ok" role="status">
          {state.done}
        </p>
        {state.link ? <OneTimeLink link={state.link} /> : null}
      </>
    );
  }
  return null;
}

/** A text field named `name` that keeps what was typed after a refusal and empties after success. */
export function TextField({ name, label, state, defaultValue }: { name: string; label: string; state: AdminActionState; defaultValue?: string }) {
  const value = state.ok ? (defaultValue ?? '') : (state.values?.[name] ?? defaultValue ?? '');
  return (
    <div>
      <InputField
        id={`f-${name}`}
        name={name}
        maxLength={400}
        defaultValue={value}
        key={`${name}-${value}-${state.messageKey ?? ''}-${state.done ?? ''}`}
        label={label}
        errors={state.fieldErrors?.[name] ?? []}
      />
    </div>
  );
}

/** A select named `name` that keeps the choice after a refusal. */
export function SelectField({ name, label, choices, state, defaultValue }: { name: string; label: string; choices: Choice[]; state: AdminActionState; defaultValue?: string }) {
  const errors = state.fieldErrors?.[name];
  return (
    <div>
      <label htmlFor={`f-${name}`}>{label}</label>
      <select
        id={`f-${name}`}
        name={name}
        defaultValue={state.values?.[name] ?? defaultValue}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `f-${name}-error` : undefined}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldError id={`f-${name}-error`} messages={errors} />
    </div>
  );
}

/**
 * An admin form: the action's result at the top, the hidden `fields`, the form's own fields
 * (`children`, given the action's last state so they can keep values and show field errors), one
 * submit button.
 * @param variant the submit button's style: primary (default), 'secondary' or 'danger'
 */
export function AdminForm({
  action,
  fields,
  submit,
  variant,
  children,
}: {
  action: AdminAction;
  fields?: HiddenValues;
  submit: string;
  variant?: 'secondary' | 'danger';
  children: (state: AdminActionState) => ReactNode;
}) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  return (
    <form action={formAction} noValidate>
      <ActionResult state={state} />
      <HiddenFields fields={fields} />
      {children(state)}
      <div className="row-actions">
        <button type="submit" className={variant} disabled={isPending}>
          {submit}
        </button>
      </div>
    </form>
  );
}

/**
 * One button acting on one thing (deactivate, reactivate, reset link, reset 2FA; retire, restore).
 * With `confirm`, a confirming checkbox with that label comes before the button (an action that
 * cannot be undone; the action checks it).
 * Pages render it always and pass `available`: after a change makes the action unavailable, the
 * component stays mounted so its result (and a one-time link) remains on screen, with or without
 * JavaScript.
 */
export function ActionButton({
  action,
  fields,
  label,
  explanation,
  available = true,
  variant = 'secondary',
  confirm,
}: {
  action: AdminAction;
  fields: HiddenValues;
  label: string;
  explanation?: string;
  available?: boolean;
  variant?: 'secondary' | 'danger';
  confirm?: { id: string; label: string };
}) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  if (!available) return state.ok ? <ActionResult state={state} /> : null;
  return (
    <form action={formAction}>
      <ActionResult state={state} />
      <HiddenFields fields={fields} />
      {explanation ? <p className="field-hint">{explanation}</p> : null}
      {confirm ? <ConfirmBox id={confirm.id} label={confirm.label} errors={state.fieldErrors?.confirm} key={`${state.messageKey ?? ''}-${state.done ?? ''}`} /> : null}
      <button type="submit" className={variant} disabled={isPending}>
        {label}
      </button>
    </form>
  );
}
