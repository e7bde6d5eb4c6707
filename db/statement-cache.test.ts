import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './statement-cache';

const places = sqliteTable('places', { id: integer('id').primaryKey(), name: text('name').notNull() });

let sqlite: Database.Database;

beforeEach(() => {
  sqlite = new Database(':memory:');
  sqlite.exec("CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO places (name) VALUES ('Hyesan'), ('Sinuiju'), ('Dandong');");
});

afterEach(() => sqlite.close());

/** drizzle on the cached client, and how many times SQLite was asked to prepare a statement. */
function cachedDrizzle(size?: number) {
  const prepare = vi.spyOn(sqlite, 'prepare');
  const db = drizzle({ client: withStatementCache(sqlite, size) as Database.Database });
  return { db, prepares: () => prepare.mock.calls.length };
}

describe('withStatementCache', () => {
  it('prepares each SQL text once, however often drizzle runs it', () => {
    const { db, prepares } = cachedDrizzle();
    for (let i = 0; i < 5; i += 1) expect(db.select().from(places).where(sql`${places.id} = ${2}`).get()).toEqual({ id: 2, name: 'Sinuiju' });
    expect(prepares()).toBe(1);
  });

  it('keeps raw mode per query: rows as objects and as arrays from one kept statement, in either order', () => {
    const { db, prepares } = cachedDrizzle();
    const asObjects = () => db.all<{ id: number; name: string }>(sql`SELECT id, name FROM places ORDER BY id`);
    const asArrays = () => db.values<[number, string]>(sql`SELECT id, name FROM places ORDER BY id`);
    expect(asObjects()[0]).toEqual({ id: 1, name: 'Hyesan' });
    expect(asArrays()[0]).toEqual([1, 'Hyesan']);
    expect(asObjects()[0]).toEqual({ id: 1, name: 'Hyesan' });
    expect(prepares()).toBe(1);
  });

  it('runs statements that return no rows (inserts, updates) and sees their effect', () => {
    const { db } = cachedDrizzle();
    db.insert(places).values({ name: 'Manpo' }).run();
    db.insert(places).values({ name: 'Musan' }).run();
    expect(db.select({ name: places.name }).from(places).all().map((r) => r.name)).toEqual(['Hyesan', 'Sinuiju', 'Dandong', 'Manpo', 'Musan']);
  });

  it('gives a call its own statement while the kept one is still iterating', () => {
    const client = withStatementCache(sqlite);
    const outer = client.prepare('SELECT name FROM places ORDER BY id');
    const seen: string[][] = [];
    for (const row of outer.iterate() as Iterable<{ name: string }>) {
      seen.push((client.prepare('SELECT name FROM places ORDER BY id').all() as { name: string }[]).map((r) => `${row.name}/${r.name}`));
    }
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual(['Hyesan/Hyesan', 'Hyesan/Sinuiju', 'Hyesan/Dandong']);
  });

  it('drops the least recently used statement beyond its size', () => {
    const { db, prepares } = cachedDrizzle(2);
    const byId = (id: number) => db.all(sql.raw(`SELECT name FROM places WHERE id = ${id}`));
    byId(1);
    byId(2);
    byId(1); // 1 is now the most recent
    byId(3); // evicts 2
    expect(prepares()).toBe(3);
    byId(1);
    expect(prepares()).toBe(3);
    byId(2);
    expect(prepares()).toBe(4);
  });

  it('runs drizzle transactions on the connection itself, rolled back on error', () => {
    const { db } = cachedDrizzle();
    expect(() =>
      db.transaction((tx) => {
        tx.insert(places).values({ name: 'Lost' }).run();
        throw new Error('abandon');
      }),
    ).toThrow('abandon');
    expect(db.select().from(places).all()).toHaveLength(3);
  });
});
