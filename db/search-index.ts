/**
 * The moderation queue's search index (issue 19; docs/decisions/0012-queue-search.md): the FTS5
 * table `report_search` holds one document per report past draft. Triggers (migration
 * 0014_report_search) note each report whose indexed text a statement changed in
 * `report_search_pending`, in the writing transaction; {@link flushSearchIndex} rebuilds those
 * documents, once per report however many rows were written (FTS5 flushes its pending index data
 * each time one document is written twice in a transaction: a trigger rebuilding per row made a
 * 20-row submission 20 flushes). db/client.ts catchUpSearchIndex runs it in a transaction of its
 * own, a second after the app's writes (one index segment for all of them: FTS5's merges stay out
 * of the submissions' transactions) and before the queue searches (lib/review/queue.ts), so a
 * search finds every committed report. Writers outside the app (scripts, test fixtures, the
 * benchmark's generator, which flushes itself) leave notes that the next catch-up takes up.
 * Mechanics only, no rules: which reports an editor may find is the queue's business.
 */
import type Database from 'better-sqlite3';

/** The columns of report_search, in the order of migration 0014's CREATE VIRTUAL TABLE. */
export const SEARCH_INDEX_COLUMNS = ['title', 'narrative', 'place_detail', 'time_note', 'row_notes', 'messages', 'notes'] as const;

/**
 * The one definition of a report's document: the statement that writes the documents of the
 * reports `r` for which `where` holds (text NFC through fr_nfc). Migration 0014's backfill is this
 * statement with `r.status <> 'draft'` (db/search-index.test.ts holds the committed migration to
 * it, so the two cannot drift apart); REBUILD_SQL is it for the noted reports. A change to the
 * document is a new migration that rebuilds every document with it.
 */
export function searchDocumentInsert(where: string): string {
  return `INSERT INTO report_search (rowid, ${SEARCH_INDEX_COLUMNS.join(', ')})
  SELECT r.id, fr_nfc(r.title), fr_nfc(r.narrative), fr_nfc(r.place_detail), fr_nfc(r.time_note),
    fr_nfc(concat_ws(char(10),
      (SELECT group_concat(trim(v.colours || ' ' || v.cargo), char(10) ORDER BY v.position) FROM report_vehicles v WHERE v.report_id = r.id),
      (SELECT group_concat(g.description, char(10) ORDER BY g.position) FROM report_goods g WHERE g.report_id = r.id),
      (SELECT group_concat(trim(coalesce(a.other_name, '') || ' ' || a.note), char(10) ORDER BY a.position) FROM report_agencies a WHERE a.report_id = r.id))),
    fr_nfc(coalesce((SELECT group_concat(m.body, char(10) ORDER BY m.id) FROM report_messages m WHERE m.report_id = r.id AND m.is_internal = 0), '')),
    fr_nfc(coalesce((SELECT group_concat(m.body, char(10) ORDER BY m.id) FROM report_messages m WHERE m.report_id = r.id AND m.is_internal = 1), ''))
  FROM reports r WHERE ${where}`;
}

/** Rebuild the noted reports' documents (drafts get none), in rowid order. */
/** The noted reports a flush takes up: the first `?` by id (-1: all of them). */
const NOTED = '(SELECT report_id FROM report_search_pending ORDER BY report_id LIMIT ?)';
const REBUILD_SQL = `${searchDocumentInsert(`r.id IN ${NOTED} AND r.status <> 'draft'`)} ORDER BY r.id`;

/**
 * The most index pages one background merge writes (FTS5's 'merge' command with a positive N:
 * "until roughly N pages of data have been written", https://sqlite.org/fts5.html#the_merge_command).
 * FTS5's own automatic merge, off since migration 0016, wrote 64 pages per index level at once,
 * every 64 leaf pages written: at 100,000 trigram documents one COMMIT in four held the event loop
 * 25–85 ms. 32 pages cost 3–8 ms (docs/decisions/0018-search-index-merges-in-steps.md).
 */
export const SEARCH_MERGE_PAGES = 32;

type Statements = {
  hasPending: Database.Statement;
  removeStale: Database.Statement;
  rebuild: Database.Statement;
  clear: Database.Statement;
  merge: Database.Statement;
  totalChanges: Database.Statement;
};
const prepared = new WeakMap<Database.Database, Statements>();

function statementsOf(sqlite: Database.Database): Statements {
  let statements = prepared.get(sqlite);
  if (!statements) {
    statements = {
      hasPending: sqlite.prepare('SELECT 1 FROM report_search_pending LIMIT 1').pluck(),
      removeStale: sqlite.prepare(`DELETE FROM report_search WHERE rowid IN ${NOTED}`),
      rebuild: sqlite.prepare(REBUILD_SQL),
      clear: sqlite.prepare(`DELETE FROM report_search_pending WHERE report_id IN ${NOTED}`),
      // A literal: FTS5 refuses a bound page count (better-sqlite3 binds numbers as REAL).
      merge: sqlite.prepare(`INSERT INTO report_search(report_search, rank) VALUES('merge', ${SEARCH_MERGE_PAGES})`),
      totalChanges: sqlite.prepare('SELECT total_changes()').pluck(),
    };
    prepared.set(sqlite, statements);
  }
  return statements;
}

/** True when some report's document waits to be rebuilt. */
export function hasPendingSearchWork(sqlite: Database.Database): boolean {
  return statementsOf(sqlite).hasPending.get() !== undefined;
}

/**
 * Rebuild the documents of the reports noted in `report_search_pending` — all of them, or the
 * first `limit` by id — and clear their notes, in the caller's transaction (call it inside one:
 * three statements that belong together). The connection must have fr_nfc (db/client.ts
 * registerSqlFunctions). Costs one indexed read when nothing is noted.
 * @param limit the most reports to take up (a document costs about 0.5–0.8 ms at 100,000
 *   documents; db/client.ts takes them up in steps of SEARCH_INDEX_STEP between requests)
 * @returns how many reports were taken up
 */
export function flushSearchIndex(sqlite: Database.Database, limit: number = -1): number {
  const statements = statementsOf(sqlite);
  if (statements.hasPending.get() === undefined) return 0;
  statements.removeStale.run(limit);
  statements.rebuild.run(limit);
  return statements.clear.run(limit).changes;
}

/**
 * Merge some of the index's segments: at most about SEARCH_MERGE_PAGES pages, and only when a
 * level holds FTS5's `usermerge` (4) segments or a merge is under way — FTS5's own automatic
 * merges are off (migration 0016), so the background catch-up in db/client.ts calls this after
 * each step and steps again while it finds work. In the caller's write transaction.
 * @returns true when it merged something (FTS5 changed two or more rows: "If the difference
 *   between the two values is 2 or greater, then work was performed", sqlite.org/fts5.html
 *   "The 'merge' Command"), false when nothing was left to merge
 */
export function mergeSearchIndex(sqlite: Database.Database): boolean {
  const statements = statementsOf(sqlite);
  const before = statements.totalChanges.get() as number;
  statements.merge.run();
  return (statements.totalChanges.get() as number) - before >= 2;
}
