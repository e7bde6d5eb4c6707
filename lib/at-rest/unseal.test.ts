/**
 * Unsealing and the start-up check, on a real encrypted database in passphrase mode: nothing is
 * readable without the key, a wrong passphrase changes no file and is throttled, the right one
 * opens the data and is audited; a plain-text database and an unusable key file stop the start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PASSPHRASE = 'ink-lantern-ferry-quarry-77';
const CANARY = `CANARY-unseal-${crypto.randomBytes(6).toString('hex')}`;
let dataDir: string;
let savedKeyFile: string | undefined;

function snapshot(dir: string): string {
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const stat = fs.statSync(file);
      return `${name}:${stat.size}:${stat.mtimeMs}:${stat.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'dir'}`;
    })
    .join('\n');
}

beforeAll(async () => {
  savedKeyFile = process.env.FIELD_REPORTS_KEY_FILE;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-unseal-'));
  process.env.DATA_DIR = dataDir;
  const keys = await import('./keys');
  const passphrase = await import('./passphrase');
  passphrase.writeNewPassphraseFile(dataDir);
  keys.setDataKey(await passphrase.keyFromPassphrase(PASSPHRASE, dataDir), 'passphrase');
  const { runMigrations } = await import('@/scripts/migrate');
  const { closeDb } = await import('@/db/client');
  const { createTestAccount } = await import('@/lib/testing/accounts');
  runMigrations();
  createTestAccount('partner', CANARY);
  closeDb();
  // Restart as a server without a key file: sealed.
  delete process.env.FIELD_REPORTS_KEY_FILE;
  keys.clearDataKey();
});

afterAll(async () => {
  const { closeDb } = await import('@/db/client');
  const { clearDataKey } = await import('./keys');
  closeDb();
  clearDataKey();
  if (savedKeyFile) process.env.FIELD_REPORTS_KEY_FILE = savedKeyFile;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a server without its key', () => {
  it('holds no readable copy of what was written: the canary is in no file, in UTF-8 or UTF-16', () => {
    for (const name of fs.readdirSync(dataDir)) {
      const bytes = fs.readFileSync(path.join(dataDir, name));
      expect(bytes.includes(Buffer.from(CANARY, 'utf8')), name).toBe(false);
      expect(bytes.includes(Buffer.from(CANARY, 'utf16le')), name).toBe(false);
    }
  });

  it('starts sealed, and anything that needs the key is refused with SealedError', async () => {
    const { checkDataAtRest } = await import('./startup');
    const { isSealed, SealedError } = await import('./keys');
    const { getDb } = await import('@/db/client');
    expect(checkDataAtRest()).toBe('sealed');
    expect(isSealed()).toBe(true);
    expect(() => getDb()).toThrow(SealedError);
  });

  it('a wrong passphrase is refused, leaves every file as it was, and after 5 wrong ones the address must wait', async () => {
    const { unsealWithPassphrase } = await import('./unseal');
    const { isSealed } = await import('./keys');
    const before = snapshot(dataDir);
    for (let i = 0; i < 5; i += 1) {
      expect(await unsealWithPassphrase({ passphrase: `not-it-${i}-at-all-really`, clientKey: 'attacker' })).toEqual({ ok: false, code: 'wrong_passphrase' });
    }
    expect(snapshot(dataDir)).toBe(before);
    expect(isSealed()).toBe(true);
    const throttled = await unsealWithPassphrase({ passphrase: PASSPHRASE, clientKey: 'attacker' });
    expect(throttled).toMatchObject({ ok: false, code: 'throttled' });
    expect(throttled.ok === false && throttled.code === 'throttled' && throttled.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(isSealed()).toBe(true);
  });

  it('refuses an empty or oversized passphrase without deriving anything', async () => {
    const { unsealWithPassphrase } = await import('./unseal');
    expect(await unsealWithPassphrase({ passphrase: '', clientKey: 'admin' })).toMatchObject({ ok: false, code: 'invalid', message: 'Enter the passphrase.' });
    expect(await unsealWithPassphrase({ passphrase: 'x'.repeat(1025), clientKey: 'admin' })).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('the right passphrase (from another address) opens the data and the unsealing is audited', async () => {
    const { unsealWithPassphrase } = await import('./unseal');
    const { isSealed } = await import('./keys');
    const { getSqlite } = await import('@/db/client');
    expect(await unsealWithPassphrase({ passphrase: PASSPHRASE, clientKey: 'admin' })).toEqual({ ok: true });
    expect(isSealed()).toBe(false);
    expect(getSqlite().prepare('SELECT code_name FROM accounts WHERE code_name = ?').pluck().get(CANARY)).toBe(CANARY);
    expect(getSqlite().prepare("SELECT count(*) FROM audit_events WHERE kind = 'server_unsealed'").pluck().get()).toBe(1);
    expect(await unsealWithPassphrase({ passphrase: PASSPHRASE, clientKey: 'admin' })).toEqual({ ok: false, code: 'not_sealed' });
  });
});

describe('checkDataAtRest at start', () => {
  it('refuses a plain-text database, naming it and the command to run', async () => {
    const { checkDataAtRest } = await import('./startup');
    const { openSqlite } = await import('@/db/client');
    const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-plain-'));
    const saved = process.env.DATA_DIR;
    process.env.DATA_DIR = plainDir;
    try {
      openSqlite(path.join(plainDir, 'field-reports.db'), { key: null }).exec('CREATE TABLE t (x)');
      expect(() => checkDataAtRest()).toThrow(/field-reports\.db is a plain-text \(unencrypted\) database.*npm run encrypt-data/);
    } finally {
      process.env.DATA_DIR = saved;
      fs.rmSync(plainDir, { recursive: true, force: true });
    }
  });

  it('refuses a key file that does not open the database', async () => {
    const { checkDataAtRest } = await import('./startup');
    const { clearDataKey } = await import('./keys');
    const { closeDb } = await import('@/db/client');
    closeDb();
    clearDataKey();
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-wrong-key-'));
    const keyFile = path.join(keyDir, 'data.key');
    fs.writeFileSync(keyFile, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    process.env.FIELD_REPORTS_KEY_FILE = keyFile;
    try {
      expect(() => checkDataAtRest()).toThrow(/field-reports\.db does not open with this key/);
    } finally {
      delete process.env.FIELD_REPORTS_KEY_FILE;
      clearDataKey();
      fs.rmSync(keyDir, { recursive: true, force: true });
    }
  });
});

describe('checkDataAtRest after an interrupted encrypt-data or rekey', () => {
  it('refuses to start while the swap marker is in DATA_DIR, saying to run the command again', async () => {
    const { checkDataAtRest, SWAP_MARKER_FILE } = await import('./startup');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-swap-'));
    const saved = process.env.DATA_DIR;
    process.env.DATA_DIR = dir;
    try {
      fs.writeFileSync(path.join(dir, SWAP_MARKER_FILE), '{}');
      expect(() => checkDataAtRest()).toThrow(/at-rest-swap\.json is there: .*interrupted.*Run the same command again/);
    } finally {
      process.env.DATA_DIR = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkDataAtRest without a key file where no passphrase can help', () => {
  it('refuses data that was encrypted with a key file (no passphrase.json), saying to set FIELD_REPORTS_KEY_FILE', async () => {
    const { checkDataAtRest } = await import('./startup');
    const { openSqlite } = await import('@/db/client');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-keyfile-data-'));
    const saved = process.env.DATA_DIR;
    process.env.DATA_DIR = dir;
    try {
      openSqlite(path.join(dir, 'field-reports.db'), { key: crypto.randomBytes(32) }).close();
      expect(() => checkDataAtRest()).toThrow(/FIELD_REPORTS_KEY_FILE is not set, and .* has no passphrase\.json: its data was encrypted with a key file/);
      fs.rmSync(path.join(dir, 'field-reports.db'));
      expect(() => checkDataAtRest()).toThrow(/holds no database yet: run `npm run db:migrate` first/);
    } finally {
      process.env.DATA_DIR = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('unseal throttling that parallel requests and changing addresses cannot step around', () => {
  async function sealAgain() {
    const { closeDb } = await import('@/db/client');
    const { clearDataKey, isSealed } = await import('./keys');
    closeDb();
    clearDataKey();
    delete (globalThis as { __fieldReportsUnseal?: unknown }).__fieldReportsUnseal; // a fresh process's counters
    expect(isSealed()).toBe(true);
  }

  it('counts an attempt before its Argon2id runs: of 10 sent at once from one address, one is checked and 9 are told to wait', async () => {
    await sealAgain();
    const { unsealWithPassphrase } = await import('./unseal');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => unsealWithPassphrase({ passphrase: `parallel-guess-${i}-xxxxxxxx`, clientKey: 'one-address' })));
    expect(results.filter((r) => !r.ok && r.code === 'wrong_passphrase')).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'busy')).toHaveLength(9);
  });

  it('after 20 wrong passphrases from 20 addresses, everyone waits — a new address too, even with the right passphrase', async () => {
    await sealAgain();
    const { unsealWithPassphrase } = await import('./unseal');
    const { isSealed } = await import('./keys');
    for (let i = 0; i < 20; i += 1) {
      expect(await unsealWithPassphrase({ passphrase: `rotating-guess-${i}-xxxxxxxx`, clientKey: `10.0.0.${i}` })).toEqual({ ok: false, code: 'wrong_passphrase' });
    }
    expect(await unsealWithPassphrase({ passphrase: 'one-more-guess-xxxxxxxx', clientKey: '10.0.0.99' })).toMatchObject({ ok: false, code: 'throttled' });
    expect(await unsealWithPassphrase({ passphrase: PASSPHRASE, clientKey: 'newsroom' })).toMatchObject({ ok: false, code: 'throttled' });
    expect(isSealed()).toBe(true);
  });
});
