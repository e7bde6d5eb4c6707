/**
 * What `npm run encrypt-data` and `npm run rekey` share: the offline lock on the database, an
 * encrypted copy made and proved beside the live one, photos sealed again into a new folder and
 * proved, overwriting plain-text files, and the swap that puts the new files in place so that a
 * crash at any moment leaves either the old data or the new data, never a mix without a way back
 * (docs/security/encryption-at-rest.md).
 *
 * The swap: everything new is written under other names in DATA_DIR and verified first. Then a
 * marker, DATA_DIR/at-rest-swap.json, is written and flushed: it lists each rename (live → old,
 * new → live) and is the commit point. The renames follow (each atomic, same file system), then the
 * old files are destroyed and the marker removed. A crash before the marker leaves the old data
 * whole (the half-made new files are removed by the next run); a crash after it is finished by
 * running the same command again (`finishInterruptedSwap`), which only renames and deletes and so
 * needs no key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { looksSealed, openBytes, sealBytes } from '@/lib/at-rest/envelope';
import { deriveKey, KeyError, writeNewKeyFile } from '@/lib/at-rest/keys';
import { PASSPHRASE_FILE } from '@/lib/at-rest/passphrase';
import { SWAP_MARKER_FILE } from '@/lib/at-rest/startup';
import { countTableRows, DATABASE_FILE, fsyncPath, isUnfinishedUpload, listUploadNames, openKeyedFile, PLAINTEXT_MANIFEST_FILE, sha256Hex } from './backup';
import { isPlaintextDatabase } from '@/db/client';
import { setNewPassphrase } from './script-key';

/** Where each line of a command's report goes (console.log in the CLI, an array in tests). */
export type Say = (line: string) => void;

/** A refusal or a failed check: the message says what is wrong and what to do; nothing was changed. */
export class OfflineError extends Error {
  override name = 'OfflineError';
}

/** The swap marker in DATA_DIR (see the module comment). */
export const SWAP_MARKER = SWAP_MARKER_FILE;

/** Files beside the main database that SQLite names after it. */
export const SQLITE_SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** The sign-in throttle's store and its side files (lib/auth/throttle.ts): counters only, safe to delete. */
export const THROTTLE_FILES = ['sign-in-throttle.db', ...SQLITE_SIDE_SUFFIXES.map((s) => `sign-in-throttle.db${s}`)];

/**
 * The live database, opened for maintenance and held so that the app cannot start or write until
 * `release()`: a read transaction keeps a SHARED lock, which blocks every writer and the app's
 * switch to WAL at start (both need EXCLUSIVE).
 */
export type OfflineLock = { sqlite: Database.Database; release: () => void };

/**
 * Open the live database offline: refuse when another connection has it open, else switch it to
 * rollback-journal mode (this checkpoints the WAL into the database file and removes -wal and
 * -shm, so nothing stale is left beside it when it is replaced; the app switches back to WAL when
 * it opens it) and hold it (OfflineLock).
 * @param key 32-byte database key, or null for a plain-text database
 * @throws OfflineError when the file is missing or in use (nothing changed); KeyError when the key
 *   does not open it
 */
