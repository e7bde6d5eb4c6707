/**
 * The data key: where it comes from, what is derived from it, and whether the server is sealed
 * (docs/security/encryption-at-rest.md; docs/decisions/0002-encryption-at-rest.md).
 *
 * One 32-byte data key protects everything at rest. It is never stored in DATA_DIR. It comes from:
 * - a key file outside DATA_DIR named by FIELD_REPORTS_KEY_FILE (64 hex characters, owner-only), or
 * - the newsroom's passphrase, through Argon2id with a salt kept in DATA_DIR/passphrase.json; the
 *   server then starts sealed and an admin unseals it at /unseal.
 * Every use gets its own subkey through HKDF-SHA256 (RFC 5869), so the database, the throttle store
 * and the photo files never share a key.
 *
 * No 'server-only' import: the scripts/ tools (migrate, backup, encrypt-data, rekey) use this too, and
 * proxy.ts asks isSealed() (so nothing here loads a native module; Argon2id is in passphrase.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Bytes in the data key and in every derived key (AES-256). */
export const KEY_BYTES = 32;

/** What a derived key is for; the HKDF `info` of each is `field-reports/<purpose>/v1`. */
export type KeyPurpose = 'database' | 'sign-in-throttle' | 'photos' | 'backup-manifest';

/** A problem with the key or its source; the message names the file and what to do, never a secret. */
export class KeyError extends Error {
  override name = 'KeyError';
}

/** Thrown by anything that needs the data key while the server is sealed. */
export class SealedError extends Error {
  override name = 'SealedError';
  constructor() {
    super('Field Reports is sealed: the data key has not been given yet (enter the passphrase at /unseal).');
  }
}

/**
 * Derive the subkey for one use from the data key (HKDF-SHA256, empty salt, info
 * `field-reports/<purpose>/v1`).
 * @returns 32 bytes
 */
export function deriveKey(dataKey: Buffer, purpose: KeyPurpose): Buffer {
  if (dataKey.length !== KEY_BYTES) throw new KeyError(`The data key must be ${KEY_BYTES} bytes.`);
  return Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), `field-reports/${purpose}/v1`, KEY_BYTES));
}

/** A new random data key (CSPRNG), as written to a key file: 64 lowercase hex characters. */
export function newKeyFileText(): string {
  return `${crypto.randomBytes(KEY_BYTES).toString('hex')}\n`;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  // `..data.key` is a name inside `parent` that merely starts with two dots.
  const isOutside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return !isOutside;
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Read and check a key file.
 * @param file path from FIELD_REPORTS_KEY_FILE
 * @param dataDir DATA_DIR: the key file must not be inside it (the key never sits beside the data)
 * @returns the 32-byte data key
 * @throws KeyError naming the file when it is missing, not a regular file, readable or writable by
 *   group or others, inside DATA_DIR, not exactly 64 hex characters (one trailing newline allowed),
 *   or one byte repeated (a placeholder such as all zeros)
 */
export function readKeyFile(file: string, dataDir: string): Buffer {
  const resolved = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new KeyError(`Key file ${resolved} (FIELD_REPORTS_KEY_FILE) does not exist or cannot be read.`);
  }
  if (!stat.isFile()) throw new KeyError(`Key file ${resolved} (FIELD_REPORTS_KEY_FILE) is not a regular file.`);
  if ((stat.mode & 0o077) !== 0) {
    throw new KeyError(
      `Key file ${resolved} is readable or writable by other users (mode ${(stat.mode & 0o777).toString(8)}): refusing to use it. Run \`chmod 600 ${resolved}\` after checking who has read it.`,
    );
  }
  if (isInside(realOrResolved(resolved), realOrResolved(dataDir))) {
    throw new KeyError(`Key file ${resolved} is inside DATA_DIR (${path.resolve(dataDir)}): keep it elsewhere, e.g. a secrets mount, so a copy of the data does not carry its key.`);
  }
  const text = fs.readFileSync(resolved, 'utf8');
  const match = /^([0-9a-fA-F]{64})\r?\n?$/.exec(text);
  if (!match?.[1]) throw new KeyError(`Key file ${resolved} must hold exactly 64 hexadecimal characters (32 random bytes), e.g. made by \`openssl rand -hex 32\`.`);
  const key = Buffer.from(match[1], 'hex');
  // A placeholder (all zeros, one byte repeated) is not a key anyone generated.
  if (key.every((byte) => byte === key[0])) throw new KeyError(`Key file ${resolved} holds one byte repeated, not a random key: make one with \`openssl rand -hex 32\`.`);
  return key;
}

