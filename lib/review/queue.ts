import 'server-only';
import { and, asc, count, desc, eq, inArray, isNull, lte, max, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { cache } from 'react';
import { catchUpSearchIndex, getDb, getSqlite, type DB, type Tx } from '@/db/client';
import { flushSearchIndex } from '@/db/search-index';
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
import {
  containsPattern,
  isIndexedTerm,
  matchExpression,
  SEARCH_COLUMNS,
  SEARCH_FIELDS,
  SEARCH_SCOPE_SIZE,
  searchScopeNotice,
  searchSnippet,
  searchTerms,
  type SearchField,
  type SearchScopeNotice,
  type SearchSnippet,
} from './search';

/**
 * The moderation queue (issue 4): every report past draft, filtered, sorted by submitted or
 * observed time, newest first, or oldest submitted first (issue 19), with KEYSET pagination on
 * (sort time, id) — never OFFSET — so a page neither repeats nor skips rows when reports arrive
 * between pages, even when many reports share one timestamp (the id breaks ties). With a search
 * (issue 19), best match first by bm25 is one more order, paged on (score, id) the same way.
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
  /** The keyset value this row sorts by (UTC ms; the bm25 score when sorted by best match). */
  sortTime: number;
  /** Where the search hit this report, in context; null without a search. */
  snippet: SearchSnippet | null;
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
  // 'oldest' runs the submitted-time index backwards; 'relevance' reads the joined search's score.
  if (filters.sort === 'relevance') return sql<number>`hits.score`;
  return filters.sort === 'observed' ? sql<number>`${reports.observedFrom}` : sql<number>`${reports.submittedAt}`;
}

/**
 * Before a search reads the index: documents noted since the last catch-up (writes of the last
 * second, db/client.ts SEARCH_INDEX_DELAY_MS; scripts, imports) are rebuilt first, in a write
 * transaction of their own, so a search finds every committed report. One indexed read when
 * nothing is noted.
 */
function catchUpSearchIndexFor(filters: Pick<QueueFilters, 'q'>): void {
  if (filters.q) catchUpSearchIndex();
}

/** A search's scope (lib/review/search.ts): its words and the lowest report id it looks at. */
type SearchScope = {
  terms: string[];
  /** The FTS5 MATCH expression of the words of 3+ characters, or null when every word is shorter. */
  match: string | null;
  /** Lowest report id in the scope (the SEARCH_SCOPE_SIZE-th newest candidate), or null: nothing to search. */
  floorId: number | null;
  notice: SearchScopeNotice;
};

/**
 * The scope of the search in `filters.q`, or null without one. Candidates, newest first, at most
 * SEARCH_SCOPE_SIZE + 1 (the one more tells whether the scope left reports out): report ids whose
 * document matches the long words (an FTS5 lookup read in rowid order, stopped early), or, when
 * every word is short, reports past draft (the index holds exactly those). Memoised per database
 * state, so the page, its counts and the bulk snapshot of one request read it once.
 */
function searchScope(filters: Pick<QueueFilters, 'q'>): SearchScope | null {
  const terms = searchTerms(filters.q ?? '');
  if (terms.length === 0) return null;
  const match = matchExpression(terms);
  const limit = SEARCH_SCOPE_SIZE + 1;
  const candidates = memoizeCount(`searchScope:${match ?? ''}`, () =>
    match === null
      ? getSqlite().prepare(`SELECT id FROM reports WHERE status <> 'draft' ORDER BY id DESC LIMIT ${limit}`).pluck().all()
      : getSqlite().prepare(`SELECT rowid FROM report_search WHERE report_search MATCH ? ORDER BY rowid DESC LIMIT ${limit}`).pluck().all(match),
  ) as number[];
  const floorId = candidates.length === 0 ? null : candidates[Math.min(candidates.length, SEARCH_SCOPE_SIZE) - 1]!;
  return { terms, match, floorId, notice: searchScopeNotice(terms, candidates.length) };
}

/**
 * The search's documents within its scope: report ids (`report_id`) whose indexed text holds every
 * word, and `score`, FTS5's bm25 (lower is a better match; 0 when every word is too short for the
 * index or `withScore` is false). The long words are an FTS5 lookup bounded below by the scope's
 * floor; the short ones a LIKE over the text of the scope's documents only.
 */
