/**
 * What GET /api/health reports: whether the database opens with this process's key, answers a
 * query, and carries every migration this build committed (issue 16, item 15: a never-migrated
 * database used to get 200 here while every page answered 500).
 *
 * The reasons are fixed sentences naming the fault and the fix, never data, file paths or key
 * material: /api/health is public (docs/security/README.md; request path in docs/architecture.md).
 * While the server is sealed proxy.ts answers 503 before the route runs, so `checkHealth` normally
 * sees an open server; a SealedError is still reported if it happens.
 */
import 'server-only';
import type Database from 'better-sqlite3';
import { getSqlite } from '@/db/client';
import journal from '@/db/migrations/meta/_journal.json';
import { KeyError, SealedError } from '@/lib/at-rest/keys';
import { logger } from '@/lib/log';

/** `{ ok: true }`, or `{ ok: false, reason }` with a one-line reason starting `database: `. */
export type HealthResult = { ok: true } | { ok: false; reason: string };

const MIGRATE = 'run npm run db:migrate';

/**
 * The committed migrations' `when` (drizzle-kit's folderMillis), oldest first. Imported, so it is
 * read once, at build time, and ships in the server bundle (no file to trace or read per request).
 */
const COMMITTED: readonly number[] = journal.entries.map((entry) => entry.when).sort((a, b) => a - b);

/**
 * The connection whose migrations last passed. Migrations are applied offline (`npm run
 * db:migrate` before start), so once they match they stay matched for that connection; a new
 * connection (closeDb, another DATA_DIR) is checked again. Failures are never cached.
 */
let verified: Database.Database | null = null;

/**
 * Compare the migrations recorded in `__drizzle_migrations` with the committed journal, the way
 * drizzle-orm's migrator decides (node_modules/drizzle-orm/sqlite-core/dialect.js `migrate`): it
 * applies each journal entry whose `when` is later than the latest applied row's `created_at`, and
 * records `(sha256 of the .sql file, when)`. Compared by `created_at`, not hash: the hash needs the
 * .sql files at run time, and an edited, already applied migration is not something db:migrate
 * (or an operator) fixes on a running server.
 * @returns null when all committed migrations are applied, else the reason:
 *   no table or no rows → "no migrations applied"; entries after the latest applied one → "N
 *   migration(s) pending"; an earlier entry missing (db:migrate would skip it) or applied rows this
 *   build does not know (a newer build migrated the database) → a history mismatch.
 * @throws the driver's error if a query fails (the caller reports it)
 */
export function migrationProblem(sqlite: Database.Database): string | null {
  const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get();
  if (!table) return `database: no migrations applied — ${MIGRATE}`;
  const applied = (sqlite.prepare('SELECT created_at AS createdAt FROM __drizzle_migrations').all() as { createdAt: number | string | null }[]).map((row) =>
    Number(row.createdAt),
  );
  if (applied.length === 0) return `database: no migrations applied — ${MIGRATE}`;
  const latest = Math.max(...applied);
  const pending = COMMITTED.filter((when) => when > latest).length;
  if (pending > 0) return `database: ${pending} ${pending === 1 ? 'migration' : 'migrations'} pending — ${MIGRATE}`;
  const appliedSet = new Set(applied);
  const missing = COMMITTED.filter((when) => !appliedSet.has(when)).length;
  if (missing > 0) return `database: migration history differs from this build (${missing} earlier committed ${missing === 1 ? 'migration is' : 'migrations are'} not recorded as applied)`;
  const committedSet = new Set(COMMITTED);
  const unknown = applied.filter((when) => !committedSet.has(when)).length;
  if (unknown > 0) return `database: ${unknown} applied ${unknown === 1 ? 'migration is' : 'migrations are'} unknown to this build (migrated by a newer version?)`;
  return null;
}

/** The last reason logged, so a load balancer polling a broken server does not flood the log. */
let lastLogged: string | null = null;

function logOnce(reason: string, detail: string): void {
  if (reason === lastLogged) return;
  lastLogged = reason;
  // KeyError messages name the file and the fix, never a secret (lib/at-rest/keys.ts).
  logger.error({ event: 'health_failed', reason, detail }, 'health check failed');
}

/**
 * Check the process-wide database: open it (db/client.ts getSqlite), run a cheap query, and compare
 * its migrations with the committed ones (cached per connection once they match).
 * Never throws.
 * @returns `{ ok: true }`, or `{ ok: false, reason }` where reason is one of
 *   "database: sealed — enter the passphrase at /unseal", "database: cannot be opened (wrong key or
 *   passphrase, plain-text or damaged file — see the server log)", "database: cannot be opened
 *   (SQLITE_…)", "database: query failed (SQLITE_…)", or one of migrationProblem's reasons.
 */
export function checkHealth(): HealthResult {
  let sqlite: Database.Database;
  try {
    sqlite = getSqlite();
  } catch (error) {
    const reason =
      error instanceof SealedError
        ? 'database: sealed — enter the passphrase at /unseal'
        : error instanceof KeyError
          ? 'database: cannot be opened (wrong key or passphrase, plain-text or damaged file — see the server log)'
          : `database: cannot be opened (${errorCode(error)})`;
    logOnce(reason, error instanceof Error ? error.message : String(error));
    return { ok: false, reason };
  }
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    if (verified === sqlite) return { ok: true };
    const problem = migrationProblem(sqlite);
    if (problem) return { ok: false, reason: problem };
    verified = sqlite;
    lastLogged = null;
    return { ok: true };
  } catch (error) {
    const reason = `database: query failed (${errorCode(error)})`;
    logOnce(reason, error instanceof Error ? error.message : String(error));
    return { ok: false, reason };
  }
}

/** The SQLite result code of a driver error (`SQLITE_BUSY`…), or a fixed word: never the message. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'unknown error';
}
