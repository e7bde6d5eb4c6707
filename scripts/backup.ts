/**
 * `npm run backup`: an online, encrypted backup of the database and the uploaded photos, checked by
 * restoring it with the key (docs/security/README.md "Durability"; issues 6 and 15;
 * docs/security/encryption-at-rest.md). A copied backup folder reveals nothing readable without
 * the key: no row, no photo, no table name or row count. What shows is the time of the backup and
 * the number and sizes of its files.
 *
 * 1. The database is copied with `VACUUM INTO` on a keyed connection: SQLite writes the copy in one
 *    read transaction (a consistent snapshot while the app keeps writing in WAL mode), encrypted
 *    with the same key and cipher as the source (SQLCipher v4 scheme, the 'database' subkey), in
 *    rollback-journal mode (one self-contained file). SQLite's online backup API is not used: it
 *    refuses an encrypted source.
 * 2. Row counts of every table are read from the copy (with the key).
 * 3. DATA_DIR/uploads is copied beside it as it is: every photo file is already sealed
 *    (AES-256-GCM, lib/at-rest/envelope.ts). Unfinished `.tmp-*.part` files are skipped. Copying
 *    after the snapshot means every photo row in the snapshot already had its file on disk (files
 *    are written before their rows commit).
 * 4. The manifest (format, time, SQLite version, the database file's size and SHA-256, each table's
 *    row count, each upload's name, size and SHA-256) is sealed with the 'backup-manifest' subkey
 *    into `manifest.sealed` (associated data: that file name). There is no plain-text manifest.
 * 5. Verification restores the backup into a fresh temporary directory and checks it WITH the key:
 *    the manifest opens; the database file matches its size and SHA-256, opens with the key (a wrong
 *    key is a problem naming the file), PRAGMA integrity_check is "ok", foreign_key_check finds
 *    nothing, every table has the manifest's row count; every upload has its size and SHA-256 and
 *    opens with the photos subkey under its own name. Then the temporary copy is deleted.
 *
 * Folder: DATA_DIR/backups/<UTC timestamp>/ (BACKUP_DIR=/somewhere puts it in /somewhere/<timestamp>/),
 * holding `field-reports.db`, `uploads/`, `manifest.sealed` and, in passphrase mode, a copy of
 * `passphrase.json` (salt and Argon2id parameters, no secret: the passphrase gives the key only with
 * the salt of its time), all owner-only. A backup opens only with the data key it was made with:
 * after `npm run rekey`, keep the old key file (or passphrase) until the older backups have expired.
 *
 * CLI: `npm run backup` makes, verifies and audits ('backup_made') a backup;
 * `npm run backup -- --verify <folder>` checks an existing one (e.g. a copy brought back from
 * off-site storage). Both get the key first: FIELD_REPORTS_KEY_FILE, else for --verify the
 * passphrase with the backup's own passphrase.json, else scripts/script-key.ts. Exit 1 when anything
 * does not match, 2 on a usage error.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { EnvelopeError, openBytes, sealBytes } from '@/lib/at-rest/envelope';
import { deriveKey, getDataKey, KeyError, setDataKey } from '@/lib/at-rest/keys';
import { hasPassphraseFile, keyFromPassphrase, PASSPHRASE_FILE } from '@/lib/at-rest/passphrase';
import { applyDatabaseKey, closeDb, getDataDir, getSqlite, isPlaintextDatabase } from '@/db/client';
import type { AuditKind } from '@/lib/audit/record';
import { auditEvents } from '@/db/schema';
import { askSecret, ensureScriptDataKey } from './script-key';

export const DATABASE_FILE = 'field-reports.db';
/** The sealed manifest of a backup folder (also its associated data). */
export const MANIFEST_FILE = 'manifest.sealed';
/** The plain-text manifest of backups made before encryption at rest (issue 6). */
export const PLAINTEXT_MANIFEST_FILE = 'manifest.json';
/** Unfinished photo writes (`.tmp-<32 hex>.part`, lib/photos/storage.ts): never backed up. */
const TEMP_UPLOAD = /^\.tmp-.*\.part$/;

