/**
 * The benchmark's data key and how the benchmark itself opens its databases (issue 15).
 *
 * Every database a run generates and serves is encrypted as the app encrypts its own: the run
 * writes one fresh key file (64 hex characters, mode 0600) in `<temp>/keys/`, outside every
 * DATA_DIR, hands it to each encrypted server as FIELD_REPORTS_KEY_FILE, and keys its own
 * connections (generator, counts, EXPLAIN, what-if) with the same derived 'database' subkey the
 * server uses (lib/at-rest/keys.ts deriveKey, db/client.ts applyDatabaseKey). The one exception is
 * the plain-text twin of the encryption comparison, opened with no key at all.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { applyDatabaseKey, registerSqlFunctions } from '@/db/client';
import { deriveKey, newKeyFileText, readKeyFile } from '@/lib/at-rest/keys';

/** The run's key: the file a server reads, and the SQLCipher key derived from it. */
export type BenchKey = {
  /** Absolute path of the key file (64 hex characters and a newline, mode 0600). */
  file: string;
  /** 32 bytes: the data key (what the file holds). */
  dataKey: Buffer;
  /** 32 bytes: deriveKey(dataKey, 'database'), the key of every main database file. */
  databaseKey: Buffer;
};

/**
 * Write a fresh key file in `dir` (created 0700) and read it back through the app's own checks
 * against each of `dataDirs` (readKeyFile refuses a key file inside a DATA_DIR or readable by
 * others), so a misplaced key file fails here rather than in a server.
 */
export function createBenchKey(dir: string, dataDirs: readonly string[]): BenchKey {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'data.key');
  fs.writeFileSync(file, newKeyFileText(), { mode: 0o600, flag: 'wx' });
  let dataKey: Buffer | null = null;
  for (const dataDir of dataDirs) dataKey = readKeyFile(file, dataDir);
  if (!dataKey) throw new Error('createBenchKey needs at least one DATA_DIR to check the key file against');
  return { file, dataKey, databaseKey: deriveKey(dataKey, 'database') };
}

/** The key of a key file given to a script (what-if.ts), checked as the server checks it. */
export function benchKeyFromFile(file: string, dataDir: string): BenchKey {
  const dataKey = readKeyFile(file, dataDir);
  return { file: path.resolve(file), dataKey, databaseKey: deriveKey(dataKey, 'database') };
}

/**
 * Open a benchmark database file with better-sqlite3, keyed with `databaseKey` (the first thing
 * on the connection, as SQLCipher requires) or plain text when it is null, with the SQL functions
 * the schema's triggers call (db/client.ts registerSqlFunctions).
 * @throws KeyError (from applyDatabaseKey) when the key does not open the file
 */
export function openBenchDatabase(file: string, databaseKey: Buffer | null, options: Database.Options = {}): Database.Database {
  const sqlite = new Database(file, options);
  if (databaseKey) applyDatabaseKey(sqlite, databaseKey, file);
  // The queue's search index is rebuilt with fr_nfc (db/search-index.ts; bench/generate.ts flushes it).
  registerSqlFunctions(sqlite);
  return sqlite;
}
