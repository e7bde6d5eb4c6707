import 'server-only';
import type { Tx } from '@/db/client';
import type { Actor } from '@/lib/accounts/actor';
import { canUseArea } from '@/lib/auth/roles';
import { findReportForActor, type ReportAccessRow } from '@/lib/lifecycle/access';
import { FORBIDDEN, NOT_FOUND, STALE, type ReviewFailure } from './result';

/**
 * FORBIDDEN unless the actor may use the editors' area (AREA_ROLES.editor: editors and admins —
 * docs/product.md "Roles": admins can do everything editors can), else null.
 */
export function refuseNonEditor(actor: Actor): ReviewFailure | null {
  return canUseArea(actor.role, 'editor') ? null : { ...FORBIDDEN };
}

/**
 * Inside a write transaction: the report if `actor` may see it (editors: any report past draft)
 * and its version is still `version`, else `not_found` or `stale`. Checked in this order, so an
 * unknown id never reveals anything about versions.
 */
export function loadForEditorWrite(
  tx: Tx,
  { actor, reportId, version }: { actor: Actor; reportId: number; version: number },
): { ok: true; report: ReportAccessRow } | ReviewFailure {
  const report = findReportForActor({ actor, reportId, tx });
  if (!report) return { ...NOT_FOUND };
  if (report.version !== version) return { ...STALE };
  return { ok: true, report };
}