function searchHits(scope: SearchScope, { withScore = true } = {}): SQL {
  if (scope.floorId === null) return sql`SELECT 0 AS report_id, 0.0 AS score WHERE 0`;
  const conditions: SQL[] = scope.match === null ? [] : [sql`report_search MATCH ${scope.match}`];
  conditions.push(sql`rowid >= ${scope.floorId}`);
  for (const term of scope.terms.filter((t) => !isIndexedTerm(t))) {
    const pattern = containsPattern(term);
    const anyField = SEARCH_FIELDS.map((f) => sql`${sql.identifier(SEARCH_COLUMNS[f])} LIKE ${pattern} ESCAPE '\\'`);
    conditions.push(sql`(${sql.join(anyField, sql` OR `)})`);
  }
  const score = scope.match === null || !withScore ? sql`0.0` : sql`bm25(report_search)`;
  return sql`SELECT rowid AS report_id, ${score} AS score FROM report_search WHERE ${sql.join(conditions, sql` AND `)}`;
}

/**
 * What the queue should say about the search in `filters` (lib/review/search.ts
 * `SearchScopeNotice`): null without a search, for non-editors, or when the search covered every report.
 */
export function describeSearchScope({ actor, filters }: { actor: Actor; filters: QueueFilters }): SearchScopeNotice {
  if (refuseNonEditor(actor)) return null;
  catchUpSearchIndexFor(filters);
  return searchScope(filters)?.notice ?? null;
}

/**
 * The WHERE clause of the queue for `filters` (drafts are never part of it). `ignoreStatus` drops
 * the status filter (for counts per status). Exported for the bulk actions, which must match
 * exactly what the queue shows.
 */
export function queueWhere(filters: QueueFilters, actorId: number, { ignoreStatus = false, searchJoined = false } = {}): SQL {
  const parts: (SQL | undefined)[] = [ne(reports.status, 'draft')];
  const scope = searchJoined ? null : searchScope(filters);
  if (scope) parts.push(sql`${reports.id} IN (SELECT report_id FROM (${searchHits(scope, { withScore: false })}))`);
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
  if (filters.vehicleType) {
    parts.push(
      sql`EXISTS (SELECT 1 FROM ${reportVehicles} WHERE ${reportVehicles.reportId} = ${reports.id} AND ${reportVehicles.vehicleType} = ${filters.vehicleType})`,
    );
  }
  if (filters.goodsCategoryId) {
    parts.push(
      sql`EXISTS (SELECT 1 FROM ${reportGoods} WHERE ${reportGoods.reportId} = ${reports.id} AND ${reportGoods.categoryId} = ${filters.goodsCategoryId})`,
    );
  }
  if (filters.sourceReliability) parts.push(eq(reports.sourceReliability, filters.sourceReliability));
  if (filters.informationCredibility) parts.push(eq(reports.informationCredibility, filters.informationCredibility));
  return and(...parts) ?? sql`1`;
}

/** How an order runs: its key, and whether key and id ascend (both descend for newest first). */
type QueueOrder = { sort: QueueFilters['sort']; keyAscending: boolean; idAscending: boolean };

function queueOrder(sort: QueueFilters['sort']): QueueOrder {
  switch (sort) {
    case 'oldest':
      return { sort, keyAscending: true, idAscending: true };
    case 'relevance':
      // Lowest bm25 first; among equal scores (every word too short for the index) newest first.
      return { sort, keyAscending: true, idAscending: false };
    default:
      return { sort, keyAscending: false, idAscending: false };
  }
}

/**
 * Rows after `at` in the order (forward) or before it (backward). When key and id run the same way
 * it is one row-value comparison, which the sort's index serves (decisions/0006-keyset-pagination.md).
 */
function keysetAfter(order: QueueOrder, key: SQL<number>, at: QueueCursor, forward: boolean): SQL {
  const keyUp = order.keyAscending === forward;
  const idUp = order.idAscending === forward;
  if (keyUp === idUp) return keyUp ? sql`(${key}, ${reports.id}) > (${at.time}, ${at.id})` : sql`(${key}, ${reports.id}) < (${at.time}, ${at.id})`;
  return or(keyUp ? sql`${key} > ${at.time}` : sql`${key} < ${at.time}`, and(sql`${key} = ${at.time}`, idUp ? sql`${reports.id} > ${at.id}` : sql`${reports.id} < ${at.id}`)) ?? sql`0`;
}

