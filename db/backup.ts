/**
 * `npm run backup`: an online backup of the database and the uploaded photos, checked by
 * restoring it (SECURITY.md "Durability"; issue 6).
 *
 * 1. The database is copied with SQLite's online backup API (better-sqlite3 `.backup()`), all pages
 *    in one step, i.e. inside one read transaction: a consistent snapshot while the app keeps
 *    writing (WAL mode lets writers go on; nothing restarts the copy half-way).
 * 2. Row counts of every table are read from the copy and written to `manifest.json`.
 * 3. DATA_DIR/uploads is copied beside it (unfinished `.tmp-*.part` files are skipped), with each
 *    file's size and SHA-256 in the manifest. Copying after the snapshot means every photo row in the
 *    snapshot already had its file on disk (files are written before their rows commit).
 * 4. Verification restores the backup into a fresh temporary directory, runs PRAGMA integrity_check
 *    and foreign_key_check, compares every table's row count with the manifest and every upload's
 *    size and SHA-256, then deletes the temporary copy.
 *
 * Folder: DATA_DIR/backups/<UTC timestamp>/ (BACKUP_DIR=/somewhere puts it in /somewhere/<timestamp>/).
 * Prints the result; exits 1 when anything does not match. `npm run backup -- --verify <folder>`
 * checks an existing backup the same way (e.g. a copy brought back from off-site storage).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { closeDb, getDataDir, getDb, getSqlite } from './client';
import { auditEvents } from './schema';

export const DATABASE_FILE = 'field-reports.db';
const TEMP_UPLOAD = /^\.tmp-.*\.part$/;

export type BackupManifest = {
  createdAt: string;
  sqliteVersion: string;
  tables: Record<string, number>;
  uploads: { name: string; bytes: number; sha256: string }[];
};

export type VerifyResult = { ok: boolean; problems: string[]; warnings: string[]; integrity: string; restoredTables: Record<string, number> };

/** "2026-03-01T10-04-05Z": a UTC timestamp that is a valid folder name everywhere. */
export function backupFolderName(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
}

function tableCounts(db: Database.Database): Record<string, number> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = db.prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get() as number;
  return counts;
}

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function listUploads(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !TEMP_UPLOAD.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Make a backup. Uses the process-wide connection unless `source` is given.
 * @param backupRoot parent folder (default BACKUP_DIR, else DATA_DIR/backups)
 * @returns the new folder and its manifest
 */
export async function makeBackup({
  source = getSqlite(),
  dataDir = getDataDir(),
  backupRoot = process.env.BACKUP_DIR ? path.resolve(process.env.BACKUP_DIR) : path.join(dataDir, 'backups'),
  now = new Date(),
}: {
  source?: Database.Database;
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
  // All remaining pages in one step = one read transaction = one consistent snapshot.
  await source.backup(dbFile, { progress: () => 0x7fffffff });
  fs.chmodSync(dbFile, 0o600);

  // A self-contained single file: switch the copy out of WAL mode (no -wal/-shm beside it).
  const copy = new Database(dbFile);
  copy.pragma('journal_mode = DELETE');
  let tables: Record<string, number>;
  let sqliteVersion: string;
  try {
    tables = tableCounts(copy);
    sqliteVersion = copy.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    copy.close();
  }

  const uploadsFrom = path.join(dataDir, 'uploads');
  const uploadsTo = path.join(dir, 'uploads');
  fs.mkdirSync(uploadsTo, { mode: 0o700 });
  const uploads: BackupManifest['uploads'] = [];
  for (const name of listUploads(uploadsFrom)) {
    const from = path.join(uploadsFrom, name);
    const to = path.join(uploadsTo, name);
    try {
      fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
    } catch (error) {
      // A photo removed from a draft between listing and copying: nothing to keep.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    fs.chmodSync(to, 0o600);
    uploads.push({ name, bytes: fs.statSync(to).size, sha256: sha256File(to) });
  }

  const manifest: BackupManifest = { createdAt: now.toISOString(), sqliteVersion, tables, uploads };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { dir, manifest };
}

/**
 * Restore a backup folder into a fresh temporary directory and check it: integrity_check "ok",
 * no foreign-key violations, the same row count in every table as the manifest, every upload
 * present with the same size and SHA-256. Photo rows whose file is missing are warnings (a photo
 * deleted while the backup ran), not failures.
 */
export function verifyBackup(dir: string): VerifyResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'field-reports-restore-'));
  let integrity = 'not run';
  let restoredTables: Record<string, number> = {};
  try {
    // Restore exactly as README says: copy the database file and the uploads folder into place.
    fs.copyFileSync(path.join(dir, DATABASE_FILE), path.join(temp, DATABASE_FILE));
    fs.cpSync(path.join(dir, 'uploads'), path.join(temp, 'uploads'), { recursive: true });
    const db = new Database(path.join(temp, DATABASE_FILE));
    try {
      const rows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
      integrity = rows.join('; ');
      if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
      const fk = db.prepare('PRAGMA foreign_key_check').all();
      if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} violations`);
      restoredTables = tableCounts(db);
      for (const [table, expected] of Object.entries(manifest.tables)) {
        if (restoredTables[table] !== expected) problems.push(`${table}: ${restoredTables[table] ?? 'missing'} rows restored, ${expected} backed up`);
      }
      for (const table of Object.keys(restoredTables)) if (!(table in manifest.tables)) problems.push(`${table}: not in the manifest`);
      const hasPhotos = Object.hasOwn(restoredTables, 'photos');
      const storageNames = hasPhotos ? (db.prepare('SELECT storage_name FROM photos').pluck().all() as string[]) : [];
      const present = new Set(listUploads(path.join(temp, 'uploads')));
      for (const name of storageNames) if (!present.has(name)) warnings.push(`photo file ${name} is missing (deleted while the backup ran?)`);
    } finally {
      db.close();
    }
    for (const upload of manifest.uploads) {
      const file = path.join(temp, 'uploads', upload.name);
      if (!fs.existsSync(file)) problems.push(`upload ${upload.name} missing`);
      else if (fs.statSync(file).size !== upload.bytes || sha256File(file) !== upload.sha256) problems.push(`upload ${upload.name} differs`);
    }
  } catch (error) {
    problems.push(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return { ok: problems.length === 0, problems, warnings, integrity, restoredTables };
}

function report(dir: string, result: VerifyResult): number {
  console.log(`  restore check: integrity_check ${result.integrity}; row counts ${result.problems.some((p) => p.includes('rows')) ? 'DIFFER' : 'match'}`);
  for (const w of result.warnings) console.log(`  warning: ${w}`);
  if (!result.ok) {
    for (const p of result.problems) console.error(`  problem: ${p}`);
    console.error(`Backup check FAILED for ${dir}.`);
    return 1;
  }
  console.log('Backup check passed.');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--verify') {
    const dir = argv[1];
    if (!dir) {
      console.error('Usage: npm run backup -- --verify <backup folder>');
      return 2;
    }
    console.log(`Checking ${path.resolve(dir)}`);
    return report(dir, verifyBackup(path.resolve(dir)));
  }
  const { dir, manifest } = await makeBackup();
  const result = verifyBackup(dir);
  getDb()
    .insert(auditEvents)
    .values({ actorId: null, kind: 'backup_made', detail: { folder: path.basename(dir), ok: result.ok, uploads: manifest.uploads.length } })
    .run();
  closeDb();
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(`Backup written to ${dir}`);
  console.log(`  database: ${Object.keys(manifest.tables).length} tables, ${rows} rows; uploads: ${manifest.uploads.length} files`);
  return report(dir, result);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
