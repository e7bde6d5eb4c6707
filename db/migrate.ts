/**
 * Apply the committed SQL migrations in db/migrations to the database in DATA_DIR.
 * Usage: `npm run db:migrate`. Safe to run again: applied migrations are skipped.
 */
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import path from 'node:path';
import { closeDb, getDatabasePath, getDb } from './client';

/** Apply pending migrations to the process-wide database. Throws if a migration fails. */
export function runMigrations(): void {
  migrate(getDb(), { migrationsFolder: path.join(__dirname, 'migrations') });
}

if (require.main === module) {
  runMigrations();
  console.log(`Migrated ${getDatabasePath()}`);
  closeDb();
}
