import 'server-only';
import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { reports } from '@/db/schema';

/**
 * The assigned editor's unread signal (issue 19 item 4): `reports.assigneeUnreadAt` holds when the
 * partner last replied or resubmitted while the editor who holds the report (`claimedBy`) had not
 * opened its review page since; null when read. The resubmission sets it in its transition
 * (transition.ts); a partner's reply sets it here; the assigned editor opening the review page
 * clears it (lib/review/assignment.ts `markReviewRead`). Neither touches `version` or `updatedAt`:
 * a signal is not a change to the report, and no open page goes stale for it.
 */

/**
 * Inside the caller's write transaction: mark the report unread for its assigned editor at `now`
 * (the partner's reply; lib/messages/thread.ts). Kept on a report that has nobody assigned, so
 * whoever takes it sees it unread.
 */
export function markUnreadForAssignee(tx: Tx, reportId: number, now: Date | number): void {
  tx.update(reports).set({ assigneeUnreadAt: new Date(now) }).where(eq(reports.id, reportId)).run();
}
