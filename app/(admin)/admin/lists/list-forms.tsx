'use client';

import { ConfirmBox } from '@/app/_components/form-parts';
import { AdminForm, SelectField, TextField, type AdminAction, type Choice } from '../_components/admin-form';

/** "Add an entry" for one list; places and agencies also ask for a kind, places for country and parent. */
export function AddEntryForm({ action, list, kinds, parents }: { action: AdminAction; list: string; kinds: Choice[] | null; parents: Choice[] | null }) {
  return (
    <AdminForm action={action} fields={{ list }} submit="Add entry">
      {(state) => (
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
      )}
    </AdminForm>
  );
}

/** Rename an entry in English and Korean. */
export function RenameEntryForm({ action, list, id, nameEn, nameKo }: { action: AdminAction; list: string; id: string; nameEn: string; nameKo: string }) {
  return (
    <AdminForm action={action} fields={{ list, id }} submit="Save names">
      {(state) => (
        <div className="grid-2">
          <TextField name="nameEn" label="English name" state={state} defaultValue={nameEn} />
          <TextField name="nameKo" label="Korean name" state={state} defaultValue={nameKo} />
        </div>
      )}
    </AdminForm>
  );
}

/** Merge an entry into another active entry of the same list. */
export function MergeEntryForm({ action, list, id, choices }: { action: AdminAction; list: string; id: string; choices: Choice[] }) {
  return (
    <AdminForm action={action} fields={{ list, id }} submit="Merge" variant="danger">
      {(state) => (
        <>
          <SelectField name="intoId" label="Merge into" choices={[{ value: '', label: '(choose the entry that stays)' }, ...choices]} state={state} />
          <p className="field-hint">Every report that names this entry will name the chosen one instead. This cannot be undone.</p>
          <ConfirmBox
            id="merge-confirm"
            label="I am sure: merge this entry. This cannot be undone."
            errors={state.fieldErrors?.confirm}
            key={`${state.messageKey ?? ''}-${state.done ?? ''}`}
          />
        </>
      )}
    </AdminForm>
  );
}