export function lockDatabaseOffline(file: string, key: Buffer | null): OfflineLock {
  if (!fs.existsSync(file)) throw new OfflineError(`${file} does not exist: check DATA_DIR. Nothing was changed.`);
  const sqlite = openMaybeKeyed(file, key);
  // A plain-text WAL holds the newest rows in the clear, and leaving WAL mode makes SQLite unlink
  // it without overwriting. A second name for it keeps its blocks ours until they are zeroed.
  const plainWal = key ? null : keepPlainWal(`${file}-wal`);
  // Leaving WAL needs every other connection gone. With no wait, an app that has the database open
  // (even idle: a WAL connection holds a lock on it) makes this fail at once and change nothing.
  sqlite.pragma('busy_timeout = 0');
  let mode: unknown;
  try {
    mode = sqlite.pragma('journal_mode = DELETE', { simple: true });
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') {
      sqlite.close();
      if (plainWal) fs.rmSync(plainWal, { force: true });
      throw error;
    }
  }
  if (mode !== 'delete') {
    sqlite.close();
    // Still the live WAL of a running app: only our extra name goes.
    if (plainWal) fs.rmSync(plainWal, { force: true });
    throw new OfflineError(`${file} is in use by another process (the app, or a script): stop the app first, then run this again. Nothing was changed.`);
  }
  // Checkpointed into the database and unlinked by SQLite: now overwrite what it held.
  if (plainWal) shredPath(plainWal);
  sqlite.exec('BEGIN');
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  return {
    sqlite,
    release: () => {
      if (!sqlite.open) return;
      sqlite.exec('COMMIT');
      sqlite.close();
    },
  };
}

/**
 * A hard link to a plain-text `-wal` (`<wal>.shred-<random>`), so its content can be overwritten
 * after SQLite unlinks the WAL; null when there is none.
 */
function keepPlainWal(wal: string): string | null {
  if (!fs.existsSync(wal)) return null;
  const link = `${wal}.shred-${crypto.randomBytes(6).toString('hex')}`;
  fs.linkSync(wal, link);
  return link;
}

/** An existing database file opened with its key, or as plain text when `key` is null (temporary b-trees in memory either way). */
function openMaybeKeyed(file: string, key: Buffer | null): Database.Database {
  if (key) return openKeyedFile(file, key);
  const sqlite = new Database(file, { fileMustExist: true });
  sqlite.pragma('temp_store = MEMORY');
  return sqlite;
}

/**
 * Overwrite a file with zeros, flush, and unlink it; a directory: each file below it, then the
 * directory. Missing paths are ignored. On SSDs, copy-on-write and journalling file systems the old
 * blocks may survive anyway: only an encrypted volume or a fresh one is sure (said in the output).
 * @returns how many files were overwritten
 */
