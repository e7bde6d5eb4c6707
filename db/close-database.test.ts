import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabasePath, getSqlite, openSqlite } from './client';

const previousDataDir = process.env.DATA_DIR;
const made: string[] = [];
afterEach(() => {
  closeDatabase();
  process.env.DATA_DIR = previousDataDir;
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const walBytes = (file: string) => fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

describe('closeDatabase (issue 16 item 16: a clean stop)', () => {
  it('checkpoints and closes the main connection and every other one openSqlite made (the throttle store): no WAL frames left, the data intact', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-close-'));
    made.push(dataDir);
    process.env.DATA_DIR = dataDir;
    const main = getSqlite();
    main.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1), (2), (3)');
    const throttleFile = path.join(dataDir, 'sign-in-throttle.db');
    const throttle = openSqlite(throttleFile);
    throttle.exec('CREATE TABLE c (k TEXT); INSERT INTO c VALUES (1)');
    const opened = openSqlite(path.join(dataDir, 'closed-by-its-owner.db'));
    opened.close();
    expect(walBytes(getDatabasePath())).toBeGreaterThan(0);
    expect(walBytes(throttleFile)).toBeGreaterThan(0);

    expect(closeDatabase()).toEqual({ closed: 2, checkpointsBusy: 0 });

    expect([main.open, throttle.open]).toEqual([false, false]);
    expect(walBytes(getDatabasePath())).toBe(0);
    expect(walBytes(throttleFile)).toBe(0);
    const reopened = openSqlite(getDatabasePath());
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 });
    reopened.close();
    expect(closeDatabase()).toEqual({ closed: 0, checkpointsBusy: 0 }); // again: nothing to do
  });
});
