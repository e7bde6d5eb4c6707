import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openBytes } from '@/lib/at-rest/envelope';
import { deriveKey, getDataKey, KeyError } from '@/lib/at-rest/keys';
import { countTableRows, openKeyedFile, verifyBackup } from './backup';
import { isPlaintextDatabase, openSqlite } from '@/db/client';
import { encryptData } from './encrypt-data';
import { SWAP_MARKER } from './offline';
import { filesHoldingCanary, listFilesUnder, makePlainDataDir } from '@/lib/testing/plain-data-dir';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newCanary(): string {
  return `CANARY-${crypto.randomBytes(6).toString('hex')}`;
}

function plainDataDir(canary: string) {
  const plain = makePlainDataDir(canary);
  made.push(plain.dataDir);
  return plain;
}

/** Every file under `dir` with its SHA-256: to show that a refusal changed nothing. */
function snapshotFiles(dir: string): Record<string, string> {
  return Object.fromEntries(listFilesUnder(dir).map((f) => [path.relative(dir, f), crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')]));
}

describe('npm run encrypt-data', () => {
  it('turns a plain DATA_DIR into an encrypted one: every row and photo intact, no canary left in any file, a verified backup', async () => {
    const canary = newCanary();
    const { dataDir, tables, photos } = plainDataDir(canary);
    // A backup from before encryption, to be reported.
    const oldBackup = path.join(dataDir, 'backups', '2025-12-31T00-00-00Z');
    fs.mkdirSync(oldBackup, { recursive: true });
    fs.writeFileSync(path.join(oldBackup, 'manifest.json'), '{"tables":{}}');
    // The canary search finds plain text where there is some.
    expect(filesHoldingCanary(dataDir, canary).length).toBeGreaterThanOrEqual(4);

    const key = crypto.randomBytes(32);
    const lines: string[] = [];
    const result = await encryptData({ dataDir, keyChoice: { kind: 'key', key }, say: (l) => lines.push(l), now: new Date('2026-04-01T00:00:00Z') });

    const dbFile = path.join(dataDir, 'field-reports.db');
    expect(isPlaintextDatabase(dbFile)).toBe(false);
    const db = openKeyedFile(dbFile, deriveKey(key, 'database'));
    try {
      // Every row, plus the audit rows of the conversion and of the closing backup.
      expect(countTableRows(db)).toEqual({ ...tables, audit_events: (tables.audit_events ?? 0) + 2 });
      expect(db.prepare('SELECT kind FROM audit_events ORDER BY id').pluck().all()).toEqual(['data_encrypted', 'backup_made']);
      expect(db.prepare('SELECT title FROM reports').pluck().get()).toBe(`Title ${canary}`);
      expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    } finally {
      db.close();
    }
    expect(result.tables).toEqual(tables);
    expect(result.photosSealed).toBe(2);
    for (const photo of photos) {
      const sealed = fs.readFileSync(path.join(dataDir, 'uploads', photo.name));
      expect(openBytes({ key: deriveKey(key, 'photos'), sealed, associatedData: photo.name, label: photo.name })).toEqual(photo.bytes);
    }
    // The unfinished upload, the throttle store and every plain or temporary file are gone.
    expect(fs.readdirSync(path.join(dataDir, 'uploads')).sort()).toEqual(photos.map((p) => p.name).sort());
    expect(fs.readdirSync(dataDir).sort()).toEqual(['backups', 'field-reports.db', 'uploads']);
    expect(result.removed).toEqual(expect.arrayContaining(['field-reports.db', 'uploads', 'sign-in-throttle.db']));
    expect(result.filesOverwritten).toBeGreaterThanOrEqual(5);

    expect(result.backupOk).toBe(true);
    expect(path.dirname(result.backupDir)).toBe(path.join(dataDir, 'backups'));
    expect(verifyBackup(result.backupDir, { dataKey: key }).ok).toBe(true);
    expect(result.plaintextBackups).toEqual([oldBackup]);
    const said = lines.join('\n');
    expect(said).toMatch(/tables, \d+ rows copied, encrypted and verified/);
    expect(said).toContain('photos: 2 sealed and verified');
    expect(said).toMatch(/SSDs.*overwriting does not guarantee/);
    expect(said).toContain(`WARNING: plain-text backup ${oldBackup}`);

    expect(filesHoldingCanary(dataDir, canary)).toEqual([]);
  });

  it('refuses an already-encrypted DATA_DIR and changes nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-enc-'));
    made.push(dataDir);
    const sqlite = openSqlite(path.join(dataDir, 'field-reports.db'));
    sqlite.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    sqlite.close();
    const before = snapshotFiles(dataDir);
    await expect(encryptData({ dataDir, keyChoice: { kind: 'key', key: getDataKey() }, say: () => {} })).rejects.toThrow(/already encrypted/);
    expect(snapshotFiles(dataDir)).toEqual(before);
  });

  it('refuses a database another connection holds open ("stop the app first") and changes nothing', async () => {
    const { dataDir } = plainDataDir(newCanary());
    const app = openSqlite(path.join(dataDir, 'field-reports.db'), { key: null });
    try {
      app.prepare('SELECT count(*) FROM reports').get();
      const before = snapshotFiles(dataDir);
      await expect(encryptData({ dataDir, keyChoice: { kind: 'key', key: crypto.randomBytes(32) }, say: () => {} })).rejects.toThrow(/in use.*stop the app first/);
      expect(snapshotFiles(dataDir)).toEqual(before);
      // The app's connection goes on as before.
      app.prepare("UPDATE reports SET title = 'still writable'").run();
    } finally {
      app.close();
    }
  });

  it('refuses a DATA_DIR without a database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-empty-'));
    made.push(dataDir);
    await expect(encryptData({ dataDir, keyChoice: { kind: 'key', key: crypto.randomBytes(32) }, say: () => {} })).rejects.toThrow(/does not exist/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('leaves the plain data whole and no half-made file when a check fails before the swap', async () => {
    const canary = newCanary();
    const { dataDir, tables, photos } = plainDataDir(canary);
    // Something the photo step cannot take: a folder inside uploads.
    fs.mkdirSync(path.join(dataDir, 'uploads', 'stray-folder'));
    await expect(encryptData({ dataDir, keyChoice: { kind: 'key', key: crypto.randomBytes(32) }, say: () => {} })).rejects.toThrow(/stray-folder is not a regular file/);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['field-reports.db', 'sign-in-throttle.db', 'uploads']);
    expect(fs.existsSync(path.join(dataDir, SWAP_MARKER))).toBe(false);
    const plain = openSqlite(path.join(dataDir, 'field-reports.db'), { key: null });
    expect(countTableRows(plain)).toEqual(tables);
    plain.close();
    for (const photo of photos) expect(fs.readFileSync(path.join(dataDir, 'uploads', photo.name))).toEqual(photo.bytes);
  });

  it('runs as a command with FIELD_REPORTS_KEY_FILE (one spawn of the CLI)', async () => {
    const { dataDir } = plainDataDir(newCanary());
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), '--conditions=react-server', 'scripts/encrypt-data.ts'], {
        cwd: path.resolve(__dirname, '..'),
        env: { ...process.env, DATA_DIR: dataDir, ...env },
      });
    const { stdout } = await run({ FIELD_REPORTS_KEY_FILE: process.env.FIELD_REPORTS_KEY_FILE! });
    expect(stdout).toContain(`Done: ${dataDir} is encrypted.`);
    expect(() => openKeyedFile(path.join(dataDir, 'field-reports.db'), deriveKey(getDataKey(), 'database')).close()).not.toThrow();
    expect(() => openKeyedFile(path.join(dataDir, 'field-reports.db'), crypto.randomBytes(32))).toThrow(KeyError);
  }, 60_000);
});

