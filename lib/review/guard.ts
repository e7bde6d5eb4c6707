import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { reports, type ReportStatus, type Role } from '@/db/schema';
import type { SessionAccount } from '@/lib/auth/session';
import { findReportForActor } from '@/lib/reports/access';
import { FORBIDDEN, NOT_FOUND, STALE, type ReviewFailure } from './result';

/** The caller as the review data layer needs it. */
export type ReviewActor = Pick<SessionAccount, 'id' | 'role'>;

/** Editors and admins may moderate (docs/product.md "Roles": admins can do everything editors can). */
export function isEditorRole(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}

/** FORBIDDEN unless the actor is an editor or admin, else null. */
export function refuseNonEditor(actor: ReviewActor): ReviewFailure | null {
  return isEditorRole(actor.role) ? null : { ...FORBIDDEN };
}

/** What an editor write needs of the report it changes. */
export type GuardedReport = { id: number; authorId: number; status: ReportStatus; version: number };

/**
 * Inside a write transaction: the report if `actor` may see it (editors: any report past draft)
 * and its version is still `version`, else `not_found` or `stale`. Checked in this order, so an
 * unknown id never reveals anything about versions.
 */
export function loadForEditorWrite(
  tx: Tx,
  { actor, reportId, version }: { actor: ReviewActor; reportId: number; version: number },
): { ok: true; report: GuardedReport } | ReviewFailure {
  const report = findReportForActor({ actor, reportId, tx });
  if (!report) return { ...NOT_FOUND };
  if (report.version !== version) return { ...STALE };
  return { ok: true, report };
}

/**
 * Inside a write transaction: update the report's columns and bump its version, guarded by the
 * version read in the same transaction (defence in depth: BEGIN IMMEDIATE already serialises
 * writers). Throws if no row matched, which rolls the transaction back.
 * @returns the new version
 */
export function bumpReport(
  tx: Tx,
  report: Pick<GuardedReport, 'id' | 'version'>,
  set: Partial<typeof reports.$inferInsert>,
  now: Date,
): number {
  const next = report.version + 1;
  const result = tx
    .update(reports)
    .set({ ...set, version: next, updatedAt: now })
    .where(and(eq(reports.id, report.id), eq(reports.version, report.version)))
    .run();
  if (result.changes !== 1) throw new Error(`report ${report.id} changed inside its own write transaction`);
  return next;
}