export type BackupManifest = {
  /** 2: encrypted backup with a sealed manifest (issue 15). */
  format: 2;
  createdAt: string;
  sqliteVersion: string;
  database: { bytes: number; sha256: string };
  /** Row count of every table (including FTS shadow tables), by table name. */
  tables: Record<string, number>;
  uploads: { name: string; bytes: number; sha256: string }[];
};

export type VerifyResult = { ok: boolean; problems: string[]; warnings: string[]; integrity: string; restoredTables: Record<string, number> };

/** "2026-03-01T10-04-05Z": a UTC timestamp that is a valid folder name everywhere. */
export function backupFolderName(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
}

/** Where backups go: BACKUP_DIR when set, else DATA_DIR/backups. */
export function defaultBackupRoot(dataDir: string): string {
  return process.env.BACKUP_DIR ? path.resolve(process.env.BACKUP_DIR) : path.join(dataDir, 'backups');
}

/** Row count of every table of an open connection, by name (sqlite_* tables left out). */
export function countTableRows(db: Database.Database): Record<string, number> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = db.prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get() as number;
  return counts;
}

/** SHA-256 of bytes, lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Names of the photo files in an uploads folder (regular files, `.part` left out), sorted. */
export function listUploadNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !TEMP_UPLOAD.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** True for the name of an unfinished photo write (`.tmp-*.part`). */
export function isUnfinishedUpload(name: string): boolean {
  return TEMP_UPLOAD.test(name);
}

/** Flush a file (or a directory's entries) to disk. */
export function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Open an existing database file with a key, without changing its journal mode (unlike openSqlite,
 * which switches to WAL): for copies and backups. Temporary b-trees (integrity_check, sorts) stay
 * in memory: SQLite's temporary files are not encrypted.
 * @param label how errors name the file (e.g. the backup's path when `file` is a temporary copy)
 * @throws KeyError naming `label` when the key does not open it or it is plain text
 */
export function openKeyedFile(file: string, key: Buffer, label = file): Database.Database {
  const sqlite = new Database(file, { fileMustExist: true });
  applyDatabaseKey(sqlite, key, label);
  sqlite.pragma('temp_store = MEMORY');
  return sqlite;
}

/** Seal a manifest into `<dir>/manifest.sealed` (mode 0600, flushed). */
export function writeBackupManifest(dir: string, manifest: BackupManifest, dataKey: Buffer): void {
  const file = path.join(dir, MANIFEST_FILE);
  const sealed = sealBytes({ key: deriveKey(dataKey, 'backup-manifest'), plaintext: Buffer.from(JSON.stringify(manifest), 'utf8'), associatedData: MANIFEST_FILE });
  fs.writeFileSync(file, sealed, { mode: 0o600 });
  fsyncPath(file);
}

/**
 * Open `<dir>/manifest.sealed`.
 * @throws EnvelopeError naming the file when it does not open with this key (wrong key, damaged);
 *   KeyError when the folder is a plain-text backup from before encryption or has no manifest
 */
export function readBackupManifest(dir: string, dataKey: Buffer): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) {
    if (fs.existsSync(path.join(dir, PLAINTEXT_MANIFEST_FILE))) {
      throw new KeyError(`${dir} is a plain-text backup made before encryption at rest (${PLAINTEXT_MANIFEST_FILE}): anyone with the files reads it. Destroy it, and its copies, once an encrypted backup has been verified.`);
    }
    throw new KeyError(`${file} is missing: not a Field Reports backup folder, or an incomplete copy.`);
  }
  const json = openBytes({ key: deriveKey(dataKey, 'backup-manifest'), sealed: fs.readFileSync(file), associatedData: MANIFEST_FILE, label: file });
  return JSON.parse(json.toString('utf8')) as BackupManifest;
}

/**
 * Make a backup. Uses the process-wide connection and key unless `source` / `dataKey` are given.
 * @param source a keyed connection to the live database (VACUUM INTO copies with its key); it must
 *   not be inside a transaction
 * @param dataKey the data key the source was opened with (seals the manifest, opens the copy)
 * @param backupRoot parent folder (default BACKUP_DIR, else DATA_DIR/backups)
 * @returns the new folder and its manifest
 * @throws on I/O errors and when `dataKey` does not open the copy (KeyError)
 */
