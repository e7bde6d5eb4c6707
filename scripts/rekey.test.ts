import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBytes } from '@/lib/at-rest/envelope';
import { deriveKey, KeyError } from '@/lib/at-rest/keys';
import { keyFromPassphrase, writeNewPassphraseFile } from '@/lib/at-rest/passphrase';
import { countTableRows, openKeyedFile, verifyBackup } from './backup';
import { openSqlite } from '@/db/client';
import { encryptData } from './encrypt-data';
import { parseRekeyArguments, rekeyData } from './rekey';
import { listFilesUnder, makePlainDataDir, type PlainDataDir } from '@/lib/testing/plain-data-dir';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** An encrypted DATA_DIR under `key`, made by encrypt-data from a plain one. */
async function encryptedDataDir(key: Buffer): Promise<PlainDataDir> {
  const plain = makePlainDataDir(`CANARY-${crypto.randomBytes(6).toString('hex')}`);
  made.push(plain.dataDir);
  await encryptData({ dataDir: plain.dataDir, keyChoice: { kind: 'key', key }, say: () => {} });
  return plain;
}

function opensWith(file: string, key: Buffer): boolean {
  try {
    openKeyedFile(file, deriveKey(key, 'database')).close();
    return true;
  } catch (error) {
    if (error instanceof KeyError) return false;
    throw error;
  }
}

const PASSPHRASE = 'correct horse battery staple, twice';

