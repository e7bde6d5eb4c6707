import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCheckpointer } from './checkpointer';
import { backgroundCheckpoints, closeDatabase, enableBackgroundCheckpoints, getDatabasePath, getSqlite, openSqlite } from './client';

const previousDataDir = process.env.DATA_DIR;
const made: string[] = [];
afterEach(() => {
  closeDatabase();
  enableBackgroundCheckpoints(false);
  process.env.DATA_DIR = previousDataDir;
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-ckpt-'));
  made.push(dir);
  return dir;
}

const bytes = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;

/** `rows` rows of 2 KB of random text each, in transactions of 50 (about rows ÷ 2 logged pages). */
function writeRows(sqlite: Database.Database, rows: number): void {
  const insert = sqlite.prepare('INSERT INTO t (x) VALUES (?)');
  for (let i = 0; i < rows; i += 50) sqlite.transaction(() => { for (let j = 0; j < 50; j++) insert.run(Math.random().toString(36).repeat(180)); })();
}

describe('WAL checkpoints in a worker thread (db/checkpointer.ts; issue 20, budget 1a)', () => {
  it("copies the server's log into the encrypted database file while the server goes on writing, with SQLite's own checkpoints off", async () => {
    process.env.DATA_DIR = tempDir();
    enableBackgroundCheckpoints();
    const sqlite = getSqlite();
    // Only the worker may checkpoint now: the database file grows only when it copies the log.
    sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)');
    const before = bytes(getDatabasePath());
    writeRows(sqlite, 1000);
    expect(bytes(`${getDatabasePath()}-wal`)).toBeGreaterThan(1_000_000);

    await vi.waitFor(
      () => {
        expect(bytes(getDatabasePath())).toBeGreaterThan(before + 1_000_000);
        expect(backgroundCheckpoints()).toBeGreaterThan(0);
      },
      { timeout: 5000, interval: 20 },
    );
    // Every logged page is in the file now: the server's own checkpoint has nothing left to copy.
    const [result] = sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(result).toMatchObject({ busy: 0 });
    expect(result!.checkpointed).toBe(result!.log);

    // A clean stop: the worker closes its connection first, then the log is checkpointed away.
    expect(closeDatabase()).toEqual({ closed: 1, checkpointsBusy: 0 });
    expect(bytes(`${getDatabasePath()}-wal`)).toBe(0);
    const reopened = openSqlite(getDatabasePath());
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1000 });
    reopened.close();
  });

  it('scripts and tests keep SQLite\'s own checkpoints: no worker unless the server turned it on', () => {
    process.env.DATA_DIR = tempDir();
    getSqlite();
    expect(backgroundCheckpoints()).toBeNull();
  });

  it('stops at once, closing its connection, whether it is asleep or has just started', () => {
    const dir = tempDir();
    const file = path.join(dir, 'plain.db');
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)');
    writeRows(sqlite, 200);

    const fresh = startCheckpointer(file, ['synchronous = FULL'], { intervalMs: 60_000 });
    const started = performance.now();
    expect(fresh.stop()).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(fresh.running()).toBe(false);
    expect(fresh.stop()).toBe(true); // again: nothing to do

    // Its connection is closed: a TRUNCATE checkpoint finds no other connection and empties the log.
    const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    expect(result).toMatchObject({ busy: 0 });
    expect(bytes(`${file}-wal`)).toBe(0);
    sqlite.close();
  });

  it('a file the worker cannot open (the wrong key) ends the worker; the server is not affected', async () => {
    process.env.DATA_DIR = tempDir();
    const sqlite = getSqlite();
    sqlite.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    const wrongKey = `key = "x'${'00'.repeat(32)}'"`;
    const worker = startCheckpointer(getDatabasePath(), ["cipher = 'sqlcipher'", 'legacy = 4', wrongKey, 'synchronous = FULL'], { intervalMs: 10 });
    await vi.waitFor(() => expect(worker.running()).toBe(false), { timeout: 5000, interval: 10 });
    expect(worker.checkpoints()).toBe(0);
    expect(worker.stop()).toBe(true);
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  });
});
