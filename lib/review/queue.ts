import 'server-only';
import { and, asc, count, desc, eq, isNull, lte, max, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { cache } from 'react';
import { getDb, getSqlite, type DB, type Tx } from '@/db/client';
import {
  accounts,
  places,
  reportAgencies,
  reportGoods,
  reportMessages,
  reports,
  reportVehicles,
  type ReportStatus,
  type TimeZoneName,
} from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { localDateTimeToInstant } from '@/lib/reports/time';
import { refuseNonEditor } from './guard';
import type { ReviewResult } from './result';
import { QUEUE_PAGE_SIZE, QUEUE_STATUSES, type QueueCursor, type QueueFilters, type QueueStatus } from './schema';

/**
 * The moderation queue (issue 4): every report past draft, filtered, sorted by submitted or
 * observed time, newest first, with KEYSET pagination on (sort time, id) — never OFFSET — so a
 * page neither repeats nor skips rows when reports arrive between pages, even when many reports
 * share one timestamp (the id breaks ties).
 */

type Reader = DB | Tx;

/** The zone the queue's date filters are read in (the product's default report zone). */
export const QUEUE_DATE_ZONE: TimeZoneName = 'Asia/Pyongyang';

/** One row of the queue (what the table shows; no narrative, no safety note). */
export type QueueRow = {
  id: number;
  title: string;
  status: ReportStatus;
  version: number;
  partnerCodeName: string;
  placeNameEn: string | null;
  /** UTC ms, or null. */
  observedFrom: number | null;
  observedTo: number | null;
  timeZone: TimeZoneName;
  /** UTC ms, or null. */
  submittedAt: number | null;
  claimedByCodeName: string | null;
  isClaimedByMe: boolean;
  /** Held by the caller, and the partner replied or resubmitted since they last opened it. */
  isUnreadForMe: boolean;
  vehicleRows: number;
  goodsRows: number;
  /** The keyset value this row sorts by (UTC ms). */
  sortTime: number;
};

function dayStartInstant(date: string): number | null {
  const result = localDateTimeToInstant({ localDateTime: `${date}T00:00`, timeZone: QUEUE_DATE_ZONE });
  return result.ok ? result.instantMs : null;
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The sort key: submitted time or observed start, as the plain column so the indexes
 * reports_submitted (submitted_at, id), reports_status_submitted (status, submitted_at, id) and
 * reports_observed (observed_from, id) serve both ORDER BY and the keyset comparison (issue 10,
 * budget 2: an expression such as coalesce(…) is covered by no index, so every page read and
 * sorted the whole table). Never null for a queue row: every report past draft has both columns —
 * lib/reports/submit.ts sets submitted_at and requires observed_from (validate.ts), reopening or
 * requesting changes keeps them, and editors' edits (lib/review/edits.ts) never clear them.
 */
function sortExpression(filters: Pick<QueueFilters, 'sort'>): SQL<number> {
  return filters.sort === 'observed' ? sql<number>`${reports.observedFrom}` : sql<number>`${reports.submittedAt}`;
}

/**
 * The WHERE clause of the queue for `filters` (drafts are never part of it). `ignoreStatus` drops
 * the status filter (for counts per status). Exported for the bulk actions, which must match
 * exactly what the queue shows.
 */
export function queueWhere(filters: QueueFilters, actorId: number, { ignoreStatus = false } = {}): SQL {
  const parts: (SQL | undefined)[] = [ne(reports.status, 'draft')];
  if (filters.status && !ignoreStatus) parts.push(eq(reports.status, filters.status));
  if (filters.placeId) {
    // The place and every place under it in the gazetteer.
    parts.push(sql`${reports.placeId} IN (
      WITH RECURSIVE under(id) AS (
        SELECT ${filters.placeId}
        UNION SELECT ${places.id} FROM ${places} JOIN under ON ${places.parentId} = under.id
      ) SELECT id FROM under)`);
  }
  if (filters.partner) {
    parts.push(sql`${reports.authorId} IN (SELECT ${accounts.id} FROM ${accounts} WHERE ${accounts.codeName} = ${filters.partner} COLLATE NOCASE)`);
  }
  if (filters.observedFromDate) {
    const start = dayStartInstant(filters.observedFromDate);
    if (start !== null) parts.push(sql`${reports.observedTo} >= ${start}`);
  }
  if (filters.observedToDate) {
    const end = dayStartInstant(nextDay(filters.observedToDate));
    if (end !== null) parts.push(sql`${reports.observedFrom} < ${end}`);
  }
  if (filters.claim === 'me') parts.push(eq(reports.claimedBy, actorId));
  if (filters.claim === 'unclaimed') parts.push(isNull(reports.claimedBy));
  if (filters.claim?.startsWith('@')) {
    parts.push(sql`${reports.claimedBy} IN (SELECT ${accounts.id} FROM ${accounts} WHERE ${accounts.codeName} = ${filters.claim.slice(1)} COLLATE NOCASE)`);
  }
  if (filters.reply === 'partner') parts.push(sql`${reports.claimedBy} IS NOT NULL AND ${reports.assigneeUnreadAt} IS NOT NULL`);
  if (filters.reply === 'awaiting-me') {
    parts.push(eq(reports.claimedBy, actorId));
    parts.push(sql`(SELECT ${reportMessages.authorId} FROM ${reportMessages} WHERE ${reportMessages.reportId} = ${reports.id} AND ${reportMessages.isInternal} = 0
      ORDER BY ${reportMessages.id} DESC LIMIT 1) = ${reports.authorId}`);
  }
  if (filters.hasVehicles) parts.push(sql`EXISTS (SELECT 1 FROM ${reportVehicles} WHERE ${reportVehicles.reportId} = ${reports.id})`);
  if (filters.hasGoods) parts.push(sql`EXISTS (SELECT 1 FROM ${reportGoods} WHERE ${reportGoods.reportId} = ${reports.id})`);
  if (filters.agencyId) {
    parts.push(
      sql`EXISTS (SELECT 1 FROM ${reportAgencies} WHERE ${reportAgencies.reportId} = ${reports.id} AND ${reportAgencies.agencyId} = ${filters.agencyId})`,
    );
  }
  return and(...parts) ?? sql`1`;
}

export type QueuePage = {
  rows: QueueRow[];
  /** Cursor for the next page (older rows), or null when this is the last page. */
  next: QueueCursor | null;
  /** Cursor for the previous page (newer rows), or null on the first page. */
  previous: QueueCursor | null;
};

/**
 * One page of the moderation queue, newest first by the chosen sort time, ties broken by id.
 * @param cursor `after` = rows older than this (sort time, id); `before` = rows newer than it.
 * @param pageSize rows per page (default QUEUE_PAGE_SIZE, at most 200)
 * @returns forbidden for non-editors.
 */
export function listQueue({
  actor,
  filters,
  cursor = null,
  pageSize = QUEUE_PAGE_SIZE,
}: {
  actor: Actor;
  filters: QueueFilters;
  cursor?: { direction: 'after' | 'before'; at: QueueCursor } | null;
  pageSize?: number;
}): ReviewResult<QueuePage> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const size = Math.max(1, Math.min(200, Math.trunc(pageSize)));
  const sortTime = sortExpression(filters);
  const author = alias(accounts, 'author');
  const claimer = alias(accounts, 'claimer');
  const where = [queueWhere(filters, actor.id)];
  const isBackward = cursor?.direction === 'before';
  if (cursor) {
    where.push(
      isBackward
        ? sql`(${sortTime}, ${reports.id}) > (${cursor.at.time}, ${cursor.at.id})`
        : sql`(${sortTime}, ${reports.id}) < (${cursor.at.time}, ${cursor.at.id})`,
    );
  }
  const fetched = getDb()
    .select({
      id: reports.id,
      title: reports.title,
      status: reports.status,
      version: reports.version,
      partnerCodeName: author.codeName,
      placeNameEn: places.nameEn,
      observedFrom: sql<number | null>`${reports.observedFrom}`,
      observedTo: sql<number | null>`${reports.observedTo}`,
      timeZone: reports.timeZone,
      submittedAt: sql<number | null>`${reports.submittedAt}`,
      claimedBy: reports.claimedBy,
      claimedByCodeName: claimer.codeName,
      isUnread: sql<number>`${reports.assigneeUnreadAt} IS NOT NULL`,
      vehicleRows: sql<number>`(SELECT count(*) FROM ${reportVehicles} WHERE ${reportVehicles.reportId} = ${reports.id})`,
      goodsRows: sql<number>`(SELECT count(*) FROM ${reportGoods} WHERE ${reportGoods.reportId} = ${reports.id})`,
      sortTime,
    })
    .from(reports)
    .innerJoin(author, eq(author.id, reports.authorId))
    .leftJoin(claimer, eq(claimer.id, reports.claimedBy))
    .leftJoin(places, eq(places.id, reports.placeId))
    .where(and(...where))
    .orderBy(...(isBackward ? [asc(sortTime), asc(reports.id)] : [desc(sortTime), desc(reports.id)]))
    .limit(size + 1)
    .all();
  const hasMore = fetched.length > size;
  const page = fetched.slice(0, size);
  if (isBackward) page.reverse();
  const rows: QueueRow[] = page.map(({ claimedBy, isUnread, ...r }) => ({ ...r, isClaimedByMe: claimedBy === actor.id, isUnreadForMe: claimedBy === actor.id && Boolean(isUnread) }));
  const first = rows[0];
  const last = rows[rows.length - 1];
  const at = (r: QueueRow | undefined): QueueCursor | null => (r ? { time: r.sortTime, id: r.id } : null);
  return {
    ok: true,
    rows,
    next: isBackward ? at(last) : hasMore ? at(last) : null,
    previous: cursor === null ? null : isBackward ? (hasMore ? at(first) : null) : at(first),
  };
}

/**
 * A process-wide memo of the queue's counts, keyed on the state of the database: SQLite's
 * `PRAGMA data_version` (changes when ANOTHER connection commits) and `total_changes()` (rows
 * this process's connection has inserted, updated or deleted since it opened — any write here,
 * committed or rolled back). Either moving clears every entry, so a count is never older than the
 * last write; between writes the queue's status tabs and the "awaiting editors" notice cost two
 * pragma reads instead of a scan of the status index (issue 10, budget 2). On globalThis, because
 * Next.js may load this module more than once in one process; bounded to COUNT_MEMO_MAX entries.
 */
type CountMemo = { state: string; entries: Map<string, unknown> };
const globalForCounts = globalThis as unknown as { __fieldReportsQueueCounts?: CountMemo };
const COUNT_MEMO_MAX = 200;

function databaseState(): string {
  const sqlite = getSqlite();
  const dataVersion = sqlite.pragma('data_version', { simple: true }) as number;
  const changes = sqlite.prepare('SELECT total_changes()').pluck().get() as number;
  return `${dataVersion}:${changes}`;
}

function memoizeCount<T>(key: string, compute: () => T): T {
  const state = databaseState();
  const memo = (globalForCounts.__fieldReportsQueueCounts ??= { state, entries: new Map() });
  if (memo.state !== state) {
    memo.state = state;
    memo.entries.clear();
  }
  if (memo.entries.has(key)) return memo.entries.get(key) as T;
  const value = compute();
  if (memo.entries.size >= COUNT_MEMO_MAX) memo.entries.clear();
  memo.entries.set(key, value);
  return value;
}

/**
 * Reports per status under the current filters, ignoring the status filter itself (the queue's
 * status tabs). Every queue status is present (0 when none). Non-editors get all zeros.
 * Memoised until the next write to the database (see memoizeCount); the result is a fresh object.
 */
export function countQueueByStatus({ actor, filters }: { actor: Actor; filters: QueueFilters }): Record<QueueStatus, number> {
  const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, 0])) as Record<QueueStatus, number>;
  if (refuseNonEditor(actor)) return counts;
  // The claim filter 'me' depends on the actor, so the actor is part of the key.
  const key = `byStatus:${actor.id}:${JSON.stringify({ ...filters, status: null })}`;
  const rows = memoizeCount(key, () =>
    getDb()
      .select({ status: reports.status, n: count() })
      .from(reports)
      .where(queueWhere(filters, actor.id, { ignoreStatus: true }))
      .groupBy(reports.status)
      .all(),
  );
  for (const { status, n } of rows) if (status !== 'draft') counts[status] = n;
  return counts;
}

