/**
 * Accounts in the test database (Vitest only): one way to make them, and the reads tests check
 * account state with. Accounts are written straight into the table, as scripts/accounts-seed.ts and
 * the bootstrap script do: no invitation, no audit event.
 */
import crypto from 'node:crypto';
import { getDb, getSqlite } from '@/db/client';
import { accounts, type Role } from '@/db/schema';
import { hashPassword } from '@/lib/accounts/password';

/** An account as the data layer's `actor` parameters take it, with its code name. */
export type TestAccount<R extends Role = Role> = { id: number; role: R; codeName: string };

let counter = 0;

type AccountInput<R extends Role> = {
  role: R;
  /** Default: `<role>-<n>-<random>`, unique within the run. */
  codeName?: string;
  status?: 'active' | 'deactivated';
  totpSecret?: string | null;
  isDemo?: boolean;
};

/**
 * Insert an account without a password (an invited account that has not set one yet): active, no
 * second factor, not a demo account unless told. Synchronous, for set-up inside a test.
 */
export function createTestAccount<R extends Role>(role: R, codeName?: string): TestAccount<R>;
export function createTestAccount<R extends Role>(input: AccountInput<R> & { passwordHash?: string | null }): TestAccount<R>;
export function createTestAccount<R extends Role>(roleOrInput: R | (AccountInput<R> & { passwordHash?: string | null }), codeName?: string): TestAccount<R> {
  const input = typeof roleOrInput === 'string' ? { role: roleOrInput, codeName } : roleOrInput;
  const { role, status = 'active', totpSecret = null, isDemo = false, passwordHash = null } = input;
  counter += 1;
  const name = input.codeName ?? `${role}-${counter}-${crypto.randomBytes(3).toString('hex')}`;
  const [row] = getDb().insert(accounts).values({ codeName: name, role, status, passwordHash, totpSecret, isDemo }).returning({ id: accounts.id }).all();
  if (!row) throw new Error('account insert returned no row');
  return { id: row.id, role, codeName: name };
}

/**
 * {@link createTestAccount} with an optional password, hashed with the app's Argon2id parameters
 * (lib/accounts/password.ts).
 */
export async function insertTestAccount<R extends Role>({ password, ...input }: AccountInput<R> & { password?: string }): Promise<TestAccount<R>> {
  return createTestAccount({ ...input, passwordHash: password ? await hashPassword(password) : null });
}

/**
 * Several accounts at once, by name: `insertTestAccounts({ partnerA: 'partner', editor: 'editor' })`
 * → `{ partnerA: TestAccount<'partner'>, editor: TestAccount<'editor'> }` (code names generated).
 */
export async function insertTestAccounts<const T extends Record<string, Role>>(roles: T): Promise<TestAccounts<T>> {
  const made: Record<string, TestAccount> = {};
  for (const [name, role] of Object.entries(roles)) made[name] = await insertTestAccount({ role });
  return made as TestAccounts<T>;
}

/** What insertTestAccounts answers for `roles`. */
export type TestAccounts<T extends Record<string, Role>> = { [K in keyof T]: TestAccount<T[K]> };

/** session_version of an account. */
export function sessionVersionOf(accountId: number): number {
  return (getSqlite().prepare('SELECT session_version AS v FROM accounts WHERE id = ?').get(accountId) as { v: number }).v;
}

/** Audit events (oldest first) as { kind, actorId, targetAccountId, detail }. */
export function auditRows(): { kind: string; actorId: number | null; targetAccountId: number | null; detail: unknown }[] {
  const rows = getSqlite().prepare('SELECT kind, actor_id AS actorId, target_account_id AS targetAccountId, detail FROM audit_events ORDER BY id').all() as {
    kind: string;
    actorId: number | null;
    targetAccountId: number | null;
    detail: string | null;
  }[];
  return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}