describe('npm run rekey', () => {
  it('moves the data to a new key file: the old key no longer opens it, the new one does, photos too, after a backup with the old key', async () => {
    const oldKey = crypto.randomBytes(32);
    const { dataDir, photos } = await encryptedDataDir(oldKey);
    const dbFile = path.join(dataDir, 'field-reports.db');
    const before = openKeyedFile(dbFile, deriveKey(oldKey, 'database'));
    const tablesBefore = countTableRows(before);
    before.close();
    // A passphrase.json left from passphrase mode goes: the new key is the key file.
    writeNewPassphraseFile(dataDir);

    const keyFile = path.join(tempDir('fr-newkey-'), 'data.key');
    const lines: string[] = [];
    const result = await rekeyData({ dataDir, oldKey, keyChoice: { kind: 'new-key-file', file: keyFile }, say: (l) => lines.push(l), now: new Date('2026-05-01T00:00:00Z') });

    const newKey = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(opensWith(dbFile, oldKey)).toBe(false);
    expect(opensWith(dbFile, newKey)).toBe(true);
    const after = openKeyedFile(dbFile, deriveKey(newKey, 'database'));
    // Every row, plus the audit rows of the backup made with the old key and of the key change.
    expect(countTableRows(after)).toEqual({ ...tablesBefore, audit_events: (tablesBefore.audit_events ?? 0) + 2 });
    expect(after.prepare('SELECT kind, detail FROM audit_events ORDER BY id DESC LIMIT 2').all()).toEqual([
      { kind: 'data_rekeyed', detail: JSON.stringify({ to: 'key-file', photos: 2 }) },
      { kind: 'backup_made', detail: expect.any(String) },
    ]);
    expect(after.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    after.close();
    for (const photo of photos) {
      const sealed = fs.readFileSync(path.join(dataDir, 'uploads', photo.name));
      expect(openBytes({ key: deriveKey(newKey, 'photos'), sealed, associatedData: photo.name, label: photo.name })).toEqual(photo.bytes);
      expect(() => openBytes({ key: deriveKey(oldKey, 'photos'), sealed, associatedData: photo.name, label: photo.name })).toThrow(/sealed with another key/);
    }
    // The backup opens with the old key only.
    expect(verifyBackup(result.backupDir, { dataKey: oldKey }).ok).toBe(true);
    expect(verifyBackup(result.backupDir, { dataKey: newKey }).ok).toBe(false);
    // The salt of the old passphrase.json goes with the backup: it is needed to open it by passphrase.
    expect(fs.existsSync(path.join(result.backupDir, 'passphrase.json'))).toBe(true);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['backups', 'field-reports.db', 'uploads']);
    expect(result.newKeySource).toBe(keyFile);
    const said = lines.join('\n');
    expect(said).toContain(`Set FIELD_REPORTS_KEY_FILE=${keyFile}`);
    expect(said).toMatch(/open only with the OLD key: keep the old key file/);

    // Run again with the same arguments (the operator did not switch yet): told it is done, never to delete the key.
    await expect(rekeyData({ dataDir, oldKey, keyChoice: { kind: 'new-key-file', file: keyFile }, say: () => {} })).rejects.toThrow(
      /already opens with .*an earlier `npm run rekey` finished/,
    );
    expect(fs.existsSync(keyFile)).toBe(true);
  });

  it('moves the data to a new passphrase (the salt file staged beside, put in place at the swap)', async () => {
    const oldKey = crypto.randomBytes(32);
    const { dataDir } = await encryptedDataDir(oldKey);
    const result = await rekeyData({
      dataDir,
      oldKey,
      keyChoice: {
        kind: 'new-passphrase',
        choosePassphrase: async (dir) => {
          writeNewPassphraseFile(dir);
          return keyFromPassphrase(PASSPHRASE, dir);
        },
      },
      say: () => {},
    });
    const newKey = await keyFromPassphrase(PASSPHRASE, dataDir);
    expect(opensWith(path.join(dataDir, 'field-reports.db'), newKey)).toBe(true);
    expect(opensWith(path.join(dataDir, 'field-reports.db'), oldKey)).toBe(false);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['backups', 'field-reports.db', 'passphrase.json', 'uploads']);
    expect(result.afterwards.join('\n')).toMatch(/unseal it at \/unseal with the new passphrase/);
  });

  it('refuses a wrong old key, an existing key file, a key file inside DATA_DIR and a database in use, changing no data', async () => {
    const oldKey = crypto.randomBytes(32);
    const { dataDir } = await encryptedDataDir(oldKey);
    const dbFile = path.join(dataDir, 'field-reports.db');
    const fresh = () => path.join(tempDir('fr-newkey-'), 'data.key');
    const files = () => listFilesUnder(dataDir).map((f) => path.relative(dataDir, f)).sort();
    const before = files();

    await expect(rekeyData({ dataDir, oldKey: crypto.randomBytes(32), keyChoice: { kind: 'new-key-file', file: fresh() }, say: () => {} })).rejects.toThrow(/does not open with this key/);
    const existing = fresh();
    fs.writeFileSync(existing, 'x', { mode: 0o600 });
    await expect(rekeyData({ dataDir, oldKey, keyChoice: { kind: 'new-key-file', file: existing }, say: () => {} })).rejects.toThrow(
      /already exists: not overwriting it\. The data still opens with the old key, so if an interrupted `npm run rekey` wrote it, it protects nothing/,
    );
    await expect(rekeyData({ dataDir, oldKey, keyChoice: { kind: 'new-key-file', file: path.join(dataDir, 'inside.key') }, say: () => {} })).rejects.toThrow(/inside DATA_DIR/);
    // The app as it runs: a WAL connection that has read (an idle WAL connection keeps its lock).
    const app = openSqlite(dbFile, { key: deriveKey(oldKey, 'database') });
    app.prepare('SELECT count(*) FROM reports').get();
    const unusedKeyFile = fresh();
    try {
      await expect(rekeyData({ dataDir, oldKey, keyChoice: { kind: 'new-key-file', file: unusedKeyFile }, say: () => {} })).rejects.toThrow(/stop the app first/);
    } finally {
      app.close();
    }
    expect(fs.existsSync(unusedKeyFile)).toBe(false);
    expect(files()).toEqual(before);
    expect(opensWith(dbFile, oldKey)).toBe(true);
  });

  it('stops before changing anything when the backup with the old key does not verify (a damaged photo), and removes the unused new key file', async () => {
    const oldKey = crypto.randomBytes(32);
    const { dataDir, photos } = await encryptedDataDir(oldKey);
    const damaged = path.join(dataDir, 'uploads', photos[0]!.name);
    const bytes = fs.readFileSync(damaged);
    bytes[bytes.length - 1]! ^= 0x80;
    fs.writeFileSync(damaged, bytes);
    const keyFile = path.join(tempDir('fr-newkey-'), 'data.key');
    await expect(rekeyData({ dataDir, oldKey, keyChoice: { kind: 'new-key-file', file: keyFile }, say: () => {} })).rejects.toThrow(
      new RegExp(`did not verify: upload ${photos[0]!.name} does not open with the photos key`),
    );
    expect(fs.existsSync(keyFile)).toBe(false);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['backups', 'field-reports.db', 'uploads']);
    expect(opensWith(path.join(dataDir, 'field-reports.db'), oldKey)).toBe(true);
  });

  it('takes exactly one of --to-key-file <path> and --to-passphrase', () => {
    expect(parseRekeyArguments(['--to-key-file', '/etc/fr/new.key'])).toEqual({ kind: 'new-key-file', file: '/etc/fr/new.key' });
    expect(parseRekeyArguments(['--to-passphrase'])).toEqual({ kind: 'new-passphrase' });
    expect(parseRekeyArguments([])).toBeNull();
    expect(parseRekeyArguments(['--to-key-file'])).toBeNull();
    expect(parseRekeyArguments(['--to-passphrase', '--to-key-file', 'x'])).toBeNull();
  });
});
