import 'server-only';
import { and, desc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import { getDb, writeTransaction } from '@/db/client';
import { accounts, messageReads, reportMessages, reports } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { findReportForActor } from '@/lib/lifecycle/access';
import { markUnreadForAssignee } from '@/lib/lifecycle/signals';
import { refuse, type Outcome } from '@/lib/refusal';
import { messageInputSchema } from './schema';

/**
 * One message thread per report between editors and its partner, plus editors' internal notes
 * (isInternal) that partners never see. Every function checks the caller's right to the report;
 * a report the caller may not see is "not found".
 */

export type ThreadMessage = {
  id: number;
  body: string;
  isInternal: boolean;
  createdAt: Date;
  /** 'partner' for the report's author, else 'editor'. Partners see no editor code names. */
  authorKind: 'partner' | 'editor';
  /** Code name of an editor author, shown to editors only (null for partners' view). */
  authorCodeName: string | null;
  isMine: boolean;
};

/**
 * Why a thread call was refused: `not_found` — the report is unknown to the caller (answer 404);
 * `forbidden` — a partner posting an internal note (403); `invalid_input` — the body failed
 * validation, or a partner wrote on a draft (400).
 */
export type MessageRefusalCode = 'not_found' | 'forbidden' | 'invalid_input';

/** `{ ok: true, … }` or a refusal (lib/refusal.ts) with an i18n key of the `messages` namespace. */
type Result<T extends object> = Outcome<T, MessageRefusalCode>;

/** The refusal for a report the caller may not see (a fresh object each time). */
function notFound() {
  return refuse('not_found', 'messages.errors.notFound');
}

/**
 * Messages on a report visible to `actor`, oldest first. Partners get the shared thread only
 * (never internal notes, never editors' code names); editors get both.
 */
export function listMessages({ actor, reportId }: { actor: Actor; reportId: unknown }): Result<{ messages: ThreadMessage[] }> {
  const report = findReportForActor({ actor, reportId });
  if (!report) return notFound();
  const isPartner = actor.role === 'partner';
  const rows = getDb()
    .select({
      id: reportMessages.id,
      body: reportMessages.body,
      isInternal: reportMessages.isInternal,
      createdAt: reportMessages.createdAt,
      authorId: reportMessages.authorId,
      authorCodeName: accounts.codeName,
    })
    .from(reportMessages)
    .innerJoin(accounts, eq(accounts.id, reportMessages.authorId))
    .where(and(eq(reportMessages.reportId, report.id), isPartner ? eq(reportMessages.isInternal, false) : undefined))
    .orderBy(reportMessages.id)
    .all();
  return {
    ok: true,
    messages: rows.map((r) => ({
      id: r.id,
      body: r.body,
      isInternal: r.isInternal,
      createdAt: r.createdAt,
      authorKind: r.authorId === report.authorId ? 'partner' : 'editor',
      authorCodeName: isPartner ? null : r.authorCodeName,
      isMine: r.authorId === actor.id,
    })),
  };
}

/**
 * Post a message. Partners may write on their own reports once submitted (not on drafts, which
 * no editor can see); editors on any report they can see, and only they may post internal notes.
 * A partner's message marks the report unread for its assigned editor (lib/lifecycle/signals.ts).
 * @returns the new message id; `not_found` if the report is unknown to the caller; `forbidden`
 *   (internal note by a partner); `invalid_input` with field errors (body) or on a partner's draft.
 */
export function postMessage({
  actor,
  reportId,
  input,
  isInternal = false,
}: {
  actor: Actor;
  reportId: unknown;
  input: unknown;
  isInternal?: boolean;
}): Result<{ messageId: number }> {
  const parsed = messageInputSchema.safeParse(input);
  if (!parsed.success) {
    return refuse('invalid_input', 'messages.errors.invalid', { body: parsed.error.issues.map((i) => i.message) });
  }
  if (isInternal && actor.role === 'partner') return refuse('forbidden', 'messages.errors.forbidden');
  return writeTransaction((tx) => {
    const report = findReportForActor({ actor, reportId, tx });
    if (!report) return notFound();
    if (actor.role === 'partner' && report.status === 'draft') return refuse('invalid_input', 'messages.errors.draft');
    const [row] = tx
      .insert(reportMessages)
      .values({ reportId: report.id, authorId: actor.id, body: parsed.data.body, isInternal })
      .returning({ id: reportMessages.id })
      .all();
    if (!row) throw new Error('message insert returned no row');
    upsertRead(tx, actor.id, report.id, row.id);
    // A partner's reply is news for the editor who holds the report (issue 19 item 4).
    if (report.authorId === actor.id) markUnreadForAssignee(tx, report.id, Date.now());
    return { ok: true as const, messageId: row.id };
  });
}

function upsertRead(tx: Parameters<Parameters<typeof writeTransaction>[0]>[0], accountId: number, reportId: number, messageId: number) {
  tx.insert(messageReads)
    .values({ accountId, reportId, lastReadMessageId: messageId })
    .onConflictDoUpdate({
      target: [messageReads.accountId, messageReads.reportId],
      set: { lastReadMessageId: sql`max(${messageReads.lastReadMessageId}, excluded.last_read_message_id)` },
    })
    .run();
}

/** Mark every message on a report the caller can see as read by the caller. No-op if none. */
export function markThreadRead({ actor, reportId }: { actor: Actor; reportId: unknown }): void {
  const report = findReportForActor({ actor, reportId });
  if (!report) return;
  const latest = getDb()
    .select({ id: reportMessages.id })
    .from(reportMessages)
    .where(eq(reportMessages.reportId, report.id))
    .orderBy(desc(reportMessages.id))
    .limit(1)
    .get();
  if (latest) writeTransaction((tx) => upsertRead(tx, actor.id, report.id, latest.id));
}

/**
 * Unread shared-thread messages per report for a partner (messages from editors newer than the
 * partner's last read), keyed by report id. Only the partner's own reports are counted.
 */
export function unreadCountsForPartner({ actor, reportIds }: { actor: Actor; reportIds: number[] }): Map<number, number> {
  const counts = new Map<number, number>();
  if (actor.role !== 'partner' || reportIds.length === 0) return counts;
  const rows = getDb()
    .select({ reportId: reportMessages.reportId, n: sql<number>`count(*)` })
    .from(reportMessages)
    .innerJoin(reports, eq(reports.id, reportMessages.reportId))
    .leftJoin(messageReads, and(eq(messageReads.reportId, reportMessages.reportId), eq(messageReads.accountId, actor.id)))
    .where(
      and(
        eq(reports.authorId, actor.id),
        inArray(reportMessages.reportId, reportIds),
        eq(reportMessages.isInternal, false),
        ne(reportMessages.authorId, actor.id),
        gt(reportMessages.id, sql`coalesce(${messageReads.lastReadMessageId}, 0)`),
      ),
    )
    .groupBy(reportMessages.reportId)
    .all();
  for (const r of rows) counts.set(r.reportId, r.n);
  return counts;
}

/**
 * Total unread shared-thread messages from editors across all of a partner's reports (the
 * header's badge). 0 for other roles.
 */
export function countUnreadForPartner({ actor }: { actor: Actor }): number {
  if (actor.role !== 'partner') return 0;
  const row = getDb()
    .select({ n: sql<number>`count(*)` })
    .from(reportMessages)
    .innerJoin(reports, eq(reports.id, reportMessages.reportId))
    .leftJoin(messageReads, and(eq(messageReads.reportId, reportMessages.reportId), eq(messageReads.accountId, actor.id)))
    .where(
      and(
        eq(reports.authorId, actor.id),
        eq(reportMessages.isInternal, false),
        ne(reportMessages.authorId, actor.id),
        gt(reportMessages.id, sql`coalesce(${messageReads.lastReadMessageId}, 0)`),
      ),
    )
    .get();
  return row?.n ?? 0;
}
