import 'server-only';
import { eq, ne, and, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { reports } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { refuseNonEditor } from './guard';
import { listQueue } from './queue';
import type { ReviewResult } from './result';
import type { QueueContext, QueueCursor } from './schema';

/** The report after another one in a queue's order, and its own place in that order. */
export type NextInQueue = { id: number; at: QueueCursor } | null;

/**
 * Where a report stands in the queue's order when the review page's URL did not say (a link from
 * a notice, a nearby report): its submitted or observed time and id, the columns the queue sorts
 * on (lib/review/queue.ts). Null for best-match order (its key is the search's score, which only
 * the queue's own link carries) and for an unknown report or a draft.
 */
function positionOf(reportId: number, sort: QueueContext['filters']['sort']): QueueCursor | null {
  if (sort === 'relevance') return null;
  const row = getDb()
    .select({ submittedAt: sql<number | null>`${reports.submittedAt}`, observedFrom: sql<number | null>`${reports.observedFrom}` })
    .from(reports)
    .where(and(eq(reports.id, reportId), ne(reports.status, 'draft')))
    .get();
  const time = sort === 'observed' ? row?.observedFrom : row?.submittedAt;
  return time === null || time === undefined ? null : { time, id: reportId };
}

/**
 * The next report in the moderation queue's order after `reportId`, under the queue's filters
 * (issue 19 item 12, "next report"): the first row of the keyset page after the report's place
 * (decisions/0006-keyset-pagination.md), so it costs one indexed page read and honours every
 * filter and order the queue has. The report itself need not match the filter any more (after a
 * decision it usually does not): its place in the order is what counts.
 *
 * @param context the queue's filters and the report's place (`at`, from the queue's link); without
 *   `at`, the report's own sort column is read (time orders only).
 * @returns `{ ok: true, next }` (null: the report was the last, or its place is unknown);
 *   forbidden for non-editors.
 */
export function nextInQueue({ actor, reportId, context }: { actor: Actor; reportId: number; context: QueueContext }): ReviewResult<{ next: NextInQueue }> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const at = context.at && context.at.id === reportId ? context.at : positionOf(reportId, context.filters.sort);
  if (!at) return { ok: true, next: null };
  const page = listQueue({ actor, filters: context.filters, cursor: { direction: 'after', at }, pageSize: 1 });
  if (!page.ok) return page;
  const row = page.rows[0];
  return { ok: true, next: row ? { id: row.id, at: { time: row.sortTime, id: row.id } } : null };
}
