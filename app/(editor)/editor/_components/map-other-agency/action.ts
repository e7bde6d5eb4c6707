'use server';

import { revalidatePath } from 'next/cache';
import { mapOtherAgency } from '@/lib/reference/lists';
import { areaStateAction } from '@/lib/http/area-action';

export type MapOtherAgencyState = { ok: boolean; messageKey?: string; fieldErrors?: Record<string, string[]> };

const NOT_ALLOWED: MapOtherAgencyState = { ok: false, messageKey: 'accounts.errors.notAllowed' };

/**
 * Map a partner's "other" agency row to an agency list entry (the editor area: editors and
 * admins; anyone else gets "not allowed"). The data layer checks the report is visible to them
 * and writes the audit event.
 */
export const mapOtherAgencyAction = areaStateAction<MapOtherAgencyState>('editor', { refused: NOT_ALLOWED, signedOut: NOT_ALLOWED }, async ({ actor, formData }) => {
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