/**
 * Write a new key file (mode 0600, never overwriting) and return its key.
 * @throws KeyError when the file exists or lies inside DATA_DIR
 */
export function writeNewKeyFile(file: string, dataDir: string): Buffer {
  const resolved = path.resolve(file);
  fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
  if (isInside(realOrResolved(path.dirname(resolved)), realOrResolved(dataDir))) {
    throw new KeyError(`Key file ${resolved} would be inside DATA_DIR (${path.resolve(dataDir)}): choose a path outside it.`);
  }
  try {
    fs.writeFileSync(resolved, newKeyFileText(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError(`Key file ${resolved} already exists: not overwriting it.`);
    throw error;
  }
  return readKeyFile(resolved, dataDir);
}

// ---------------------------------------------------------------------------------------------
// The process's key: loaded from the key file on first need, or given by unsealing.
// ---------------------------------------------------------------------------------------------

type KeyState = { key: Buffer; source: 'key-file' | 'passphrase' };
const globalForKey = globalThis as unknown as { __fieldReportsDataKey?: KeyState };

function dataDirFromEnv(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || './data');
}

/**
 * True when the operator chose to run without encryption, which only the benchmark's plain-text
 * comparison does (FIELD_REPORTS_PLAINTEXT=benchmark-only). Nothing else in the app or its docs
 * offers it; the server prints a warning at every start in that mode.
 */
export function isPlaintextMode(): boolean {
  return process.env.FIELD_REPORTS_PLAINTEXT === 'benchmark-only';
}

/**
 * The data key of this process.
 * @returns 32 bytes
 * @throws KeyError when FIELD_REPORTS_KEY_FILE is set but unusable; SealedError when there is no
 *   key file and no one has unsealed the server yet
 */
export function getDataKey(): Buffer {
  const state = globalForKey.__fieldReportsDataKey;
  if (state) return state.key;
  const file = process.env.FIELD_REPORTS_KEY_FILE;
  if (!file) throw new SealedError();
  const key = readKeyFile(file, dataDirFromEnv());
  globalForKey.__fieldReportsDataKey = { key, source: 'key-file' };
  return key;
}

/** The derived key for one use (see deriveKey); throws as getDataKey does. */
export function getDerivedKey(purpose: KeyPurpose): Buffer {
  return deriveKey(getDataKey(), purpose);
}

/**
 * True while the server has no data key: no key file is configured and no one has unsealed it.
 * A configured key file counts as unsealed (its errors surface at start and on first use).
 */
export function isSealed(): boolean {
  if (isPlaintextMode()) return false;
  return !globalForKey.__fieldReportsDataKey && !process.env.FIELD_REPORTS_KEY_FILE;
}

/** Install the data key (after the passphrase opened the database). */
export function setDataKey(key: Buffer, source: KeyState['source']): void {
  if (key.length !== KEY_BYTES) throw new KeyError(`The data key must be ${KEY_BYTES} bytes.`);
  globalForKey.__fieldReportsDataKey = { key: Buffer.from(key), source };
}

/** Forget the process's key (tests; scripts that switch keys). */
export function clearDataKey(): void {
  globalForKey.__fieldReportsDataKey?.key.fill(0);
  globalForKey.__fieldReportsDataKey = undefined;
}
