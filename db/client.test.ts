import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './client';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('openSqlite', () => {
  it('keeps the database, its WAL and shared-memory files owner-only whatever the umask', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-perm-'));
    made.push(root);
    const file = path.join(root, 'data', 'field-reports.db');
    const previous = process.umask(0o022);
    try {
      const db = openSqlite(file);
      db.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
      expect(modeOf(path.dirname(file))).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
      db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('narrows a database file made readable by others before this rule', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-perm-'));
    made.push(root);
    fs.chmodSync(root, 0o755);
    const file = path.join(root, 'field-reports.db');
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    openSqlite(file).close();
    expect(modeOf(file)).toBe(0o600);
    // An existing directory is the operator's: left as it was.
    expect(modeOf(root)).toBe(0o755);
  });
});
