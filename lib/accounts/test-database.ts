/**
 * Test helper (Vitest only): a fresh, migrated database with the reference lists in a temp
 * DATA_DIR, and quick account creation. Call `await useTestDatabase()` in `beforeAll` before any
 * module that opens the database is imported (the connection is per process and per DATA_DIR).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function useTestDatabase(): Promise<{ dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-accounts-'));
  process.env.DATA_DIR = dataDir;
  const { runMigrations } = await import('@/db/migrate');
  const { seedReferenceLists } = await import('@/db/reference-data');
  const { writeTransaction } = await import('@/db/client');
  runMigrations();
  writeTransaction((tx) => seedReferenceLists(tx));
  return { dataDir };
}

let counter = 0;

/**
 * Insert an account directly (no audit event). `password` is hashed with the app's Argon2id
 * parameters when given.
 */
export async function insertTestAccount({
  role,
  codeName,
  password,
  status = 'active',
  totpSecret = null,
  isDemo = false,
}: {
  role: 'partner' | 'editor' | 'admin';
  codeName?: string;
  password?: string;
  status?: 'active' | 'deactivated';
  totpSecret?: string | null;
  isDemo?: boolean;
}): Promise<{ id: number; codeName: string; role: 'partner' | 'editor' | 'admin' }> {
  const { getDb } = await import('@/db/client');
  const { accounts } = await import('@/db/schema');
  const { hashPassword } = await import('@/lib/auth/password');
  counter += 1;
  const name = codeName ?? `${role}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const passwordHash = password ? await hashPassword(password) : null;
  const [row] = getDb().insert(accounts).values({ codeName: name, role, status, passwordHash, totpSecret, isDemo }).returning({ id: accounts.id }).all();
  if (!row) throw new Error('insert failed');
  return { id: row.id, codeName: name, role };
}

/** session_version of an account. */
export async function sessionVersionOf(accountId: number): Promise<number> {
  const { getSqlite } = await import('@/db/client');
  return (getSqlite().prepare('SELECT session_version AS v FROM accounts WHERE id = ?').get(accountId) as { v: number }).v;
}

/** Audit events (newest last) as { kind, actorId, targetAccountId, detail }. */
export async function auditRows(): Promise<{ kind: string; actorId: number | null; targetAccountId: number | null; detail: unknown }[]> {
  const { getSqlite } = await import('@/db/client');
  const rows = getSqlite().prepare('SELECT kind, actor_id AS actorId, target_account_id AS targetAccountId, detail FROM audit_events ORDER BY id').all() as {
    kind: string;
    actorId: number | null;
    targetAccountId: number | null;
    detail: string | null;
  }[];
  return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}
