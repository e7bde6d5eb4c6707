import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshTestDatabase, testDataDir } from '@/lib/testing/database';
import { logger } from '@/lib/log';

let health: typeof import('./health');
let client: typeof import('@/db/client');
let route: typeof import('@/app/api/health/route');
let migratedDir: string;

beforeAll(async () => {
  migratedDir = testDataDir();
  health = await import('./health');
  client = await import('@/db/client');
  route = await import('@/app/api/health/route');
});

afterAll(() => client.closeDb());

/** Reopen the process-wide connection on `dataDir` (a new connection: the health cache does not apply). */
function reopen(dataDir: string): void {
  client.closeDb();
  process.env.DATA_DIR = dataDir;
}

/** Delete the latest row of drizzle's migration history (the one its migrator compares against). */
function deleteLatestMigrationRow(): void {
  client.getSqlite().prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)').run();
}

/** A new migrated DATA_DIR on a new connection. */
async function freshMigratedDatabase(): Promise<{ dataDir: string }> {
  return { dataDir: freshTestDatabase() };
}

describe('checkHealth', () => {
  it('is ok on a fresh migrated database, and GET /api/health answers 200 ok, no-store', async () => {
    expect(health.checkHealth()).toEqual({ ok: true });
    const response = route.GET();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('ok');
  });

  it('says "no migrations applied" on an empty, never migrated database, and GET answers 503 with that line', async () => {
    reopen(fs.mkdtempSync(path.join(os.tmpdir(), 'fr-health-empty-')));
    expect(health.checkHealth()).toEqual({ ok: false, reason: 'database: no migrations applied — run npm run db:migrate' });
    const response = route.GET();
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('database: no migrations applied — run npm run db:migrate');
  });

  it('says "1 migration pending" when the latest applied migration row is deleted', () => {
    reopen(migratedDir);
    deleteLatestMigrationRow();
    expect(health.checkHealth()).toEqual({ ok: false, reason: 'database: 1 migration pending — run npm run db:migrate' });
  });

  it('counts several pending migrations', () => {
    reopen(migratedDir);
    deleteLatestMigrationRow();
    expect(health.checkHealth()).toEqual({ ok: false, reason: 'database: 2 migrations pending — run npm run db:migrate' });
  });

  it('reports an earlier migration missing from the history (db:migrate would skip it), not "pending"', async () => {
    await freshMigratedDatabase();
    client.getSqlite().prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT min(created_at) FROM __drizzle_migrations)').run();
    expect(health.checkHealth()).toEqual({
      ok: false,
      reason: 'database: migration history differs from this build (1 earlier committed migration is not recorded as applied)',
    });
  });

  it('reports applied migrations this build does not know (a newer version migrated the database)', async () => {
    await freshMigratedDatabase();
    client.getSqlite().prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('later', (SELECT max(created_at) + 1 FROM __drizzle_migrations))`).run();
    expect(health.checkHealth()).toEqual({ ok: false, reason: 'database: 1 applied migration is unknown to this build (migrated by a newer version?)' });
  });

  it('caches a passed migration check per connection: a new connection is checked again', async () => {
    const { dataDir } = await freshMigratedDatabase();
    expect(health.checkHealth()).toEqual({ ok: true });
    deleteLatestMigrationRow();
    expect(health.checkHealth()).toEqual({ ok: true });
    reopen(dataDir);
    expect(health.checkHealth()).toEqual({ ok: false, reason: 'database: 1 migration pending — run npm run db:migrate' });
  });

  it('says "cannot be opened" on a database the key does not open, without the file path, and logs it once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-health-plain-'));
    const plain = new Database(path.join(dataDir, 'field-reports.db'));
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    reopen(dataDir);
    const log = vi.spyOn(logger, 'error').mockImplementation(() => {});
    try {
      const reason = 'database: cannot be opened (wrong key or passphrase, plain-text or damaged file — see the server log)';
      expect(health.checkHealth()).toEqual({ ok: false, reason });
      expect(health.checkHealth()).toEqual({ ok: false, reason });
      const response = route.GET();
      expect(response.status).toBe(503);
      expect(await response.text()).not.toContain(dataDir);
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
    }
  });
});
