/**
 * The test database (Vitest only): every test file starts on its own copy of the run's template
 * database (lib/testing/global-setup.ts: migrated, reference lists loaded, encrypted under the
 * run's key as in production), in a temporary DATA_DIR that lib/testing/setup.ts makes before the
 * file's modules load. So a test file opens the database like the app does — no migration, no
 * "call this before importing" — and files never see each other's rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { closeDatabase, closeDb, getDatabasePath, getSqlite } from '@/db/client';

const made: string[] = [];

/**
 * Close this process's connection, copy the template database into a new temporary DATA_DIR
 * (0700, the file 0600 as db/client.ts makes them) and point DATA_DIR at it: the next getDb()
 * opens the copy. Called once per test file by lib/testing/setup.ts; call it again for a second,
 * untouched database in the same file.
 * @returns the new DATA_DIR
 */
export function freshTestDatabase(): string {
  closeDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-test-'));
  process.env.DATA_DIR = dataDir;
  fs.copyFileSync(inject('templateDatabase'), getDatabasePath());
  fs.chmodSync(getDatabasePath(), 0o600);
  made.push(dataDir);
  return dataDir;
}

/** Close every connection and remove every DATA_DIR freshTestDatabase made (end of a test file). */
export function removeTestDatabases(): void {
  closeDatabase();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The DATA_DIR of this test file's database. */
export function testDataDir(): string {
  const dir = process.env.DATA_DIR;
  if (!dir) throw new Error('DATA_DIR is not set: is lib/testing/setup.ts in vitest.config.mts setupFiles?');
  return dir;
}

/** `SELECT count(*)` of a table in the test database, with an optional condition. */
export function countTestRows(table: string, where = '1 = 1', ...params: unknown[]): number {
  return (getSqlite().prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n;
}
