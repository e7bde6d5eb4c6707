'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { INITIAL_ADMIN_STATE, type AdminActionState } from '../_components/action-state';
import { ActionResult } from '../_components/account-forms';

type Action = (prev: AdminActionState, formData: FormData) => Promise<AdminActionState>;
type Choice = { value: string; label: string };

function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  const t = useTranslations();
  if (!messages?.length) return null;
  return (
    <p className="field-error" id={id}>
      {messages.map((m) => t(m)).join(' ')}
    </p>
  );
}

function TextField({ name, label, state, defaultValue }: { name: string; label: string; state: AdminActionState; defaultValue?: string }) {
  const errors = state.fieldErrors?.[name];
  const value = state.ok ? (defaultValue ?? '') : (state.values?.[name] ?? defaultValue ?? '');
  return (
    <div>
      <label htmlFor={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        name={name}
        maxLength={400}
        defaultValue={value}
        key={`${name}-${value}-${state.messageKey ?? ''}-${state.done ?? ''}`}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `f-${name}-error` : undefined}
      />
      <FieldError id={`f-${name}-error`} messages={errors} />
    </div>
  );
}

function SelectField({ name, label, choices, state, defaultValue }: { name: string; label: string; choices: Choice[]; state: AdminActionState; defaultValue?: string }) {
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

/** "Add an entry" for one list; places and agencies also ask for a kind, places for country and parent. */
export function AddEntryForm({ action, list, kinds, parents }: { action: Action; list: string; kinds: Choice[] | null; parents: Choice[] | null }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  return (
    <form action={formAction} noValidate>
      <ActionResult state={state} />
      <input type="hidden" name="list" value={list} />
      <div className="grid-2">
        <TextField name="nameEn" label="English name" state={state} />
        <TextField name="nameKo" label="Korean name" state={state} />
        {kinds ? <SelectField name="kind" label="Kind" choices={kinds} state={state} /> : null}
        {parents ? (
          <>
            <SelectField
              name="country"
              label="Country"
              choices={[
                { value: 'KP', label: 'North Korea' },
                { value: 'CN', label: 'China' },
              ]}
              state={state}
            />
            <SelectField name="parentId" label="Lies in" choices={[{ value: '', label: '(top level)' }, ...parents]} state={state} />
          </>
        ) : null}
      </div>
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          Add entry
        </button>
      </div>
    </form>
  );
}

/** Rename an entry in English and Korean. */
export function RenameEntryForm({ action, list, id, nameEn, nameKo }: { action: Action; list: string; id: string; nameEn: string; nameKo: string }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  return (
    <form action={formAction} noValidate>
      <ActionResult state={state} />
      <input type="hidden" name="list" value={list} />
      <input type="hidden" name="id" value={id} />
      <div className="grid-2">
        <TextField name="nameEn" label="English name" state={state} defaultValue={nameEn} />
        <TextField name="nameKo" label="Korean name" state={state} defaultValue={nameKo} />
      </div>
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          Save names
        </button>
      </div>
    </form>
  );
}

/** A single-button action on an entry (retire, restore). */
export function EntryButton({ action, list, id, label, explanation }: { action: Action; list: string; id: string; label: string; explanation: string }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  return (
    <form action={formAction}>
      <ActionResult state={state} />
      <input type="hidden" name="list" value={list} />
      <input type="hidden" name="id" value={id} />
      <p className="field-hint">{explanation}</p>
      <button type="submit" className="secondary" disabled={isPending}>
        {label}
      </button>
    </form>
  );
}

/** Merge an entry into another active entry of the same list. */
export function MergeEntryForm({ action, list, id, choices }: { action: Action; list: string; id: string; choices: Choice[] }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  return (
    <form action={formAction}>
      <ActionResult state={state} />
      <input type="hidden" name="list" value={list} />
      <input type="hidden" name="id" value={id} />
      <SelectField name="intoId" label="Merge into" choices={[{ value: '', label: '(choose the entry that stays)' }, ...choices]} state={state} />
      <p className="field-hint">Every report that names this entry will name the chosen one instead. This cannot be undone.</p>
      <div className="row-actions">
        <button type="submit" className="danger" disabled={isPending}>
          Merge
        </button>
      </div>
    </form>
  );
}
