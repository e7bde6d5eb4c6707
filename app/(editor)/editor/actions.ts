'use server';

import { revalidatePath } from 'next/cache';
import { bulkDecide, type BulkDone } from '@/lib/review/decisions';
import { formFields, parseQueueParams } from '@/lib/review/schema';
import type { EditorFormState } from './_components/form-state';
import { areaStateAction } from '@/lib/http/area-action';
import { isConfirmed } from '@/lib/confirmation';

/** A bulk form's state: the refusal, or what was done and what was skipped. */
export type BulkFormState = EditorFormState & { done?: Omit<BulkDone, 'action'> & { action: string } };

/** The answer to a call our pages never make (lib/http/server-action.ts). */
const REFUSED: BulkFormState = { ok: false, code: 'invalid_input', messageKey: 'review.errors.invalidInput', values: {}, attempt: 0 };

function answer(prev: BulkFormState, result: ReturnType<typeof bulkDecide>, values: Record<string, string>): BulkFormState {
  if (!result.ok) {
    return { ok: false, code: result.code, messageKey: result.messageKey, fieldErrors: result.fieldErrors, values, attempt: prev.attempt + 1 };
  }
  revalidatePath('/editor', 'layout');
  return { ok: true, values: {}, attempt: prev.attempt + 1, done: { action: result.action, applied: result.applied, skipped: result.skipped } };
}

/**
 * Bulk action on the queue rows the editor ticked (`reports` = 'id:version' each). Checks the
 * caller (partners get 403), a reject's confirming box, then the review data layer validates and
 * writes in one transaction.
 */
export const bulkSelectedAction = areaStateAction<BulkFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<BulkFormState> => {
  const rows = formData.getAll('reports').filter((v): v is string => typeof v === 'string');
  const fields = formFields(formData);
  const values = { action: fields.action ?? '', reason: fields.reason ?? '', partnerReason: fields.partnerReason ?? '' };
  // A rejection cannot be undone: ticked rows need the confirming box too (lib/confirmation.ts);
  // the filtered form confirms on its own page instead.
  if (values.action === 'reject' && !isConfirmed(formData)) {
    const messageKey = 'review.errors.confirmRequired';
    return { ok: false, code: 'invalid_input', messageKey, fieldErrors: { confirm: [messageKey] }, values, attempt: prev.attempt + 1 };
  }
  return answer(prev, bulkDecide({ actor, input: values, selection: { kind: 'rows', rows } }), values);
});

/**
 * Bulk action on every report the filter matched when the editor confirmed: the confirmation form
 * carries the filters (queue URL names), and the snapshot's `maxId` and `asOf`.
 */
export const bulkFilteredAction = areaStateAction<BulkFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<BulkFormState> => {
  const fields = formFields(formData);
  const { filters } = parseQueueParams(fields);
  const values = { action: fields.action ?? '', reason: fields.reason ?? '', partnerReason: fields.partnerReason ?? '' };
  const result = bulkDecide({
    actor,
    input: values,
    selection: { kind: 'filter', filters, maxId: fields.maxId, asOf: fields.asOf },
  });
  return answer(prev, result, values);
});
