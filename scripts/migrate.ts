/**
 * Apply the committed SQL migrations in db/migrations to the database in DATA_DIR.
 * Usage: `npm run db:migrate`. Safe to run again: applied migrations are skipped. On a fresh
 * DATA_DIR without FIELD_REPORTS_KEY_FILE it sets up a passphrase (scripts/script-key.ts).
 */
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import path from 'node:path';
import { closeDb, getDatabasePath, getDb } from '@/db/client';
import { isPlaintextMode } from '@/lib/at-rest/keys';
import { ensureScriptDataKey } from './script-key';

/** The committed migrations (drizzle-kit output; generated, never edited by hand). */
export const MIGRATIONS_FOLDER = path.join(__dirname, '..', 'db', 'migrations');

/** Apply pending migrations to the process-wide database. Throws if a migration fails. */
export function runMigrations(): void {
  migrate(getDb(), { migrationsFolder: MIGRATIONS_FOLDER });
}

if (require.main === module) {
  ensureScriptDataKey({ allowNew: true })
    .then(() => {
      runMigrations();
      console.log(isPlaintextMode() ? `Migrated ${getDatabasePath()} — WARNING: NOT encrypted (FIELD_REPORTS_PLAINTEXT=benchmark-only)` : `Migrated ${getDatabasePath()} (encrypted)`);
      closeDb();
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    });
}
