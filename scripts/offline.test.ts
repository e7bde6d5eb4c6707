import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '@/db/client';
import {
  commitSwap,
  finishInterruptedSwap,
  lockDatabaseOffline,
  planSwapSteps,
  readSwapMarker,
  refuseUnlessSwapNamesFree,
  shredPath,
  SWAP_MARKER,
  writeSwapMarker,
  type SwapPlan,
} from './offline';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-offline-'));
  made.push(dir);
  return dir;
}

const TAGS = { next: 'encrypt-new', old: 'plain-old' };

/** A DATA_DIR with old live files and their prepared replacements. */
function preparedDataDir(): string {
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'field-reports.db'), 'old database');
  fs.writeFileSync(path.join(dataDir, 'field-reports.db.encrypt-new'), 'new database');
  fs.mkdirSync(path.join(dataDir, 'uploads'));
  fs.writeFileSync(path.join(dataDir, 'uploads', 'a.jpg'), 'old photo');
  fs.mkdirSync(path.join(dataDir, 'uploads.encrypt-new'));
  fs.writeFileSync(path.join(dataDir, 'uploads.encrypt-new', 'a.jpg'), 'new photo');
  fs.writeFileSync(path.join(dataDir, 'sign-in-throttle.db'), 'counters');
  return dataDir;
}

function plan(): SwapPlan {
  return { command: 'encrypt-data', createdAt: '2026-04-01T00:00:00.000Z', steps: planSwapSteps(TAGS, false), dispose: 'shred', afterwards: ['Now run `npm run backup`.'] };
}

function expectSwapped(dataDir: string): void {
  expect(fs.readdirSync(dataDir).sort()).toEqual(['field-reports.db', 'uploads']);
  expect(fs.readFileSync(path.join(dataDir, 'field-reports.db'), 'utf8')).toBe('new database');
  expect(fs.readFileSync(path.join(dataDir, 'uploads', 'a.jpg'), 'utf8')).toBe('new photo');
}

describe('the swap of encrypt-data and rekey', () => {
  it('is finished by the next run after a crash at any rename after the commit point, without a key', () => {
    // Five single renames in all: database (2), uploads (2), sign-in throttle store (1).
    for (let done = 0; done <= 5; done += 1) {
      const dataDir = preparedDataDir();
      // Crash after `done` single renames: the marker is on disk, some renames are done.
      writeSwapMarker(dataDir, plan());
      let left = done;
      for (const step of plan().steps) {
        const live = path.join(dataDir, step.live);
        if (left > 0 && fs.existsSync(live)) {
          fs.renameSync(live, path.join(dataDir, step.old));
          left -= 1;
        }
        if (left > 0 && step.next) {
          fs.renameSync(path.join(dataDir, step.next), live);
          left -= 1;
        }
      }
      const lines: string[] = [];
      expect(finishInterruptedSwap(dataDir, (l) => lines.push(l))?.command).toBe('encrypt-data');
      expectSwapped(dataDir);
      expect(lines.join('\n')).toContain('Now run `npm run backup`.');
      expect(readSwapMarker(dataDir)).toBeNull();
    }
  });

  it('leaves alone a file the app made after the renames (a new -wal) when it finishes the clean-up', () => {
    const dataDir = preparedDataDir();
    const marked = writeSwapMarker(dataDir, plan());
    for (const step of marked.steps) {
      if (step.liveExisted) fs.renameSync(path.join(dataDir, step.live), path.join(dataDir, step.old));
      if (step.next) fs.renameSync(path.join(dataDir, step.next), path.join(dataDir, step.live));
    }
    // Crash before the clean-up; the app starts on the new database and writes its WAL.
    fs.writeFileSync(path.join(dataDir, 'field-reports.db-wal'), 'committed after the swap');
    finishInterruptedSwap(dataDir, () => {});
    expect(fs.readFileSync(path.join(dataDir, 'field-reports.db-wal'), 'utf8')).toBe('committed after the swap');
    expect(fs.readdirSync(dataDir).sort()).toEqual(['field-reports.db', 'field-reports.db-wal', 'uploads']);
  });

  it('commits, and refuses to start another swap while one is unfinished', () => {
    const dataDir = preparedDataDir();
    fs.writeFileSync(path.join(dataDir, SWAP_MARKER), JSON.stringify({ ...plan(), command: 'rekey' }));
    expect(() => refuseUnlessSwapNamesFree(dataDir, plan().steps)).toThrow(/interrupted `npm run rekey` must be finished first/);
    fs.rmSync(path.join(dataDir, SWAP_MARKER));
    commitSwap(dataDir, plan());
    expect(finishInterruptedSwap(dataDir, () => {})).not.toBeNull();
    expectSwapped(dataDir);
    expect(finishInterruptedSwap(dataDir, () => {})).toBeNull();
  });

  it('refuses when an old name is taken by a file that is not its own', () => {
    const dataDir = preparedDataDir();
    fs.writeFileSync(path.join(dataDir, 'uploads.plain-old'), 'someone else’s');
    expect(() => refuseUnlessSwapNamesFree(dataDir, plan().steps)).toThrow(/uploads\.plain-old exists, but no swap is under way/);
  });
});

describe('shredPath', () => {
  it('overwrites the bytes with zeros before unlinking (a second link to the file sees the zeros)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'tree'));
    fs.writeFileSync(path.join(dir, 'tree', 'photo.jpg'), 'plain text photo');
    fs.linkSync(path.join(dir, 'tree', 'photo.jpg'), path.join(dir, 'other-link'));
    expect(shredPath(path.join(dir, 'tree'))).toBe(1);
    expect(fs.existsSync(path.join(dir, 'tree'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'other-link'))).toEqual(Buffer.alloc('plain text photo'.length));
    expect(shredPath(path.join(dir, 'missing'))).toBe(0);
  });
});

describe('lockDatabaseOffline', () => {
  it('holds the database: while held, another connection can read but not write', () => {
    const file = path.join(tempDir(), 'field-reports.db');
    const setup = openSqlite(file, { key: null });
    setup.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    setup.close();
    const lock = lockDatabaseOffline(file, null);
    const other = openSqliteWithoutWal(file);
    try {
      expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
      expect(() => other.exec("INSERT INTO t VALUES ('late')")).toThrow(/locked|busy/i);
    } finally {
      other.close();
      lock.release();
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(['field-reports.db']);
  });
});

/** A connection that does not switch the journal mode (openSqlite would wait for WAL). */
function openSqliteWithoutWal(file: string): Database.Database {
  const sqlite = new Database(file, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 0');
  return sqlite;
}
