import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveKey, newKeyFileText, readKeyFile, writeNewKeyFile } from './keys';
import { openBytes, sealBytes } from './envelope';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-keys-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function keyFile(content: string, mode = 0o600): { file: string; dataDir: string } {
  const root = tempDir();
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  const file = path.join(root, 'secrets', 'data.key');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  return { file, dataDir };
}

describe('readKeyFile: the key never sits beside the data, and a bad key file is refused by name', () => {
  it('reads 64 hex characters (with or without a newline) as 32 bytes', () => {
    const hex = newKeyFileText().trim();
    expect(readKeyFile(keyFile(`${hex}\n`).file, tempDir()).toString('hex')).toBe(hex);
    const { file, dataDir } = keyFile(hex);
    expect(readKeyFile(file, dataDir)).toHaveLength(32);
  });

  it('refuses a missing file, naming it', () => {
    const dir = tempDir();
    expect(() => readKeyFile(path.join(dir, 'nope.key'), dir)).toThrow(/nope\.key.*does not exist/);
  });

  it('refuses a key file other users can read, and says how to fix it', () => {
    const { file, dataDir } = keyFile(newKeyFileText(), 0o644);
    expect(() => readKeyFile(file, dataDir)).toThrow(/readable or writable by other users \(mode 644\).*chmod 600/);
    fs.chmodSync(file, 0o640);
    expect(() => readKeyFile(file, dataDir)).toThrow(/mode 640/);
  });

  it('refuses a key file inside DATA_DIR (also through a symbolic link to it)', () => {
    const root = tempDir();
    const inside = path.join(root, 'data.key');
    fs.writeFileSync(inside, newKeyFileText(), { mode: 0o600 });
    expect(() => readKeyFile(inside, root)).toThrow(/inside DATA_DIR/);
    const elsewhere = tempDir();
    const link = path.join(elsewhere, 'link.key');
    fs.symlinkSync(inside, link);
    expect(() => readKeyFile(link, root)).toThrow(/inside DATA_DIR/);
  });

  it('refuses a key file whose name inside DATA_DIR merely starts with two dots (..data.key, ..keys/k)', () => {
    const root = tempDir();
    for (const name of ['..data.key', path.join('..keys', 'k')]) {
      const file = path.join(root, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, newKeyFileText(), { mode: 0o600 });
      expect(() => readKeyFile(file, root), name).toThrow(/inside DATA_DIR/);
    }
    expect(() => writeNewKeyFile(path.join(root, '..new', 'k.key'), root)).toThrow(/inside DATA_DIR/);
  });

  it('refuses a placeholder key (all zeros, one byte repeated)', () => {
    for (const content of ['0'.repeat(64), 'ff'.repeat(32)]) {
      const { file, dataDir } = keyFile(content);
      expect(() => readKeyFile(file, dataDir), content).toThrow(/one byte repeated/);
    }
  });

  it('refuses content that is not exactly 32 bytes of hex (a passphrase typed into the file, a short key)', () => {
    for (const content of ['correct horse battery staple\n', 'ab'.repeat(31), `${'ab'.repeat(32)}00`, `${'zz'.repeat(32)}`]) {
      const { file, dataDir } = keyFile(content);
      expect(() => readKeyFile(file, dataDir), content).toThrow(/exactly 64 hexadecimal characters/);
    }
  });

  it('writeNewKeyFile makes an owner-only file and never overwrites one', () => {
    const root = tempDir();
    const dataDir = path.join(root, 'data');
    const file = path.join(root, 'keys', 'new.key');
    const key = writeNewKeyFile(file, dataDir);
    expect(key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(() => writeNewKeyFile(file, dataDir)).toThrow(/already exists/);
    expect(readKeyFile(file, dataDir).equals(key)).toBe(true);
    expect(() => writeNewKeyFile(path.join(dataDir, 'in.key'), dataDir)).toThrow(/inside DATA_DIR/);
  });
});

describe('deriveKey: one subkey per use', () => {
  it('gives different 32-byte keys for the database, the throttle store, photos and backup manifests, the same each time', () => {
    const dataKey = Buffer.alloc(32, 7);
    const keys = (['database', 'sign-in-throttle', 'photos', 'backup-manifest'] as const).map((p) => deriveKey(dataKey, p).toString('hex'));
    expect(new Set(keys).size).toBe(4);
    expect(deriveKey(dataKey, 'photos').toString('hex')).toBe(keys[2]);
    expect(() => deriveKey(Buffer.alloc(16), 'photos')).toThrow(/32 bytes/);
  });
});

describe('sealBytes / openBytes', () => {
  const key = Buffer.alloc(32, 1);
  const plaintext = Buffer.from('CANARY-envelope-3b1f secret bytes');

  it('round-trips, and the sealed bytes do not contain the plaintext; two seals of the same bytes differ (fresh nonce)', () => {
    const a = sealBytes({ key, plaintext, associatedData: 'a.jpg' });
    const b = sealBytes({ key, plaintext, associatedData: 'a.jpg' });
    expect(a.includes(plaintext)).toBe(false);
    expect(a.equals(b)).toBe(false);
    expect(openBytes({ key, sealed: a, associatedData: 'a.jpg', label: 'uploads/a.jpg' }).equals(plaintext)).toBe(true);
  });

  it('refuses another name, another key, one flipped bit, and a cut-short file — naming the file', () => {
    const sealed = sealBytes({ key, plaintext, associatedData: 'a.jpg' });
    expect(() => openBytes({ key, sealed, associatedData: 'b.jpg', label: 'uploads/b.jpg' })).toThrow(/uploads\/b\.jpg failed its integrity check/);
    expect(() => openBytes({ key: Buffer.alloc(32, 2), sealed, associatedData: 'a.jpg', label: 'uploads/a.jpg' })).toThrow(/uploads\/a\.jpg failed/);
    const flipped = Buffer.from(sealed);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    expect(() => openBytes({ key, sealed: flipped, associatedData: 'a.jpg', label: 'uploads/a.jpg' })).toThrow(/failed its integrity check/);
    expect(() => openBytes({ key, sealed: sealed.subarray(0, 10), associatedData: 'a.jpg', label: 'uploads/a.jpg' })).toThrow(/not an encrypted Field Reports file/);
  });
});
