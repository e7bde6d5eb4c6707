/**
 * Demo accounts (demo mode only) and account creation shared by the seed and bootstrap scripts.
 * Code names never carry legal names.
 */
import { sql } from 'drizzle-orm';
import { accounts, type Role } from '@/db/schema';
import type { Tx } from '@/db/client';

/** The four demo accounts README documents. */
export const DEMO_ACCOUNTS: { codeName: string; role: Role; defaultPassword: string }[] = [
  { codeName: 'admin', role: 'admin', defaultPassword: 'demo-admin-password' },
  { codeName: 'editor', role: 'editor', defaultPassword: 'demo-editor-password' },
  { codeName: 'partner-k17', role: 'partner', defaultPassword: 'demo-partner-k17-password' },
  { codeName: 'partner-y04', role: 'partner', defaultPassword: 'demo-partner-y04-password' },
];

/** The password a demo account signs in with: DEMO_PASSWORD for all four when set. */
export function demoPasswordFor(codeName: string): string {
  const fromEnv = process.env.DEMO_PASSWORD;
  if (fromEnv) return fromEnv;
  const account = DEMO_ACCOUNTS.find((a) => a.codeName === codeName);
  if (!account) throw new Error(`Not a demo account: ${codeName}`);
  return account.defaultPassword;
}

/**
 * Insert an account unless the code name exists (case-insensitively). Returns its id either way.
 */
export function ensureAccount(
  tx: Tx,
  input: { codeName: string; role: Role; passwordHash: string | null; isDemo?: boolean },
): number {
  const existing = tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(sql`${accounts.codeName} = ${input.codeName} COLLATE NOCASE`)
    .get();
  if (existing) return existing.id;
  const [row] = tx
    .insert(accounts)
    .values({ codeName: input.codeName, role: input.role, passwordHash: input.passwordHash, isDemo: input.isDemo ?? false })
    .returning({ id: accounts.id })
    .all();
  if (!row) throw new Error('Account insert returned no row');
  return row.id;
}
