/**
 * Prepared statements reused by their SQL text, for drizzle's queries (issue 20, budget 1a).
 * drizzle-orm's better-sqlite3 session prepares every query it runs anew (`client.prepare(sql)`
 * on each call), and SQLite's parse-and-plan was 4 % of a report submission's CPU under load, more
 * than a third of the time its statements took to run (CPU profile, bench/README.md "Where a
 * request's time goes"). The client handed to drizzle here keeps the last {@link STATEMENT_CACHE_SIZE}
 * statements by SQL text and gives drizzle a light handle on the kept one.
 *
 * A kept statement is shared by every handle of the same SQL, so nothing a caller sets on it may
 * leak to another: drizzle switches a statement to raw mode (rows as arrays) for selects with
 * fields, and that mode is sticky in better-sqlite3. Each handle keeps its own raw setting and
 * applies it before every call. A statement still busy (an `iterate()` not finished) is not
 * shared: the call gets a statement of its own. SQLite re-prepares a statement itself when the
 * schema changed (a migration), so a kept statement never runs against an old plan.
 *
 * Only drizzle's client goes through this; code that prepares statements on the raw connection
 * (`getSqlite().prepare`) keeps its own, as before.
 */
import type Database from 'better-sqlite3';

/** How many distinct SQL texts are kept (least recently used dropped first). */
export const STATEMENT_CACHE_SIZE = 500;

/** What drizzle's better-sqlite3 session calls on a statement. */
type StatementHandle = Pick<Database.Statement, 'run' | 'get' | 'all' | 'iterate'> & { raw: (toggle?: boolean) => StatementHandle };

/** What drizzle's better-sqlite3 session calls on its client. */
export type DrizzleClient = Pick<Database.Database, 'prepare' | 'transaction'>;

function handle(shared: Database.Statement, prepareOwn: () => Database.Statement): StatementHandle {
  let isRaw = false;
  const statement = (): Database.Statement => {
    const chosen = shared.busy ? prepareOwn() : shared;
    // raw() exists only for statements that return rows (a plain INSERT throws on it).
    if (chosen.reader) chosen.raw(isRaw);
    return chosen;
  };
  const self: StatementHandle = {
    raw(toggle = true) {
      isRaw = toggle;
      return self;
    },
    run: (...params: unknown[]) => statement().run(...params),
    get: (...params: unknown[]) => statement().get(...params),
    all: (...params: unknown[]) => statement().all(...params),
    iterate: (...params: unknown[]) => statement().iterate(...params),
  };
  return self;
}

/**
 * The client to give drizzle for `sqlite`: its `prepare` answers from a cache of the last
 * {@link STATEMENT_CACHE_SIZE} statements by SQL text (see the module comment); `transaction` is the
 * connection's own.
 * @param sqlite an open better-sqlite3 connection (the cache lives as long as this client)
 * @throws SQLite's error from `prepare` for SQL that does not compile (nothing is kept then)
 */
export function withStatementCache(sqlite: Database.Database, size: number = STATEMENT_CACHE_SIZE): DrizzleClient {
  const kept = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = kept.get(source);
    if (statement) {
      // Most recently used last: Map keeps insertion order.
      kept.delete(source);
    } else {
      statement = sqlite.prepare(source);
      if (kept.size >= size) kept.delete(kept.keys().next().value as string);
    }
    kept.set(source, statement);
    return handle(statement, () => sqlite.prepare(source)) as unknown as Database.Statement;
  };
  return {
    prepare: prepare as Database.Database['prepare'],
    transaction: sqlite.transaction.bind(sqlite) as Database.Database['transaction'],
  };
}
