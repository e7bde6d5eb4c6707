import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb, type Tx } from '@/db/client';
import { reports, type ReportStatus } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';

/** What access checks need of a report. */
export type ReportAccessRow = { id: number; authorId: number; status: ReportStatus; version: number };

/**
 * May `actor` see this report at all? Partners: only their own. Editors and admins: every report
 * past draft (a partner's draft is theirs alone). docs/product.md "Roles".
 */
export function canSeeReport(actor: Actor, report: Pick<ReportAccessRow, 'authorId' | 'status'>): boolean {
  if (actor.role === 'partner') return report.authorId === actor.id;
  return report.status !== 'draft';
}

/**
 * Load a report's access row if `actor` may see it, else null — callers answer 404, so a partner
 * never learns that another partner's report exists. Pass `tx` inside a write transaction.
 * @param reportId internal report id (any value; non-integers give null)
 */
export function findReportForActor({ actor, reportId, tx }: { actor: Actor; reportId: unknown; tx?: Tx }): ReportAccessRow | null {
  const id = typeof reportId === 'string' && /^\d{1,15}$/.test(reportId) ? Number(reportId) : reportId;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return null;
  const row = (tx ?? getDb())
    .select({ id: reports.id, authorId: reports.authorId, status: reports.status, version: reports.version })
    .from(reports)
    .where(eq(reports.id, id))
    .get();
  return row && canSeeReport(actor, row) ? row : null;
}
