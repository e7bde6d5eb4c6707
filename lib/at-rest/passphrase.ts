/**
 * Passphrase mode: the data key is Argon2id(passphrase, salt) with the salt and parameters in
 * DATA_DIR/passphrase.json (no secret in it). Used by /unseal and by the scripts/ tools
 * (docs/security/encryption-at-rest.md).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hashRaw } from '@node-rs/argon2';
import { KEY_BYTES, KeyError } from './keys';

/** File in DATA_DIR holding the Argon2id salt and parameters of passphrase mode (no secret). */
export const PASSPHRASE_FILE = 'passphrase.json';

/** Shortest passphrase accepted when one is set (a few diceware words). */
export const MIN_PASSPHRASE_LENGTH = 16;

/** Argon2id parameters for a new passphrase: 64 MiB, 3 passes, 1 lane (RFC 9106's second choice). */
export const PASSPHRASE_KDF = { memoryCostKiB: 65536, timeCost: 3, parallelism: 1 } as const;

/** Largest Argon2id memory cost accepted from passphrase.json: 1 GiB. */
const MAX_MEMORY_COST_KIB = 1024 * 1024;

type PassphraseFile = { kdf: 'argon2id'; salt: string; memoryCostKiB: number; timeCost: number; parallelism: number; createdAt: string };

/** True when DATA_DIR holds passphrase-mode parameters (passphrase.json). */
export function hasPassphraseFile(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, PASSPHRASE_FILE));
}

function readPassphraseFile(dataDir: string): PassphraseFile {
  const file = path.join(dataDir, PASSPHRASE_FILE);
  let parsed: Partial<PassphraseFile>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<PassphraseFile>;
  } catch {
    throw new KeyError(`${file} is missing or damaged: without it the passphrase cannot give the key (restore it from a backup, or use a key file).`);
  }
  const ok =
    parsed.kdf === 'argon2id' &&
    typeof parsed.salt === 'string' &&
    Buffer.from(parsed.salt, 'base64').length >= 16 &&
    Number.isInteger(parsed.memoryCostKiB) &&
    Number.isInteger(parsed.timeCost) &&
    Number.isInteger(parsed.parallelism) &&
    // Bounded, so a tampered file cannot make every unseal exhaust memory or time.
    parsed.memoryCostKiB! >= 19456 && parsed.memoryCostKiB! <= MAX_MEMORY_COST_KIB &&
    parsed.timeCost! >= 1 && parsed.timeCost! <= 10 &&
    parsed.parallelism! >= 1 && parsed.parallelism! <= 8;
  if (!ok) throw new KeyError(`${file} is damaged (expected kdf argon2id, a salt of at least 16 bytes, memory 19–1,048,576 KiB, 1–10 passes, 1–8 lanes).`);
  return parsed as PassphraseFile;
}

/**
 * Write a fresh salt for a new passphrase into DATA_DIR/passphrase.json (mode 0600), replacing any
 * older one. Call only when the key changes (first set-up, encrypt-data, rekey).
 */
export function writeNewPassphraseFile(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const content: PassphraseFile = {
    kdf: 'argon2id',
    salt: crypto.randomBytes(16).toString('base64'),
    memoryCostKiB: PASSPHRASE_KDF.memoryCostKiB,
    timeCost: PASSPHRASE_KDF.timeCost,
    parallelism: PASSPHRASE_KDF.parallelism,
    createdAt: new Date().toISOString(),
  };
  const file = path.join(dataDir, PASSPHRASE_FILE);
  const temp = `${file}.tmp-${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Remove DATA_DIR/passphrase.json (after a rekey to a key file). */
export function removePassphraseFile(dataDir: string): void {
  fs.rmSync(path.join(dataDir, PASSPHRASE_FILE), { force: true });
}

/**
 * The data key a passphrase gives, with the salt and parameters in DATA_DIR/passphrase.json
 * (Argon2id, RFC 9106). Takes about 0.2–0.5 s and 64 MiB by design.
 * @param passphrase NFC-normalised before use, so the same words typed on another keyboard match
 * @throws KeyError when passphrase.json is missing or damaged
 */
export async function keyFromPassphrase(passphrase: string, dataDir: string): Promise<Buffer> {
  const params = readPassphraseFile(dataDir);
  const raw = await hashRaw(passphrase.normalize('NFC'), {
    algorithm: 2, // Algorithm.Argon2id (a const enum, not importable under isolatedModules)
    salt: Buffer.from(params.salt, 'base64'),
    memoryCost: params.memoryCostKiB,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    outputLen: KEY_BYTES,
  });
  return Buffer.from(raw);
}
