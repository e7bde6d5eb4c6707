/**
 * The one SQLite connection of a server process, opened with the pragmas SECURITY.md requires:
 * WAL, synchronous=FULL (every acknowledged commit is on disk), foreign keys, a busy timeout.
 * Only the server-only data layer in lib/ and the scripts in db/ import this module.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from './schema';

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

/**
 * Open a better-sqlite3 connection with the project's pragmas.
 * @param file path of the database file; its directory is created if missing, and both are made
 *   owner-only (see restrictToOwner).
 */
export function openSqlite(file: string = getDatabasePath()): Database.Database {
  restrictToOwner(file);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Truncate the WAL back to 8 MiB after each checkpoint so it cannot grow without bound.
  sqlite.pragma('journal_size_limit = 8388608');
  return sqlite;
}

type Handle = { sqlite: Database.Database; db: DB };
const globalForDb = globalThis as unknown as { __fieldReportsDb?: Handle };

function getHandle(): Handle {
  if (!globalForDb.__fieldReportsDb) {
    const sqlite = openSqlite();
    globalForDb.__fieldReportsDb = { sqlite, db: drizzle(sqlite, { schema }) };
  }
  return globalForDb.__fieldReportsDb;
}

/** The process-wide drizzle database (opened lazily, so importing this module does no I/O). */
export function getDb(): DB {
  return getHandle().db;
}

/** The raw better-sqlite3 connection (backups, pragmas, benchmarks). */
export function getSqlite(): Database.Database {
  return getHandle().sqlite;
}

/** Close the process-wide connection (scripts and tests). */
export function closeDb(): void {
  globalForDb.__fieldReportsDb?.sqlite.close();
  globalForDb.__fieldReportsDb = undefined;
}

/**
 * Run `fn` in a write transaction that begins IMMEDIATE (takes the write lock at once, so two
 * writers never deadlock on lock upgrade). Commits when `fn` returns, rolls back if it throws.
 * `fn` must be synchronous (better-sqlite3 transactions cannot span an await).
 */
export function writeTransaction<T>(fn: (tx: Tx) => T): T {
  return getDb().transaction(fn, { behavior: 'immediate' });
}