describe('npm run encrypt-data and the plain-text WAL', () => {
  it('overwrites the WAL SQLite unlinks when it leaves WAL mode, so its newest rows do not linger in freed blocks', async () => {
    const canary = newCanary();
    const { dataDir } = plainDataDir(canary);
    const dbFile = path.join(dataDir, 'field-reports.db');
    // A server stopped with its last writes still in the WAL: copy the files while a writer holds it.
    const walCanary = `${canary}-WAL`;
    const writer = openSqlite(dbFile, { key: null });
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare('UPDATE reports SET narrative = ?').run(`Narrative ${walCanary}`);
    const stopped = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-stopped-'));
    made.push(stopped);
    for (const suffix of ['', '-wal', '-shm']) fs.copyFileSync(`${dbFile}${suffix}`, path.join(stopped, `field-reports.db${suffix}`));
    writer.close();
    for (const suffix of ['', '-wal', '-shm']) fs.copyFileSync(path.join(stopped, `field-reports.db${suffix}`), `${dbFile}${suffix}`);
    expect(fs.readFileSync(`${dbFile}-wal`).includes(walCanary)).toBe(true);
    // What a forensic look at freed blocks would see: a second name for the WAL's blocks.
    const freedBlocks = path.join(stopped, 'freed-wal');
    fs.linkSync(`${dbFile}-wal`, freedBlocks);

    await encryptData({ dataDir, keyChoice: { kind: 'key', key: crypto.randomBytes(32) }, say: () => {} });

    expect(fs.readFileSync(freedBlocks).includes(walCanary)).toBe(false);
    expect(fs.readFileSync(freedBlocks).every((byte) => byte === 0)).toBe(true);
    expect(filesHoldingCanary(dataDir, canary)).toEqual([]);
  });
});
