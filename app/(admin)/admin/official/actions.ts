'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { areaStateAction } from '@/lib/http/area-action';
import { confirmOfficialImport, confirmOfficialMonth, discardOfficialImport, uploadOfficialFile } from '@/lib/official/store';
import { ADMIN_ANSWERS, formText } from '../_components/action-state';
import type { OfficialFormState } from './form-state';

/**
 * Official-statistics actions (issue 21), each an areaStateAction of the admin area (admins only;
 * the data layer checks again in its transaction and writes the audit event). Plain forms: they
 * work without scripts (a multipart post for the upload).
 */

/** Upload a CSV file: refused with every problem, or kept as a pending import → its preview. */
export const uploadOfficialFileAction = areaStateAction<OfficialFormState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const file = formData.get('file');
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return { ok: false, messageKey: 'official.errors.noFile' };
  const result = await uploadOfficialFile({ actor, file: { name: file.name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) } });
  if (!result.ok) return { ok: false, messageKey: result.messageKey, ...('problems' in result ? { problems: result.problems, problemCount: result.problemCount } : {}) };
  redirect(`/admin/official/imports/${result.importId}`);
});

/** Store a previewed import (the preview's basis posted back: refused if the store changed since). */
export const confirmOfficialImportAction = areaStateAction<OfficialFormState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = confirmOfficialImport({ actor, importId: formText(formData, 'importId', 20), basis: formText(formData, 'basis', 40) });
  if (!result.ok) return { ok: false, messageKey: result.messageKey };
  revalidatePath('/admin/official', 'layout');
  redirect('/admin/official?done=stored');
});

/** Drop a previewed import (nothing was stored). */
export const discardOfficialImportAction = areaStateAction<OfficialFormState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const result = discardOfficialImport({ actor, importId: formText(formData, 'importId', 20) });
  if (!result.ok) return { ok: false, messageKey: result.messageKey };
  redirect('/admin/official?done=discarded');
});

/** Confirm a flagged month as it stands, with a note (published beside its figures). */
export const confirmOfficialMonthAction = areaStateAction<OfficialFormState>('admin', ADMIN_ANSWERS, async ({ actor, formData }) => {
  const note = formText(formData, 'note', 2_000);
  const result = confirmOfficialMonth({
    actor,
    authority: formText(formData, 'authority', 40),
    month: formText(formData, 'month', 7),
    basis: formText(formData, 'basis', 4_000),
    note,
  });
  if (!result.ok) return { ok: false, messageKey: result.messageKey, fieldErrors: result.fieldErrors, values: { note } };
  revalidatePath('/admin/official', 'layout');
  redirect('/admin/official?done=confirmed');
});
