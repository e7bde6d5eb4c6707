'use client';

import { useActionState } from 'react';
import { ErrorSummary, FieldError } from '@/app/_components/form-parts';
import type { OfficialFormState } from './form-state';

/**
 * The official-statistics forms (issue 21): plain forms posted to the Server Actions of
 * actions.ts through useActionState, so they work without scripts; each shows its refusal at its
 * top. Admin pages are English; refusal headlines are i18n keys.
 */

type OfficialAction = (prev: OfficialFormState, formData: FormData) => Promise<OfficialFormState>;
const INITIAL: OfficialFormState = { ok: false };

/** A refusal: its headline, and a refused file's problems (English sentences) beneath. */
function Refusal({ state }: { state: OfficialFormState }) {
  if (!state.messageKey) return null;
  return (
    <ErrorSummary messageKey={state.messageKey}>
      {state.problems?.length ? (
        <ul>
          {state.problems.map((problem, i) => (
            <li key={i}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {state.problemCount && state.problems && state.problemCount > state.problems.length ? (
        <p>… and {state.problemCount - state.problems.length} more.</p>
      ) : null}
    </ErrorSummary>
  );
}

/** Upload a CSV file of official figures (multipart; a preview follows). */
export function UploadForm({ action }: { action: OfficialAction }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL);
  return (
    <form action={formAction} encType="multipart/form-data" noValidate>
      <Refusal state={state} />
      <label htmlFor="official-file">CSV file (UTF-8, at most 1 MiB)</label>
      <input id="official-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="official-file-hint" />
      <p className="field-hint" id="official-file-hint">
        Nothing is stored yet: the next page shows every row and what each check says, and stores it only when you confirm.
      </p>
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          Upload and preview
        </button>
      </div>
    </form>
  );
}

/** Confirm or discard a previewed import. */
export function ImportDecision({ confirm, discard, importId, basis }: { confirm: OfficialAction; discard: OfficialAction; importId: number; basis: string }) {
  const [confirmState, confirmAction, isConfirming] = useActionState(confirm, INITIAL);
  const [discardState, discardAction, isDiscarding] = useActionState(discard, INITIAL);
  return (
    <div className="row-actions">
      <form action={confirmAction}>
        <Refusal state={confirmState} />
        <input type="hidden" name="importId" value={importId} />
        <input type="hidden" name="basis" value={basis} />
        <button type="submit" disabled={isConfirming}>
          Confirm and store
        </button>
      </form>
      <form action={discardAction}>
        <Refusal state={discardState} />
        <input type="hidden" name="importId" value={importId} />
        <button type="submit" className="secondary" disabled={isDiscarding}>
          Discard
        </button>
      </form>
    </div>
  );
}

/** Confirm a flagged month as it stands, with a note that is published beside its figures. */
export function ConfirmMonthForm({ action, authority, month, basis }: { action: OfficialAction; authority: string; month: string; basis: string }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL);
  const id = `note-${authority}-${month}`;
  const errors = state.fieldErrors?.note;
  return (
    <form action={formAction}>
      <Refusal state={state} />
      <input type="hidden" name="authority" value={authority} />
      <input type="hidden" name="month" value={month} />
      <input type="hidden" name="basis" value={basis} />
      <label htmlFor={id}>Note for {month} (published beside its figures)</label>
      <textarea
        id={id}
        name="note"
        rows={2}
        maxLength={1000}
        defaultValue={state.values?.note ?? ''}
        key={state.values?.note ?? ''}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} messages={errors} />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          Confirm {month} as it stands
        </button>
      </div>
    </form>
  );
}
