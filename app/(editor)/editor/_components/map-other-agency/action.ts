'use server';

import { revalidatePath } from 'next/cache';
import { getAccountWithRole } from '@/lib/auth/session';
import { mapOtherAgency } from '@/lib/reference/lists';
import { stateFormAction } from '@/lib/http/server-action';

export type MapOtherAgencyState = { ok: boolean; messageKey?: string; fieldErrors?: Record<string, string[]> };

/**
 * Map a partner's "other" agency row to an agency list entry (editors and admins). Checks the
 * caller itself; the data layer checks the report is visible to them and writes the audit event.
 */
export const mapOtherAgencyAction = stateFormAction({ ok: false, messageKey: 'accounts.errors.notAllowed' }, async (_prev: MapOtherAgencyState, formData: FormData): Promise<MapOtherAgencyState> => {
  const actor = await getAccountWithRole(['editor', 'admin']);
  if (!actor) return { ok: false, messageKey: 'accounts.errors.notAllowed' };
  const rowId = formData.get('reportAgencyRowId');
  const agencyId = formData.get('agencyId');
  const result = mapOtherAgency({
    actor,
    reportAgencyRowId: typeof rowId === 'string' ? rowId.slice(0, 20) : null,
    agencyId: typeof agencyId === 'string' ? agencyId.slice(0, 80) : null,
  });
  if (!result.ok) return { ok: false, messageKey: result.messageKey, fieldErrors: result.fieldErrors };
  revalidatePath(`/editor/reports/${result.reportId}`);
  return { ok: true, messageKey: 'reference.mapOther.done' };
});
