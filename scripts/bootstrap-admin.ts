/**
 * `npm run bootstrap-admin -- <code-name>`: production-safe creation of the first admin. Creates
 * the account without a password and prints a one-time link (valid 24 hours) where the admin sets
 * their own password. Refuses if an active admin already exists. No demo accounts are created.
 */
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { closeDb, getDb } from '@/db/client';
import { runMigrations } from './migrate';
import { seedReferenceLists } from './reference-data';
import { ensureAccount } from './accounts-seed';
import { ensureScriptDataKey } from './script-key';
import { accounts, auditEvents, invitations } from '@/db/schema';

const CODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

async function main() {
  const codeName = process.argv[2] ?? 'admin';
  if (!CODE_NAME.test(codeName)) {
    console.error('Code names use 2–40 Latin letters, digits, ".", "_" or "-".');
    process.exit(2);
  }
  await ensureScriptDataKey();
  runMigrations();
  const db = getDb();
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = crypto.createHash('sha256').update(token).digest('hex');
  const created = db.transaction(
    (tx) => {
      seedReferenceLists(tx);
      const admin = tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.role, 'admin'), eq(accounts.status, 'active'))).get();
      if (admin) return false;
      const id = ensureAccount(tx, { codeName, role: 'admin', passwordHash: null });
      tx.insert(invitations).values({ accountId: id, tokenHash, purpose: 'bootstrap', expiresAt: new Date(Date.now() + 24 * 3600 * 1000) }).run();
      tx.insert(auditEvents).values({ actorId: null, kind: 'account_created', targetAccountId: id, detail: { role: 'admin', via: 'bootstrap' } }).run();
      return true;
    },
    { behavior: 'immediate' },
  );
  closeDb();
  if (!created) {
    console.error('An active admin already exists; sign in as that admin to create more accounts.');
    process.exit(1);
  }
  const base = process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? '3000'}`;
  console.log(`Admin "${codeName}" created. Open this one-time link within 24 hours to set a password:\n${base}/invite/${token}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