export function shredPath(target: string): number {
  const stat = fs.lstatSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (stat.isDirectory()) {
    let count = 0;
    for (const name of fs.readdirSync(target)) count += shredPath(path.join(target, name));
    fs.rmdirSync(target);
    return count;
  }
  if (stat.isFile() && stat.size > 0) {
    const zeros = Buffer.alloc(1 << 20);
    const fd = fs.openSync(target, 'r+');
    try {
      for (let at = 0; at < stat.size; at += zeros.length) fs.writeSync(fd, zeros, 0, Math.min(zeros.length, stat.size - at), at);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fs.unlinkSync(target);
  return 1;
}

/**
 * Make `target` a copy of the live database `sourceFile`, encrypted with `toKey`, and prove it. The
 * copy is made with VACUUM INTO on a connection of its own (one read transaction; the copy has the
 * source's key, or is plain), then rekeyed in place. Its rollback journal is kept (PERSIST) and
 * overwritten afterwards: during the rekey it holds the copy's former pages, plain text when the
 * source is plain.
 * @param fromKey the live database's key, or null for plain text
 * @param expectedTables the source's row counts, read under the offline lock
 * @throws OfflineError naming the file when the copy does not open with `toKey`, fails
 *   integrity_check, still opens with `fromKey`, or has other row counts
 */
export function writeEncryptedCopy({
  sourceFile,
  target,
  fromKey,
  toKey,
  expectedTables,
}: {
  sourceFile: string;
  target: string;
  fromKey: Buffer | null;
  toKey: Buffer;
  expectedTables: Record<string, number>;
}): void {
  const source = openMaybeKeyed(sourceFile, fromKey);
  try {
    source.prepare('VACUUM INTO ?').run(target);
  } finally {
    source.close();
  }
  fs.chmodSync(target, 0o600);
  const copy = openMaybeKeyed(target, fromKey);
  try {
    // SQLite3 Multiple Ciphers rekeys only in a rollback-journal mode (in WAL it leaves a file no
    // key opens); PERSIST keeps the journal so it can be overwritten below.
    copy.pragma('journal_mode = PERSIST');
    if (!fromKey) {
      copy.pragma(`cipher = 'sqlcipher'`);
      copy.pragma('legacy = 4');
    }
    copy.pragma(`rekey = "x'${toKey.toString('hex')}'"`);
  } finally {
    copy.close();
  }
  shredPath(`${target}-journal`);
  proveEncryptedCopy({ target, fromKey, toKey, expectedTables });
  fsyncPath(target);
}

function proveEncryptedCopy({ target, fromKey, toKey, expectedTables }: { target: string; fromKey: Buffer | null; toKey: Buffer; expectedTables: Record<string, number> }): void {
  const copy = openKeyedFile(target, toKey);
  try {
    // Leave it in WAL mode, as the app keeps it.
    copy.pragma('journal_mode = WAL');
    const integrity = (copy.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
    if (integrity !== 'ok') throw new OfflineError(`${target}: integrity_check after encrypting: ${integrity}. Nothing was changed.`);
    const counts = countTableRows(copy);
    const differ = Object.keys({ ...counts, ...expectedTables }).filter((t) => counts[t] !== expectedTables[t]);
    if (differ.length > 0) throw new OfflineError(`${target}: row counts differ from the live database in ${differ.join(', ')}. Nothing was changed.`);
  } finally {
    copy.close();
  }
  if (fromKey && opensWithKey(target, fromKey)) throw new OfflineError(`${target} still opens with the old key after the rekey. Nothing was changed.`);
  for (const suffix of SQLITE_SIDE_SUFFIXES) if (fs.existsSync(`${target}${suffix}`)) shredPath(`${target}${suffix}`);
}

/** True when `key` (a database key) opens the database `file`; false for any error. */
export function opensWithKey(file: string, key: Buffer): boolean {
  try {
    openKeyedFile(file, key).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Seal every photo of `fromDir` into the new folder `toDir` under the same name (AES-256-GCM, the
 * photos key, the name as associated data), then read each back and prove it opens to the same
 * SHA-256 as its plaintext. Unfinished `.part` writes are not carried over.
 * @param plaintextOf the photo's plain bytes from its stored bytes (as is, or opened with the old key)
 * @returns how many files were sealed
 * @throws OfflineError naming the file when an entry is not a regular file, `plaintextOf` throws, or
 *   a sealed file does not prove
 */
export function resealUploads({
  fromDir,
  toDir,
  photosKey,
  plaintextOf,
}: {
  fromDir: string;
  toDir: string;
  photosKey: Buffer;
  plaintextOf: (name: string, stored: Buffer) => Buffer;
}): number {
  fs.mkdirSync(toDir, { mode: 0o700 });
  const entries = fs.existsSync(fromDir) ? fs.readdirSync(fromDir, { withFileTypes: true }) : [];
  for (const entry of entries) {
    if (!entry.isFile() && !isUnfinishedUpload(entry.name)) {
      throw new OfflineError(`${path.join(fromDir, entry.name)} is not a regular file (a folder or a link): move it out of the uploads folder, then run this again. Nothing was changed.`);
    }
  }
  const names = listUploadNames(fromDir);
  const digests = new Map<string, string>();
  for (const name of names) {
    let plaintext: Buffer;
    try {
      plaintext = plaintextOf(name, fs.readFileSync(path.join(fromDir, name)));
    } catch (error) {
      throw new OfflineError(`${error instanceof Error ? error.message : String(error)} Restore that photo from a backup or move it out of the uploads folder, then run this again. Nothing was changed.`);
    }
    digests.set(name, sha256Hex(plaintext));
    const file = path.join(toDir, name);
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, sealBytes({ key: photosKey, plaintext, associatedData: name }));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fsyncPath(toDir);
  for (const name of names) {
    const file = path.join(toDir, name);
    const reopened = openBytes({ key: photosKey, sealed: fs.readFileSync(file), associatedData: name, label: file });
    if (sha256Hex(reopened) !== digests.get(name)) throw new OfflineError(`${file} does not open to the photo it was made from. Nothing was changed.`);
  }
  return names.length;
}

/**
 * One rename of a swap, paths relative to DATA_DIR: `live` moves to `old`, then `next` (if any) to
 * `live`. `liveExisted` is set at the commit point: a step without `next` moves only a file that
 * existed then, so a file the app made after the swap (a new -wal) is never taken for an old one.
 */
export type SwapStep = { live: string; next: string | null; old: string; liveExisted?: boolean };

/** The marker's content. `dispose`: how the old files go (plain text is overwritten first). */
export type SwapPlan = { command: 'encrypt-data' | 'rekey'; createdAt: string; steps: SwapStep[]; dispose: 'shred' | 'remove'; afterwards: string[] };

function writeFileDurably(file: string, text: string): void {
  const temp = `${file}.tmp-${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  fsyncPath(temp);
  fs.renameSync(temp, file);
  fsyncPath(path.dirname(file));
}

/** The marker of an unfinished swap in DATA_DIR, or null. */
export function readSwapMarker(dataDir: string): SwapPlan | null {
  const file = path.join(dataDir, SWAP_MARKER);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SwapPlan;
}

/**
 * Before anything is changed: refuse while a swap is unfinished or an `old` name is taken.
 * @throws OfflineError (nothing changed)
 */
export function refuseUnlessSwapNamesFree(dataDir: string, steps: SwapStep[]): void {
  const marker = readSwapMarker(dataDir);
  if (marker) throw new OfflineError(`An interrupted \`npm run ${marker.command}\` must be finished first: run it again (${path.join(dataDir, SWAP_MARKER)}).`);
  for (const step of steps) {
    const old = path.join(dataDir, step.old);
    if (fs.existsSync(old)) throw new OfflineError(`${old} exists, but no swap is under way: it is not this command's to delete. Move it out of DATA_DIR, then run this again. Nothing was changed.`);
  }
}

/**
 * Remove the `next` files of a plan that was not committed: left half-made by a crash, or by a
 * failed check. Overwritten first: a half-encrypted copy may hold plain text. Does nothing once the
 * marker exists (the new files are then the data).
 */
function discardUncommittedFiles(dataDir: string, steps: SwapStep[]): void {
  if (readSwapMarker(dataDir)) return;
  for (const step of steps) {
    if (!step.next) continue;
    // With the new database's own journal: after a crash mid-rekey it is hot and holds plain pages.
    for (const suffix of ['', ...SQLITE_SIDE_SUFFIXES]) shredPath(path.join(dataDir, `${step.next}${suffix}`));
  }
}

/** Do the renames of a plan that are not done yet (idempotent: safe to run again after a crash). */
function applySwapRenames(dataDir: string, steps: SwapStep[]): void {
  for (const step of steps) {
    const live = path.join(dataDir, step.live);
    const old = path.join(dataDir, step.old);
    const next = step.next ? path.join(dataDir, step.next) : null;
    const pending = next ? fs.existsSync(next) : step.liveExisted === true && fs.existsSync(live) && !fs.existsSync(old);
    if (!pending) continue;
    if (fs.existsSync(live)) {
      if (fs.existsSync(old)) throw new OfflineError(`Cannot finish the swap: both ${live} and ${old} exist. Restore from the last verified backup, or ask for help.`);
      fs.renameSync(live, old);
    }
    if (next) fs.renameSync(next, live);
  }
  fsyncPath(dataDir);
}

/**
 * The commit point and the renames: write the marker (flushed), then do every step's renames.
 * The caller then releases its lock and calls `finishSwap`.
 */
export function commitSwap(dataDir: string, plan: SwapPlan): void {
  applySwapRenames(dataDir, writeSwapMarker(dataDir, plan).steps);
}

/**
 * Write the marker (flushed, atomically) with each step's `liveExisted` as it is now.
 * @returns the plan as written
 */
export function writeSwapMarker(dataDir: string, plan: SwapPlan): SwapPlan {
  const marked = { ...plan, steps: plan.steps.map((step) => ({ ...step, liveExisted: fs.existsSync(path.join(dataDir, step.live)) })) };
  writeFileDurably(path.join(dataDir, SWAP_MARKER), `${JSON.stringify(marked, null, 2)}\n`);
  return marked;
}

/**
 * Destroy the old files of a committed swap (overwritten first when `dispose` is 'shred') and
 * remove the marker.
 * @returns the old paths that existed, relative to DATA_DIR, with the files overwritten in each
 */
export function finishSwap(dataDir: string, plan: SwapPlan): { removed: string[]; filesOverwritten: number } {
  const removed: string[] = [];
  let filesOverwritten = 0;
  for (const step of plan.steps) {
    const old = path.join(dataDir, step.old);
    if (!fs.existsSync(old)) continue;
    removed.push(step.live);
    if (plan.dispose === 'shred') filesOverwritten += shredPath(old);
    else fs.rmSync(old, { recursive: true, force: true });
  }
  fs.rmSync(path.join(dataDir, SWAP_MARKER), { force: true });
  fsyncPath(dataDir);
  return { removed, filesOverwritten };
}

/**
 * Finish a swap a crash interrupted after its commit point: the renames still to do, then
 * `finishSwap`. Needs no key.
 * @returns the plan that was finished, or null when there was none
 */
export function finishInterruptedSwap(dataDir: string, say: Say): SwapPlan | null {
  const plan = readSwapMarker(dataDir);
  if (!plan) return null;
  say(`Finishing the interrupted \`npm run ${plan.command}\` of ${plan.createdAt} (its new files were verified before it was interrupted).`);
  applySwapRenames(dataDir, plan.steps);
  const { removed } = finishSwap(dataDir, plan);
  say(`  replaced: ${removed.join(', ') || 'nothing left to replace'}`);
  for (const line of plan.afterwards) say(line);
  return plan;
}

/**
 * The steps of a swap, in order: the database's side files first (nothing stale may stay beside
 * the new database), the database, the uploads folder, passphrase.json (replaced by the staged one,
 * or removed when the new key is not a passphrase), the sign-in throttle store (removed: it holds
 * only counters, and the app makes a new one).
 * @param tags e.g. `{ next: 'encrypt-new', old: 'plain-old' }`: `field-reports.db.encrypt-new` is
 *   the new database, `field-reports.db.plain-old` where the old one goes
 * @param stagedPassphrase whether `passphrase.json.<next>` is the new passphrase file
 */
export function planSwapSteps(tags: { next: string; old: string }, stagedPassphrase: boolean): SwapStep[] {
  const step = (live: string, hasNext: boolean): SwapStep => ({ live, next: hasNext ? `${live}.${tags.next}` : null, old: `${live}.${tags.old}` });
  return [
    ...SQLITE_SIDE_SUFFIXES.map((suffix) => step(`${DATABASE_FILE}${suffix}`, false)),
    step(DATABASE_FILE, true),
    step('uploads', true),
    step(PASSPHRASE_FILE, stagedPassphrase),
    ...THROTTLE_FILES.map((name) => step(name, false)),
  ];
}

/** Where the new data key comes from. */
export type NewKeyChoice =
  /** A key already in hand: FIELD_REPORTS_KEY_FILE's (encrypt-data), or a test's. */
  | { kind: 'key'; key: Buffer }
  /** A new key file, written now (refused inside DATA_DIR or when the file exists). */
  | { kind: 'new-key-file'; file: string }
  /** A new passphrase (asked twice by default), staged as `passphrase.json.<tag>` until the swap. */
  | { kind: 'new-passphrase'; choosePassphrase?: (dir: string) => Promise<Buffer> };

/** A new key and what was written for it (to undo when the command fails before its commit point). */
export type NewKey = { key: Buffer; createdKeyFile: string | null; stagedPassphrase: boolean };

/**
 * Get the new data key of a NewKeyChoice. A new passphrase's salt file is written to a staging
 * folder and moved to `DATA_DIR/passphrase.json.<nextTag>`, so the live passphrase.json stays as it
 * is until the swap.
 * @throws KeyError (key file exists or inside DATA_DIR; passphrases differ or too short)
 */
export async function obtainNewKey(dataDir: string, choice: NewKeyChoice, nextTag: string): Promise<NewKey> {
  if (choice.kind === 'key') return { key: choice.key, createdKeyFile: null, stagedPassphrase: false };
  if (choice.kind === 'new-key-file') return { key: writeNewKeyFile(choice.file, dataDir), createdKeyFile: path.resolve(choice.file), stagedPassphrase: false };
  const staging = path.join(dataDir, `passphrase.${nextTag}.d`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  try {
    const key = await (choice.choosePassphrase ?? ((dir: string) => setNewPassphrase(dir, { label: dataDir })))(staging);
    fs.renameSync(path.join(staging, PASSPHRASE_FILE), path.join(dataDir, `${PASSPHRASE_FILE}.${nextTag}`));
    return { key, createdKeyFile: null, stagedPassphrase: true };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Undo `obtainNewKey` after a failure before the commit point: the new key file protects nothing. */
function discardNewKey(dataDir: string, newKey: NewKey | null): void {
  if (!newKey || readSwapMarker(dataDir)) return;
  if (newKey.createdKeyFile) fs.rmSync(newKey.createdKeyFile, { force: true });
}

/**
 * The plain-text backups (from before encryption at rest) in the backup folders: a folder with a
 * plain manifest.json or a plain-text field-reports.db.
 * @returns their paths, sorted
 */
export function findPlaintextBackups(roots: string[]): string[] {
  const found = new Set<string>();
  for (const root of new Set(roots.map((r) => path.resolve(r)))) {
    if (!fs.existsSync(root)) continue;
    for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(root, entry.name);
      if (fs.existsSync(path.join(dir, PLAINTEXT_MANIFEST_FILE)) || isPlaintextDatabase(path.join(dir, DATABASE_FILE))) found.add(dir);
    }
  }
  return [...found].sort();
}

/** What the commands print about overwriting (issue 15; docs/security/encryption-at-rest.md). */
export const OVERWRITE_CAVEAT =
  'On SSDs and on journalling or copy-on-write file systems (and in snapshots) overwriting does not guarantee that the old blocks are gone: keep DATA_DIR on an encrypted volume, or move the encrypted data to a fresh volume and destroy the old one.';

/** Names of the new and the old files of each command (`field-reports.db.encrypt-new`, `uploads.old-key`, …). */
const SWAP_TAGS = { 'encrypt-data': { next: 'encrypt-new', old: 'plain-old' }, rekey: { next: 'rekey-new', old: 'old-key' } } as const;

export type ReencryptResult<T> = {
  newKey: NewKey;
  /** What `beforeCopy` returned. */
  before: T | undefined;
  /** Row count of every table, read under the lock (the new database has the same). */
  tables: Record<string, number>;
  photos: number;
  /** Live names whose old files were destroyed (e.g. `field-reports.db`, `uploads`). */
  removed: string[];
  filesOverwritten: number;
};

/**
 * The procedure encrypt-data and rekey share (their module comments give the order and what a
 * crash at each point leaves): lock, new key, `beforeCopy`, encrypted copy of the database, photos
 * sealed into a new folder, commit point, renames, release, old files destroyed (overwritten first
 * when they are plain text).
 * @param oldKey the current data key, or null for a plain-text DATA_DIR
 * @param beforeCopy runs under the lock once the new key is known, before any new file is made
 *   (rekey: the backup with the old key); throwing stops everything with nothing changed; what it
 *   returns comes back as `before`
 * @param afterwards what the operator must do next, printed again if a crash makes a later run
 *   finish the swap
 * @throws OfflineError or KeyError before the commit point, with the data as it was
 */
export async function reencryptDataDir<T = void>({
  dataDir,
  command,
  oldKey,
  keyChoice,
  say,
  now,
  beforeCopy,
  afterwards,
}: {
  dataDir: string;
  command: SwapPlan['command'];
  oldKey: Buffer | null;
  keyChoice: NewKeyChoice;
  say: Say;
  now: Date;
  beforeCopy?: (newKey: Buffer) => Promise<T>;
  afterwards: string[];
}): Promise<ReencryptResult<T>> {
  const tags = SWAP_TAGS[command];
  const dbFile = path.join(dataDir, DATABASE_FILE);
  const allSteps = planSwapSteps(tags, true);
  refuseUnlessSwapNamesFree(dataDir, allSteps);
  const oldDbKey = oldKey && deriveKey(oldKey, 'database');
  const lock = lockDatabaseOffline(dbFile, oldDbKey);
  let newKey: NewKey | null = null;
  let before: T | undefined;
  let tables: Record<string, number>;
  let photos: number;
  let plan: SwapPlan;
  try {
    discardUncommittedFiles(dataDir, allSteps);
    newKey = await obtainNewKey(dataDir, keyChoice, tags.next);
    if (oldKey && newKey.key.equals(oldKey)) throw new KeyError('The new key is the old key: nothing to change. Nothing was changed.');
    before = await beforeCopy?.(newKey.key);

    tables = countTableRows(lock.sqlite);
    writeEncryptedCopy({ sourceFile: dbFile, target: `${dbFile}.${tags.next}`, fromKey: oldDbKey, toKey: deriveKey(newKey.key, 'database'), expectedTables: tables });
    const rows = Object.values(tables).reduce((a, b) => a + b, 0);
    say(
      `  database: ${Object.keys(tables).length} tables, ${rows} rows ${oldKey ? 'rekeyed and verified (opens with the new key, not the old; integrity_check ok)' : 'copied, encrypted and verified (integrity_check ok, row counts match)'}`,
    );

    const newPhotosKey = deriveKey(newKey.key, 'photos');
    const oldPhotosKey = oldKey && deriveKey(oldKey, 'photos');
    photos = resealUploads({
      fromDir: path.join(dataDir, 'uploads'),
      toDir: path.join(dataDir, `uploads.${tags.next}`),
      photosKey: newPhotosKey,
      plaintextOf: (name, stored) => {
        const label = path.join(dataDir, 'uploads', name);
        if (oldPhotosKey) return openBytes({ key: oldPhotosKey, sealed: stored, associatedData: name, label });
        // Plain text; or, on a plain DATA_DIR, a file a newer app already sealed with the new key.
        return looksSealed(stored) ? openBytes({ key: newPhotosKey, sealed: stored, associatedData: name, label }) : stored;
      },
    });
    say(`  photos: ${photos} ${oldKey ? 'sealed again with the new key' : 'sealed'} and verified`);

    plan = { command, createdAt: now.toISOString(), steps: planSwapSteps(tags, newKey.stagedPassphrase), dispose: oldKey ? 'remove' : 'shred', afterwards };
    commitSwap(dataDir, plan);
  } catch (error) {
    lock.release();
    discardUncommittedFiles(dataDir, allSteps);
    discardNewKey(dataDir, newKey);
    throw error;
  }
  lock.release();
  const { removed, filesOverwritten } = finishSwap(dataDir, plan);
  say(
    oldKey
      ? `  swapped in; old-key files deleted: ${removed.join(', ')}`
      : `  swapped in; plain-text files overwritten with zeros and removed (${filesOverwritten} files): ${removed.join(', ')}`,
  );
  return { newKey, before, tables, photos, removed, filesOverwritten };
}
