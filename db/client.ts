/**
 * The one SQLite connection of a server process, encrypted at rest and opened with the pragmas
 * docs/security/README.md requires: WAL, synchronous=FULL (every acknowledged commit is on disk),
 * foreign keys, a busy timeout, secure_delete, temporary tables in memory.
 * Only the server-only data layer in lib/ and the scripts in db/ import this module.
 *
 * Encryption: SQLite3 Multiple Ciphers (npm `better-sqlite3-multiple-ciphers`, installed under the
 * name `better-sqlite3`) with the SQLCipher v4 scheme and a raw 256-bit key derived from the data
 * key (lib/at-rest/keys.ts); why that cipher: docs/decisions/0002-encryption-at-rest.md.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { getDerivedKey, isPlaintextMode, KeyError } from '@/lib/at-rest/keys';
import * as schema from './schema';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { flushSearchIndex, hasPendingSearchWork, mergeSearchIndex } from './search-index';
import { withStatementCache } from './statement-cache';

export type DB = BetterSQLite3Database<typeof schema>;
/** The transaction handle drizzle passes to `writeTransaction` callbacks. */
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];

/** Directory holding the database and uploads: DATA_DIR, default ./data (created on first use). */
export function getDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || './data');
}

/** Path of the SQLite database file inside the data directory. */
export function getDatabasePath(): string {
  return path.join(getDataDir(), 'field-reports.db');
}

/**
 * Owner-only permissions for the data: a directory made here 0700 (an existing one is left as the
 * operator set it: DATA_DIR could be a shared folder), the database file 0600 (SQLite gives its
 * -wal and -shm files the database file's mode). The database holds partners' code names, reports
 * and safety notes, so other users of the machine must not read it whatever the umask. A new file
 * is created 0600 before SQLite opens it; an older one is narrowed. chmod failures (a file owned by
 * someone else) are left to the operator: the open itself still goes on.
 */
function restrictToOwner(file: string): void {
  // turbopackIgnore: these paths are DATA_DIR's, known only at run time (not files to trace).
  const dir = path.dirname(/*turbopackIgnore: true*/ file);
  fs.mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(/*turbopackIgnore: true*/ file)) fs.closeSync(fs.openSync(/*turbopackIgnore: true*/ file, 'a', 0o600));
  for (const target of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const mode = fs.statSync(/*turbopackIgnore: true*/ target, { throwIfNoEntry: false })?.mode;
      if (mode !== undefined && (mode & 0o777) !== 0o600) fs.chmodSync(/*turbopackIgnore: true*/ target, 0o600);
    } catch {
      // Not ours to change.
    }
  }
}

/** The first 16 bytes of every plain-text SQLite database ("SQLite format 3\0"). */
const PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * True when `file` exists and is a plain-text SQLite database (an encrypted one starts with
 * random-looking bytes). A missing or empty file is not plain text.
 */
