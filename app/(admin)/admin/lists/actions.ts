'use server';

import { revalidatePath } from 'next/cache';
import { addReferenceEntry, mergeReferenceEntry, renameReferenceEntry, restoreReferenceEntry, retireReferenceEntry } from '@/lib/reference/lists';
import { areaStateAction } from '@/lib/http/area-action';
import { isConfirmed } from '@/lib/confirmation';
import { ADMIN_ANSWERS, CONFIRM_REQUIRED, formText, type AdminActionState } from '../_components/action-state';

/**
 * Reference-list actions, each an areaStateAction of the admin area (lib/http/area-action.ts:
 * admins only; the data layer checks again in its transaction and writes a
 * `reference_list_changed` audit event).
 */

/** The list, entry id and (for a merge) surviving entry a form names. */
function entryOf(formData: FormData) {
  return { list: formText(formData, 'list', 20), id: formText(formData, 'id', 80) };
}

/** Add an entry to a list (list, nameEn, nameKo, and kind/country/parentId where the list has them). */
export const addEntryAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const list = formText(formData, 'list', 20);
  const nameEn = formText(formData, 'nameEn', 400);
  const input: Record<string, string> = { nameEn, nameKo: formText(formData, 'nameKo', 400) };
  if (list === 'places' || list === 'agencies') input.kind = formText(formData, 'kind', 40);
  if (list === 'places') {
    input.country = formText(formData, 'country', 4);
    input.parentId = formText(formData, 'parentId', 80);
  }
  const result = addReferenceEntry({ actor, list, input });
  if (!result.ok) return { ...result, values: input };
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: `Added “${nameEn.trim()}” (id ${result.id}).` };
});

/** Rename an entry in English and Korean. */
export const renameEntryAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const input = { nameEn: formText(formData, 'nameEn', 400), nameKo: formText(formData, 'nameKo', 400) };
  const result = renameReferenceEntry({ actor, ...entryOf(formData), input });
  if (!result.ok) return { ...result, values: input };
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: 'Renamed.' };
});

/** Retire an entry (kept on old reports, no longer offered). */
export const retireEntryAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = retireReferenceEntry({ actor, ...entryOf(formData) });
  if (!result.ok) return result;
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: 'Retired: old reports keep it; new reports can no longer choose it.' };
});

/** Offer a retired entry again. */
export const restoreEntryAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = restoreReferenceEntry({ actor, ...entryOf(formData) });
  if (!result.ok) return result;
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: 'Restored: new reports can choose it again.' };
});

/** Merge an entry into another of the same list (cannot be undone: only with the confirming tick). */
export const mergeEntryAction = areaStateAction<AdminActionState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  if (!isConfirmed(formData)) return { ...CONFIRM_REQUIRED, values: { intoId: formText(formData, 'intoId', 80) } };
  const result = mergeReferenceEntry({ actor, ...entryOf(formData), intoId: formText(formData, 'intoId', 80) });
  if (!result.ok) return result;
  revalidatePath('/admin/lists', 'layout');
  return { ok: true, done: `Merged: ${result.moved} report ${result.moved === 1 ? 'row' : 'rows'} moved to the surviving entry.` };
});
