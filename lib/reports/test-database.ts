/**
 * Test-only: a fresh, migrated database in a temp DATA_DIR with the reference lists and a few
 * partner and editor accounts. Call `openTestDatabase()` in `beforeAll` BEFORE importing any
 * module that opens the database; `closeTestDatabase()` in `afterAll`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getSqlite } from '@/db/client';

export type TestAccounts = {
  partnerA: { id: number; role: 'partner' };
  partnerB: { id: number; role: 'partner' };
  editor: { id: number; role: 'editor' };
};

let dataDir: string | null = null;

/** Points DATA_DIR at a new temp folder, migrates, seeds reference lists and creates accounts. */
export async function openTestDatabase(): Promise<TestAccounts> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-reports-'));
  process.env.DATA_DIR = dataDir;
  const { runMigrations } = await import('@/db/migrate');
  const { seedReferenceLists } = await import('@/db/reference-data');
  const { ensureAccount } = await import('@/db/accounts-seed');
  const { writeTransaction } = await import('@/db/client');
  runMigrations();
  return writeTransaction((tx) => {
    seedReferenceLists(tx);
    return {
      partnerA: { id: ensureAccount(tx, { codeName: 'partner-a', role: 'partner', passwordHash: null }), role: 'partner' as const },
      partnerB: { id: ensureAccount(tx, { codeName: 'partner-b', role: 'partner', passwordHash: null }), role: 'partner' as const },
      editor: { id: ensureAccount(tx, { codeName: 'editor-e', role: 'editor', passwordHash: null }), role: 'editor' as const },
    };
  });
}

/** Closes the connection and removes the temp folder. */
export async function closeTestDatabase(): Promise<void> {
  const { closeDb } = await import('@/db/client');
  closeDb();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
}

/** `SELECT count(*)` of a table in the test database, with an optional condition. */
export function countTestRows(table: string, where = '1 = 1', ...params: unknown[]): number {
  return (getSqlite().prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n;
}