/** The snippets of a page's reports, read from the index's stored text (at most one page of documents). */
function snippetsOf(ids: number[], terms: string[]): Map<number, SearchSnippet> {
  const out = new Map<number, SearchSnippet>();
  if (ids.length === 0) return out;
  const columns = sql.join(SEARCH_FIELDS.map((f) => sql`${sql.identifier(SEARCH_COLUMNS[f])} AS ${sql.identifier(f)}`), sql`, `);
  const documents = getDb().all<{ id: number } & Record<SearchField, string | null>>(
    sql`SELECT rowid AS id, ${columns} FROM report_search WHERE rowid IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
  );
  for (const { id, ...fields } of documents) {
    const snippet = searchSnippet(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? ''])), terms);
    if (snippet) out.set(id, snippet);
  }
  return out;
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
  const author = alias(accounts, 'author');
  const claimer = alias(accounts, 'claimer');
  catchUpSearchIndexFor(filters);
  const scope = searchScope(filters);
  const hits = scope ? searchHits(scope) : null;
  // Best match needs the search's score; without words there is none (the newest order stands in).
  const order = queueOrder(hits ? filters.sort : filters.sort === 'relevance' ? 'submitted' : filters.sort);
  const key = sortExpression({ sort: order.sort });
  const where = [queueWhere(filters, actor.id, { searchJoined: hits !== null })];
  const isBackward = cursor?.direction === 'before';
  if (cursor) where.push(keysetAfter(order, key, cursor.at, !isBackward));
  const forward = !isBackward;
  const orderBy = [order.keyAscending === forward ? asc(key) : desc(key), order.idAscending === forward ? asc(reports.id) : desc(reports.id)];
  // With a search, the page's ids are picked first from the scope's hits (reports and the hits
  // only), so the columns below are computed for one page of rows, not for every hit.
  const picked = hits
    ? getDb()
        .select({ id: reports.id, sortTime: key })
        .from(reports)
        .innerJoin(sql`(${hits}) AS hits`, sql`hits.report_id = ${reports.id}`)
        .where(and(...where))
        .orderBy(...orderBy)
        .limit(size + 1)
        .all()
    : null;
  const pickedIds = picked?.map((r) => r.id) ?? [];
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
      sortTime: picked ? sql<number>`0` : key,
    })
    .from(reports)
    .innerJoin(author, eq(author.id, reports.authorId))
    .leftJoin(claimer, eq(claimer.id, reports.claimedBy))
    .leftJoin(places, eq(places.id, reports.placeId))
    .where(picked ? inArray(reports.id, pickedIds) : and(...where))
    .orderBy(...(picked ? [] : orderBy))
    .limit(size + 1)
    .all();
  if (picked) {
    // The picked order, with the search's sort keys (the page's rows all exist: same snapshot).
    const byId = new Map(fetched.map((r) => [r.id, r]));
    fetched.splice(0, fetched.length, ...picked.flatMap((p) => {
      const row = byId.get(p.id);
      return row ? [{ ...row, sortTime: p.sortTime }] : [];
    }));
  }
  const hasMore = fetched.length > size;
  const page = fetched.slice(0, size);
  if (isBackward) page.reverse();
  const snippets = hits ? snippetsOf(page.map((r) => r.id), searchTerms(filters.q ?? '')) : new Map<number, SearchSnippet>();
  const rows: QueueRow[] = page.map(({ claimedBy, isUnread, ...r }) => ({
    ...r,
    isClaimedByMe: claimedBy === actor.id,
    isUnreadForMe: claimedBy === actor.id && Boolean(isUnread),
    snippet: snippets.get(r.id) ?? null,
  }));
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
  catchUpSearchIndexFor(filters);
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
  catchUpSearchIndexFor(filters);
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
  // Inside the bulk action's transaction: take up any noted document here, not after the commit.
  if (filters.q) flushSearchIndex(getSqlite());
  return reader
    .select({ id: reports.id })
    .from(reports)
    .where(and(queueWhere(filters, actorId), lte(reports.id, maxId)))
    .orderBy(asc(reports.id))
    .all()
    .map((r) => r.id);
}