export async function makeBackup({
  source = getSqlite(),
  dataKey = getDataKey(),
  dataDir = getDataDir(),
  backupRoot = defaultBackupRoot(dataDir),
  now = new Date(),
}: {
  source?: Database.Database;
  dataKey?: Buffer;
  dataDir?: string;
  backupRoot?: string;
  now?: Date;
} = {}): Promise<{ dir: string; manifest: BackupManifest }> {
  fs.mkdirSync(backupRoot, { recursive: true, mode: 0o700 });
  const base = path.join(backupRoot, backupFolderName(now));
  let dir = base;
  for (let n = 2; fs.existsSync(dir); n += 1) dir = `${base}-${n}`;
  fs.mkdirSync(dir, { mode: 0o700 });

  const dbFile = path.join(dir, DATABASE_FILE);
  // A bound parameter, not SQL text: the path may hold quotes. One read transaction = one snapshot.
  source.prepare('VACUUM INTO ?').run(dbFile);
  fs.chmodSync(dbFile, 0o600);
  fsyncPath(dbFile);

  const copy = openKeyedFile(dbFile, deriveKey(dataKey, 'database'));
  let tables: Record<string, number>;
  let sqliteVersion: string;
  try {
    tables = countTableRows(copy);
    sqliteVersion = copy.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    copy.close();
  }
  const dbBytes = fs.readFileSync(dbFile);

  const uploadsFrom = path.join(dataDir, 'uploads');
  const uploadsTo = path.join(dir, 'uploads');
  fs.mkdirSync(uploadsTo, { mode: 0o700 });
  const uploads: BackupManifest['uploads'] = [];
  for (const name of listUploadNames(uploadsFrom)) {
    const to = path.join(uploadsTo, name);
    try {
      fs.copyFileSync(path.join(uploadsFrom, name), to, fs.constants.COPYFILE_EXCL);
    } catch (error) {
      // A photo removed from a draft between listing and copying: nothing to keep.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    fs.chmodSync(to, 0o600);
    const bytes = fs.readFileSync(to);
    uploads.push({ name, bytes: bytes.length, sha256: sha256Hex(bytes) });
  }

  const manifest: BackupManifest = {
    format: 2,
    createdAt: now.toISOString(),
    sqliteVersion,
    database: { bytes: dbBytes.length, sha256: sha256Hex(dbBytes) },
    tables,
    uploads,
  };
  writeBackupManifest(dir, manifest, dataKey);
  // In passphrase mode the key is Argon2id(passphrase, this salt): without the salt of its own time
  // a backup would not open even with the right passphrase (after a rekey, or a lost DATA_DIR).
  const passphraseFile = path.join(dataDir, PASSPHRASE_FILE);
  if (fs.existsSync(passphraseFile)) fs.copyFileSync(passphraseFile, path.join(dir, PASSPHRASE_FILE), fs.constants.COPYFILE_EXCL);
  fsyncPath(dir);
  return { dir, manifest };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Check the restored database against the manifest (or only on its own when the manifest did not open). */
function checkRestoredDatabase(
  db: Database.Database,
  manifest: BackupManifest | null,
  restoredUploads: string,
  problems: string[],
  warnings: string[],
): { integrity: string; restoredTables: Record<string, number> } {
  const integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
  if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
  const fk = db.prepare('PRAGMA foreign_key_check').all();
  if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} violations`);
  const restoredTables = countTableRows(db);
  if (manifest) {
    for (const [table, expected] of Object.entries(manifest.tables)) {
      if (restoredTables[table] !== expected) problems.push(`${table}: ${restoredTables[table] ?? 'missing'} rows restored, ${expected} backed up`);
    }
    for (const table of Object.keys(restoredTables)) if (!(table in manifest.tables)) problems.push(`${table}: not in the manifest`);
  }
  const storageNames = Object.hasOwn(restoredTables, 'photos') ? (db.prepare('SELECT storage_name FROM photos').pluck().all() as string[]) : [];
  const present = new Set(listUploadNames(restoredUploads));
  for (const name of storageNames) if (!present.has(name)) warnings.push(`photo file ${name} is missing (deleted while the backup ran?)`);
  return { integrity, restoredTables };
}

/**
 * Restore a backup folder into a fresh temporary directory and check it with the key (module
 * comment, step 5). Photo rows whose file is missing are warnings (a photo deleted while the
 * backup ran), not failures. Never throws for a bad backup: everything wrong is in `problems`.
 * @param dataKey the data key the backup was made with; default the process's key
 */
export function verifyBackup(dir: string, { dataKey = getDataKey() }: { dataKey?: Buffer } = {}): VerifyResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  let integrity = 'not run';
  let restoredTables: Record<string, number> = {};
  let manifest: BackupManifest | null = null;
  try {
    manifest = readBackupManifest(dir, dataKey);
  } catch (error) {
    if (!(error instanceof EnvelopeError || error instanceof KeyError || error instanceof SyntaxError)) throw error;
    problems.push(`manifest: ${messageOf(error)}`);
  }
  const backupDb = path.join(dir, DATABASE_FILE);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'field-reports-restore-'));
  try {
    // Restore exactly as README says: copy the database file and the uploads folder into place.
    const restoredDb = path.join(temp, DATABASE_FILE);
    fs.copyFileSync(backupDb, restoredDb);
    if (fs.existsSync(path.join(dir, 'uploads'))) fs.cpSync(path.join(dir, 'uploads'), path.join(temp, 'uploads'), { recursive: true });
    const dbBytes = fs.readFileSync(restoredDb);
    if (manifest && (dbBytes.length !== manifest.database.bytes || sha256Hex(dbBytes) !== manifest.database.sha256)) {
      problems.push(`${DATABASE_FILE} differs from the manifest (size or SHA-256)`);
    }
    if (isPlaintextDatabase(restoredDb)) {
      problems.push(`${backupDb} is a plain-text database (a backup from before encryption at rest): destroy it once an encrypted backup has been verified.`);
    } else {
      // Errors name the backup's own file, not the temporary copy.
      const db = openKeyedFile(restoredDb, deriveKey(dataKey, 'database'), backupDb);
      try {
        ({ integrity, restoredTables } = checkRestoredDatabase(db, manifest, path.join(temp, 'uploads'), problems, warnings));
      } finally {
        db.close();
      }
    }
  } catch (error) {
    problems.push(`restore failed: ${messageOf(error)}`);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  if (manifest) problems.push(...checkBackupUploads(dir, manifest, dataKey), ...unexpectedBackupFiles(dir, manifest));
  return { ok: problems.length === 0, problems, warnings, integrity, restoredTables };
}

/**
 * Files in a backup folder that a backup never holds: anything but the database, the sealed
 * manifest, passphrase.json and the uploads the manifest lists (a plain-text manifest.json or a
 * photo planted in the clear would otherwise ride along with a "passed" check).
 */
function unexpectedBackupFiles(dir: string, manifest: BackupManifest): string[] {
  const expected = new Set([DATABASE_FILE, MANIFEST_FILE, PASSPHRASE_FILE, ...manifest.uploads.map((u) => path.join('uploads', u.name))]);
  const problems: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      const relative = path.relative(dir, full);
      if (entry.isDirectory() && relative === 'uploads') walk(full);
      else if (!entry.isFile() || !expected.has(relative)) problems.push(`unexpected ${entry.isDirectory() ? 'folder' : 'file'} ${relative}: not in the sealed manifest (a backup holds nothing else; it may be plain text)`);
    }
  };
  walk(dir);
  return problems;
}

/** Every upload of the manifest: present, same size and SHA-256, opens with the photos key under its name. */
function checkBackupUploads(dir: string, manifest: BackupManifest, dataKey: Buffer): string[] {
  const problems: string[] = [];
  const photosKey = deriveKey(dataKey, 'photos');
  for (const upload of manifest.uploads) {
    const file = path.join(dir, 'uploads', upload.name);
    if (!fs.existsSync(file)) {
      problems.push(`upload ${upload.name} missing`);
      continue;
    }
    const bytes = fs.readFileSync(file);
    if (bytes.length !== upload.bytes || sha256Hex(bytes) !== upload.sha256) problems.push(`upload ${upload.name} differs`);
    try {
      openBytes({ key: photosKey, sealed: bytes, associatedData: upload.name, label: `uploads/${upload.name}` });
    } catch (error) {
      problems.push(`upload ${upload.name} does not open with the photos key: ${messageOf(error)}`);
    }
  }
  return problems;
}

/**
 * makeBackup, then verifyBackup with the same key.
 * @returns the folder, its manifest and the check's result
 */
export async function makeVerifiedBackup(options: Parameters<typeof makeBackup>[0] = {}): Promise<{ dir: string; manifest: BackupManifest; result: VerifyResult }> {
  const { dir, manifest } = await makeBackup(options);
  return { dir, manifest, result: verifyBackup(dir, { dataKey: options.dataKey }) };
}

/**
 * Append an audit row written by a scripts/ tool (no account acts: `actorId` null) on `sqlite`, the
 * live database's connection. `detail` holds counts and names of files, never content.
 */
export function recordScriptAuditEvent(sqlite: Database.Database, kind: Extract<AuditKind, 'backup_made' | 'data_encrypted' | 'data_rekeyed'>, detail: Record<string, unknown>): void {
  drizzle(sqlite).insert(auditEvents).values({ actorId: null, kind, detail }).run();
}

/** Audit row 'backup_made' on `sqlite` (the live database): folder name, result, photo count. */
export function recordBackupMade(sqlite: Database.Database, { dir, ok, uploads }: { dir: string; ok: boolean; uploads: number }): void {
  recordScriptAuditEvent(sqlite, 'backup_made', { folder: path.basename(dir), ok, uploads });
}

/**
 * Print a verification result.
 * @returns the exit code: 0 passed, 1 failed
 */
export function reportVerifyResult(dir: string, result: VerifyResult, say: (line: string) => void = console.log): number {
  const counts = result.integrity === 'not run' ? 'not compared' : result.problems.some((p) => p.includes('rows')) ? 'DIFFER' : 'match';
  say(`  restore check: integrity_check ${result.integrity}; row counts ${counts}`);
  for (const w of result.warnings) say(`  warning: ${w}`);
  if (!result.ok) {
    for (const p of result.problems) say(`  problem: ${p}`);
    say(`Backup check FAILED for ${dir}.`);
    return 1;
  }
  say('Backup check passed (with the key: manifest, database, photos).');
  return 0;
}

/**
 * The key to check a backup with: FIELD_REPORTS_KEY_FILE when set; else, when the backup carries a
 * passphrase.json, the passphrase with that salt (the key of the backup's time, even after a
 * rekey); else as every script gets it.
 */
async function getBackupKey(dir: string): Promise<void> {
  if (!process.env.FIELD_REPORTS_KEY_FILE && hasPassphraseFile(dir)) {
    setDataKey(await keyFromPassphrase(await askSecret(`Passphrase of the backup ${dir}: `), dir), 'passphrase');
    return;
  }
  if (!process.env.FIELD_REPORTS_KEY_FILE) {
    throw new KeyError(`No key to check ${dir} with: set FIELD_REPORTS_KEY_FILE to the key file the backup was made with (a backup made in passphrase mode carries its passphrase.json and asks for the passphrase).`);
  }
  await ensureScriptDataKey();
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--verify') {
    const dir = argv[1];
    if (!dir) {
      console.error('Usage: npm run backup -- --verify <backup folder>');
      return 2;
    }
    if (!fs.existsSync(path.join(path.resolve(dir), DATABASE_FILE))) {
      console.error(`${path.resolve(dir)} is not a backup folder (no ${DATABASE_FILE} in it).`);
      return 1;
    }
    await getBackupKey(path.resolve(dir));
    console.log(`Checking ${path.resolve(dir)}`);
    return reportVerifyResult(dir, verifyBackup(path.resolve(dir)));
  }
  await ensureScriptDataKey();
  const { dir, manifest, result } = await makeVerifiedBackup();
  recordBackupMade(getSqlite(), { dir, ok: result.ok, uploads: manifest.uploads.length });
  closeDb();
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(`Encrypted backup written to ${dir}`);
  console.log(`  database: ${Object.keys(manifest.tables).length} tables, ${rows} rows; uploads: ${manifest.uploads.length} files; manifest sealed`);
  return reportVerifyResult(dir, result);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`Backup failed: ${messageOf(error)}`);
      process.exit(1);
    },
  );
}