/** The awaiting count once per request (React `cache`) and once per database state (memoizeCount). */
const awaitingEditorsCount = cache((): number =>
  memoizeCount('awaiting', () => {
    // Served by the covering index reports_status_claimed (status, claimed_by).
    const row = getDb()
      .select({ n: count() })
      .from(reports)
      .where(and(eq(reports.status, 'submitted'), isNull(reports.claimedBy)))
      .get();
    return row?.n ?? 0;
  }),
);

/**
 * How many reports await an editor: submitted and not claimed (the editors' unread count, shown
 * in the site header and the editor area). 0 for non-editors. Computed once per request and
 * memoised until the next write to the database.
 */
export function countAwaitingEditors({ actor }: { actor: Actor }): number {
  if (refuseNonEditor(actor)) return 0;
  return awaitingEditorsCount();
}

/** What the editor confirms for a bulk action on "every report this filter matches". */
export type QueueSnapshot = {
  /** Reports matched now. */
  count: number;
  /** Highest matched report id (0 when none): reports with a larger id arrived later. */
  maxId: number;
  /** UTC ms when the match was taken: reports changed after it are skipped as stale. */
  asOf: number;
};

/**
 * Take the snapshot a bulk confirmation form carries: the count, the highest matched id and the
 * time. `asOf` is read BEFORE the match, so a report changed after the match has a later time.
 */
export function snapshotQueueMatch({ actor, filters }: { actor: Actor; filters: QueueFilters }): ReviewResult<QueueSnapshot> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const asOf = Date.now();
  const row = getDb()
    .select({ n: count(), maxId: max(reports.id) })
    .from(reports)
    .where(queueWhere(filters, actor.id))
    .get();
  return { ok: true, count: row?.n ?? 0, maxId: row?.maxId ?? 0, asOf };
}

/** Ids of reports the filter matches now with id ≤ maxId, ascending (bulk actions; inside their transaction). */
export function matchingReportIds(reader: Reader, { filters, actorId, maxId }: { filters: QueueFilters; actorId: number; maxId: number }): number[] {
  return reader
    .select({ id: reports.id })
    .from(reports)
    .where(and(queueWhere(filters, actorId), lte(reports.id, maxId)))
    .orderBy(asc(reports.id))
    .all()
    .map((r) => r.id);
}