export function isPlaintextDatabase(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(/*turbopackIgnore: true*/ file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(PLAINTEXT_HEADER.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(PLAINTEXT_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/** The pragmas that give a connection its key (SQLCipher v4 scheme, raw 32-byte key), in order. */
function keyPragmas(key: Buffer): string[] {
  return [`cipher = 'sqlcipher'`, 'legacy = 4', `key = "x'${key.toString('hex')}'"`];
}

/**
 * Give a freshly opened connection its key (SQLCipher v4 scheme, raw key: no PBKDF2 at each open)
 * and prove it opens the file. Must run before any other statement on the connection.
 * @param key 32 bytes
 * @throws KeyError naming the file when it is plain text or the key does not open it (a wrong key
 *   and a damaged first page look the same to SQLCipher: both fail the page's HMAC)
 */
export function applyDatabaseKey(sqlite: Database.Database, key: Buffer, file: string): void {
  for (const pragma of keyPragmas(key)) sqlite.pragma(pragma);
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    sqlite.close();
    if (isPlaintextDatabase(file)) {
      throw new KeyError(`${file} is a plain-text (unencrypted) database. Stop the app and run \`npm run encrypt-data\` (README: "Encryption at rest").`);
    }
    const code = (error as { code?: string }).code;
    throw new KeyError(
      code === 'SQLITE_NOTADB'
        ? `${file} does not open with this key: the wrong key or passphrase, or the file is damaged.`
        : `${file} could not be opened (${code ?? 'unknown error'}).`,
    );
  }
}

/**
 * The SQL functions the project's own statements call; openSqlite registers them on every
 * connection (and the benchmark's generator on its own).
 * - `fr_nfc(text)`: the text in Unicode NFC (non-text values unchanged). The queue's search index
 *   (db/search-index.ts, docs/decisions/0012-queue-search.md) stores NFC so a name typed composed
 *   finds one stored decomposed and the other way round.
 */
export function registerSqlFunctions(sqlite: Database.Database): void {
  sqlite.function('fr_nfc', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.normalize('NFC') : value));
}

/**
 * Open a better-sqlite3 connection with the project's pragmas.
 * @param file path of the database file; its directory is created if missing, and both are made
 *   owner-only (see restrictToOwner).
 * @param key 32-byte SQLCipher key; default: the data key's `database` subkey. `null` opens a
 *   plain-text file (only encrypt-data reading its source, and the benchmark's plain comparison).
 * @throws KeyError (wrong key, plain-text file, unusable key file); SealedError while sealed
 */
export function openSqlite(file: string = getDatabasePath(), { key = defaultDatabaseKey() }: { key?: Buffer | null } = {}): Database.Database {
  restrictToOwner(file);
  const sqlite = new Database(file);
  if (key) applyDatabaseKey(sqlite, key, file);
  trackConnection(sqlite);
  registerSqlFunctions(sqlite);
  // Deleted rows (a draft, a photo's row) are overwritten, not left in free pages; temporary
  // b-trees (sorts, FTS merges) stay in memory, never in an unencrypted temp file.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Truncate the WAL back to 8 MiB after each checkpoint so it cannot grow without bound.
  sqlite.pragma('journal_size_limit = 8388608');
  return sqlite;
}

/** The main database's key, or null in the benchmark's plain-text mode. */
function defaultDatabaseKey(): Buffer | null {
  return isPlaintextMode() ? null : getDerivedKey('database');
}

type Handle = { sqlite: Database.Database; db: DB; checkpointer: Checkpointer | null };
const globalForDb = globalThis as unknown as {
  __fieldReportsDb?: Handle;
  __fieldReportsConnections?: Set<Database.Database>;
  __fieldReportsBackgroundCheckpoints?: boolean;
};

/**
 * Let the process-wide connection's WAL checkpoints run in a worker thread (db/checkpointer.ts),
 * from the next time it opens. server.ts turns this on; scripts and tests, which write little and
 * open the database many times, keep SQLite's own checkpoints.
 * @param on false turns it off again (tests)
 */
export function enableBackgroundCheckpoints(on = true): void {
  globalForDb.__fieldReportsBackgroundCheckpoints = on;
}

/** How many checkpoints the worker of the open connection has run; null without one. */
export function backgroundCheckpoints(): number | null {
  return globalForDb.__fieldReportsDb?.checkpointer?.checkpoints() ?? null;
}

/**
 * Every connection openSqlite made in this process and that may still be open, so that
 * closeDatabase can close them all at shutdown (the main database and the sign-in throttle store,
 * whichever module instance opened them: server.ts and Next's bundle each load this file, so the
 * set lives on globalThis like the cached connection). Closed ones are dropped as new ones come.
 */
function openConnections(): Set<Database.Database> {
  globalForDb.__fieldReportsConnections ??= new Set();
  return globalForDb.__fieldReportsConnections;
}

function trackConnection(sqlite: Database.Database): void {
  const connections = openConnections();
  for (const c of connections) if (!c.open) connections.delete(c);
  connections.add(sqlite);
}

function getHandle(): Handle {
  if (!globalForDb.__fieldReportsDb) {
    const file = getDatabasePath();
    const key = defaultDatabaseKey();
    const sqlite = openSqlite(file, { key });
    // The file exists now (and is in WAL mode): a worker's connection can open it.
    let checkpointer: Checkpointer | null = null;
    if (globalForDb.__fieldReportsBackgroundCheckpoints) {
      try {
        checkpointer = startCheckpointer(file, [...(key ? keyPragmas(key) : []), 'synchronous = FULL']);
      } catch {
        // No worker thread (a resource limit): SQLite's own checkpoints, as before.
      }
    }
    // drizzle prepares every query anew: its client keeps the statements by SQL text (db/statement-cache.ts).
    globalForDb.__fieldReportsDb = { sqlite, db: drizzle({ client: withStatementCache(sqlite) as Database.Database, schema }), checkpointer };
  }
  return globalForDb.__fieldReportsDb;
}

/** The process-wide drizzle database (opened lazily, so importing this module does no I/O). */
export function getDb(): DB {
  return getHandle().db;
}

/** What runs drizzle queries: the process-wide database, a transaction of it, or another connection's (scripts and tests). */
export type Queryable = DB | Tx;

/**
 * A getter for queries prepared once per connection: drizzle builds a query's SQL from its parts
 * on every call unless it is prepared (`.prepare()` with `sql.placeholder`), and on a hot path that
 * building costs more than running the statement (issue 20, budget 1a). The getter takes the
 * database or transaction the caller runs on and answers the queries prepared on that
 * connection, so a prepared query runs inside the caller's transaction. drizzle gives a
 * transaction, and each savepoint in it, its database's session: that session is the key, and
 * `prepare` runs once per session (a new connection after closeDb, another DATA_DIR, a script's
 * own connection).
 * @param prepare builds the prepared queries on `on` (preparing through a transaction is the same
 *   as through its database: the query keeps the session's statement, not the transaction)
 * @returns a function answering the prepared queries of the connection `on` runs on
 */
export function preparedQueries<T>(prepare: (on: Queryable) => T): (on: Queryable) => T {
  const bySession = new WeakMap<object, T>();
  return (on) => {
    const session = (on as unknown as { session: object }).session;
    let prepared = bySession.get(session);
    if (prepared === undefined) {
      prepared = prepare(on);
      bySession.set(session, prepared);
    }
    return prepared;
  };
}

/** The raw better-sqlite3 connection (backups, pragmas, benchmarks). */
export function getSqlite(): Database.Database {
  return getHandle().sqlite;
}

/** Close the process-wide connection (scripts and tests). */
export function closeDb(): void {
  stopSearchCatchUp();
  globalForDb.__fieldReportsDb?.checkpointer?.stop();
  globalForDb.__fieldReportsDb?.sqlite.close();
  globalForDb.__fieldReportsDb = undefined;
}

/**
 * Close every connection this process still holds (the main database, the sign-in throttle store,
 * any other openSqlite made), the main one last, each after a `wal_checkpoint(TRUNCATE)` so its
 * -wal file is left empty and SQLite removes it as the last connection closes — a clean stop
 * (issue 16 item 16; server.ts calls this once requests in flight have finished, then exits).
 * Safe to call when nothing is open, and more than once. A later getDb() would open afresh.
 * @returns how many connections it closed and how many WAL checkpoints could not finish (a
 *   reader elsewhere held the WAL; the data is safe, the -wal file stays for the next open)
 * @throws the first error a checkpoint or close raised, after trying every connection
 */
export function closeDatabase(): { closed: number; checkpointsBusy: number } {
  stopSearchCatchUp();
  // Its connection closes first, so the final checkpoint below never finds it busy.
  globalForDb.__fieldReportsDb?.checkpointer?.stop();
  const main = globalForDb.__fieldReportsDb?.sqlite;
  if (main?.open) {
    try {
      // A clean stop leaves the search index current (otherwise the first search after the start does it).
      catchUpSearchIndex();
    } catch {
      // The notes stay in the database.
    }
  }
  const connections = [...openConnections()].filter((c) => c.open && c !== main);
  if (main?.open) connections.push(main);
  let closed = 0;
  let checkpointsBusy = 0;
  let firstError: unknown = null;
  for (const sqlite of connections) {
    try {
      if (!sqlite.readonly && !sqlite.memory) {
        const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (result?.busy) checkpointsBusy++;
      }
    } catch (error) {
      firstError ??= error;
    }
    try {
      sqlite.close();
      closed++;
    } catch (error) {
      firstError ??= error;
    }
  }
  openConnections().clear();
  globalForDb.__fieldReportsDb = undefined;
  if (firstError) throw firstError;
  return { closed, checkpointsBusy };
}

/**
 * How long after a write the queue's search index takes up the reports it changed, in ms. The
 * catch-up then rebuilds the documents noted meanwhile, SEARCH_INDEX_STEP reports per
 * transaction: under 100 submissions a second that is four index segments a second instead of one
 * per group commit, and the index's segment merges leave the submissions' transactions
 * (docs/decisions/0012-queue-search.md "Noted by triggers, taken up after the commit"); the steps
 * merge the segments too, a few pages at a time (docs/decisions/0018-search-index-merges-in-steps.md).
 */
export const SEARCH_INDEX_DELAY_MS = 1000;

/**
 * How many reports one background step takes up, in a transaction of its own; the next step
 * waits for the requests queued meanwhile (setImmediate). 100 documents in one go held the event
 * loop 60–164 ms at 100,000 documents while FTS5 merged in the COMMIT; 25 documents take about
 * 2 ms to write, and the step's merge of SEARCH_MERGE_PAGES (db/search-index.ts) 3–8 ms more.
 */
export const SEARCH_INDEX_STEP = 25;

let searchCatchUp: ReturnType<typeof setTimeout> | null = null;
let searchStep: ReturnType<typeof setImmediate> | null = null;

/** Stops the background catch-up (the connection is closing; the notes stay in the database). */
function stopSearchCatchUp(): void {
  if (searchCatchUp) clearTimeout(searchCatchUp);
  if (searchStep) clearImmediate(searchStep);
  searchCatchUp = null;
  searchStep = null;
}

/**
 * Rebuild, in a write transaction of its own, the search documents noted since the last time
 * (db/search-index.ts) — all of them, or the first `limit`: a search does before it reads the
 * index (so an editor always finds every committed report) and a clean stop does; the background
 * steps after a write take up SEARCH_INDEX_STEP at a time and merge too (searchCatchUpStep). No
 * merge here. One indexed read when nothing is noted.
 * @param limit the most reports to take up (-1: all)
 * @returns how many reports were taken up
 * @throws SQLite's error (busy, sealed); the notes stay for the next catch-up
 */
export function catchUpSearchIndex(limit: number = -1): number {
  const sqlite = getSqlite();
  if (!hasPendingSearchWork(sqlite)) return 0;
  return getDb().transaction(() => flushSearchIndex(sqlite, limit), { behavior: 'immediate' });
}

/**
 * One background step, in a write transaction of its own: up to SEARCH_INDEX_STEP noted reports,
 * then a merge of up to SEARCH_MERGE_PAGES index pages (db/search-index.ts mergeSearchIndex; the
 * index's own merges are off: docs/decisions/0018-search-index-merges-in-steps.md). The next step
 * comes after the requests waiting now, while notes remain or the merge found work. Never opens a
 * connection: closed meanwhile (a script or test done with the database), it stops.
 */
function searchCatchUpStep(): void {
  searchStep = null;
  if (!globalForDb.__fieldReportsDb?.sqlite.open) return;
  try {
    const sqlite = getSqlite();
    const more = getDb().transaction(
      () => {
        const taken = flushSearchIndex(sqlite, SEARCH_INDEX_STEP);
        return mergeSearchIndex(sqlite) || taken === SEARCH_INDEX_STEP;
      },
      { behavior: 'immediate' },
    );
    if (more) searchStep = setImmediate(searchCatchUpStep);
  } catch {
    // Busy, or closed meanwhile: the notes are in the database; the next write or search takes them up.
  }
}

/**
 * Arms the catch-up SEARCH_INDEX_DELAY_MS from now, unless one is armed already. One chain of
 * steps at a time: a timer that finds a chain still running arms itself again for what the chain
 * may have missed, instead of starting a second chain beside it.
 */
function scheduleSearchCatchUp(): void {
  if (searchCatchUp) return;
  searchCatchUp = setTimeout(() => {
    searchCatchUp = null;
    if (searchStep) scheduleSearchCatchUp();
    else searchCatchUpStep();
  }, SEARCH_INDEX_DELAY_MS);
  searchCatchUp.unref?.();
}

/**
 * Run `fn` in a write transaction that begins IMMEDIATE (takes the write lock at once, so two
 * writers never deadlock on lock upgrade). Commits when `fn` returns, rolls back if it throws.
 * `fn` must be synchronous (better-sqlite3 transactions cannot span an await). The reports `fn`
 * changed are noted for the search index in the same transaction (migration 0014's triggers) and
 * taken up SEARCH_INDEX_DELAY_MS after the commit ({@link catchUpSearchIndex}).
 */
export function writeTransaction<T>(fn: (tx: Tx) => T): T {
  const result = getDb().transaction(fn, { behavior: 'immediate' });
  scheduleSearchCatchUp();
  return result;
}
