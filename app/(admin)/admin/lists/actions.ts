'use server';

import { revalidatePath } from 'next/cache';
import { getAccountWithRole } from '@/lib/auth/session';
import { addReferenceEntry, mergeReferenceEntry, renameReferenceEntry, restoreReferenceEntry, retireReferenceEntry } from '@/lib/reference/lists';
import type { AdminActionState } from '../_components/action-state';
import { stateFormAction } from '@/lib/http/server-action';

/**
 * Reference-list actions (admins only; each checks the caller itself, the data layer checks again
 * in its transaction and writes a `reference_list_changed` audit event).
 */

const NOT_ALLOWED: AdminActionState = { ok: false, messageKey: 'accounts.errors.notAllowed' };

function field(formData: FormData, name: string, max = 400): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function refused(result: { message: string; fieldErrors?: Record<string, string[]> }, values?: Record<string, string>): AdminActionState {
  return { ok: false, messageKey: result.message, fieldErrors: result.fieldErrors, values };
}

/** Add an entry to a list (list, nameEn, nameKo, and kind/country/parentId where the list has them). */
export const addEntryAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const list = field(formData, 'list', 20);
  const nameEn = field(formData, 'nameEn');
  const input: Record<string, string> = { nameEn, nameKo: field(formData, 'nameKo') };
  if (list === 'places' || list === 'agencies') input.kind = field(formData, 'kind', 40);
  if (list === 'places') {
    input.country = field(formData, 'country', 4);
    input.parentId = field(formData, 'parentId', 80);
  }
  const result = addReferenceEntry({ actor, list, input });
  if (!result.ok) return refused(result, input);
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: `Added “${nameEn.trim()}” (id ${result.id}).` };
});

/** Rename an entry in English and Korean. */
export const renameEntryAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const input = { nameEn: field(formData, 'nameEn'), nameKo: field(formData, 'nameKo') };
  const result = renameReferenceEntry({ actor, list: field(formData, 'list', 20), id: field(formData, 'id', 80), input });
  if (!result.ok) return refused(result, input);
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: 'Renamed.' };
});

/** Retire an entry (kept on old reports, no longer offered). */
export const retireEntryAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = retireReferenceEntry({ actor, list: field(formData, 'list', 20), id: field(formData, 'id', 80) });
  if (!result.ok) return refused(result);
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: 'Retired: old reports keep it; new reports can no longer choose it.' };
});

/** Offer a retired entry again. */
export const restoreEntryAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = restoreReferenceEntry({ actor, list: field(formData, 'list', 20), id: field(formData, 'id', 80) });
  if (!result.ok) return refused(result);
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: 'Restored: new reports can choose it again.' };
});

/** Merge an entry into another of the same list. */
export const mergeEntryAction = stateFormAction(NOT_ALLOWED, async (_prev: AdminActionState, formData: FormData): Promise<AdminActionState> => {
  const actor = await getAccountWithRole(['admin']);
  if (!actor) return NOT_ALLOWED;
  const result = mergeReferenceEntry({ actor, list: field(formData, 'list', 20), id: field(formData, 'id', 80), intoId: field(formData, 'intoId', 80) });
  if (!result.ok) return refused(result);
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: `Merged: ${result.moved} report ${result.moved === 1 ? 'row' : 'rows'} moved to the surviving entry.` };
});
