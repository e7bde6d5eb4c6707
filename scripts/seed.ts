/**
 * Seed the database: reference lists always; demo accounts (and, from lib/, demo reports) only
 * when `demo` is true. Usage: `npm run db:seed` (reference lists only) — the demo command seeds
 * the demo itself.
 */
import { hash } from '@node-rs/argon2';
import { closeDb, getDb } from '@/db/client';
import { runMigrations } from './migrate';
import { ensureScriptDataKey } from './script-key';
import { seedReferenceLists } from './reference-data';
import { DEMO_ACCOUNTS, demoPasswordFor, ensureAccount } from './accounts-seed';

// Same parameters as lib/accounts/password.ts (Argon2id, 19 MiB, t=2, p=1).
const ARGON2 = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/** Migrate, then load the reference lists; with `demo`, also the four demo accounts. */
export async function seedDatabase({ demo }: { demo: boolean }): Promise<void> {
  runMigrations();
  const db = getDb();
  db.transaction((tx) => seedReferenceLists(tx), { behavior: 'immediate' });
  if (!demo) return;
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hash(demoPasswordFor(a.codeName), ARGON2)));
  db.transaction(
    (tx) => {
      DEMO_ACCOUNTS.forEach((a, i) => ensureAccount(tx, { codeName: a.codeName, role: a.role, passwordHash: hashes[i] ?? null, isDemo: true }));
    },
    { behavior: 'immediate' },
  );
}

if (require.main === module) {
  ensureScriptDataKey()
    .then(() => seedDatabase({ demo: false }))
    .then(() => console.log('Seeded reference lists.'))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    })
    .finally(closeDb);
}
