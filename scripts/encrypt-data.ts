/**
 * `npm run encrypt-data`: turn a plain-text DATA_DIR into an encrypted one, offline (issue 15;
 * docs/security/encryption-at-rest.md). The database gets the SQLCipher v4 scheme with the data
 * key's 'database' subkey, every photo is sealed with AES-256-GCM (the 'photos' subkey, its name as
 * associated data), the plain-text files are overwritten and removed, and a verified encrypted
 * backup is made.
 *
 * Key: FIELD_REPORTS_KEY_FILE when set (a file outside DATA_DIR), else a new passphrase asked twice
 * (its Argon2id salt becomes DATA_DIR/passphrase.json at the swap).
 *
 * Order, and what a crash at each point leaves (scripts/offline.ts describes the swap):
 * 1. Refuse, changing nothing, when an interrupted swap is pending, the database is missing, it is
 *    not plain text (already encrypted), or another connection has it open ("stop the app first").
 * 2. Lock: the plain database is switched to rollback-journal mode (its WAL checkpointed into it,
 *    -wal and -shm removed; content unchanged) and held by a read transaction until the swap.
 * 3. The key (key file, or new passphrase staged as passphrase.json.encrypt-new).
 * 4. `field-reports.db.encrypt-new`: VACUUM INTO copy, encrypted in place, proved (opens with the
 *    key, integrity_check ok, every table's row count equal to the plain source).
 * 5. `uploads.encrypt-new/`: every photo sealed, each proved to open to its plain SHA-256.
 *    A crash in 2–5 leaves the plain data whole (in rollback-journal mode); the next run overwrites
 *    the half-made files and starts again. A failed check does the same at once.
 * 6. Commit point: DATA_DIR/at-rest-swap.json. Then the renames: database side files, database,
 *    uploads, passphrase.json, sign-in-throttle.db (+ side files) move to `*.plain-old`, and the new
 *    files into place. A crash from here on: run `npm run encrypt-data` again; it finishes the
 *    renames and the clean-up without asking for the key, then says to run `npm run backup`.
 * 7. The lock is released; every `*.plain-old` file is overwritten with zeros, flushed and unlinked;
 *    the marker is removed. (sign-in-throttle.db holds only sign-in throttling counters: the app
 *    makes a new, encrypted one.)
 * 8. An audit row 'data_encrypted' (counts only) goes into the encrypted database; an encrypted
 *    backup is made and verified (scripts/backup.ts), with its 'backup_made' audit row.
 * 9. Plain-text backups under DATA_DIR/backups and BACKUP_DIR are listed as warnings: destroy them.
 *
 * CLI: `npm run encrypt-data` (no flags). Exit 0 done, 1 refused or failed (the message says what
 * was and was not changed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { deriveKey, getDataKey } from '@/lib/at-rest/keys';
import { DATABASE_FILE, defaultBackupRoot, makeVerifiedBackup, recordBackupMade, recordScriptAuditEvent } from './backup';
import { getDataDir, isPlaintextDatabase, openSqlite } from '@/db/client';
import { findPlaintextBackups, finishInterruptedSwap, OfflineError, OVERWRITE_CAVEAT, reencryptDataDir, type NewKeyChoice, type Say } from './offline';

export type EncryptDataResult = {
  tables: Record<string, number>;
  photosSealed: number;
  /** Live names whose plain-text files were overwritten and removed (e.g. `field-reports.db`, `uploads`). */
  removed: string[];
  filesOverwritten: number;
  backupDir: string;
  backupOk: boolean;
  plaintextBackups: string[];
};

/**
 * Encrypt a plain-text DATA_DIR (module comment for the order).
 * @param keyChoice `{ kind: 'key', key }` (FIELD_REPORTS_KEY_FILE's key) or `{ kind: 'new-passphrase' }`
 * @param backupRoot where the closing backup goes (default BACKUP_DIR, else DATA_DIR/backups)
 * @throws OfflineError when refused or a check fails before the commit point (plain data untouched);
 *   KeyError from the key choice
 */
export async function encryptData({
  dataDir,
  keyChoice,
  backupRoot = defaultBackupRoot(dataDir),
  say = console.log,
  now = new Date(),
}: {
  dataDir: string;
  keyChoice: NewKeyChoice;
  backupRoot?: string;
  say?: Say;
  now?: Date;
}): Promise<EncryptDataResult> {
  const dbFile = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(dbFile)) throw new OfflineError(`${dbFile} does not exist: nothing to encrypt (check DATA_DIR). Nothing was changed.`);
  if (!isPlaintextDatabase(dbFile)) {
    throw new OfflineError(
      `${dbFile} is not a plain-text SQLite database: it is already encrypted (or not a database). Nothing was changed. If an earlier run stopped after encrypting, before its backup, run \`npm run backup\` now.`,
    );
  }
  const { newKey, tables, photos, removed, filesOverwritten } = await reencryptDataDir({
    dataDir,
    command: 'encrypt-data',
    oldKey: null,
    keyChoice,
    say,
    now,
    afterwards: [`  ${OVERWRITE_CAVEAT}`, 'Now run `npm run backup`, then destroy every plain-text backup (under DATA_DIR/backups and BACKUP_DIR, and any copies elsewhere).'],
  });
  say(`  ${OVERWRITE_CAVEAT}`);

  const dataKey = newKey.key;
  const live = openSqlite(dbFile, { key: deriveKey(dataKey, 'database') });
  let backup: { dir: string; ok: boolean };
  try {
    const { dir, manifest, result } = await makeVerifiedBackup({ source: live, dataKey, dataDir, backupRoot, now });
    recordScriptAuditEvent(live, 'data_encrypted', { tables: Object.keys(tables).length, photos });
    recordBackupMade(live, { dir, ok: result.ok, uploads: manifest.uploads.length });
    backup = { dir, ok: result.ok };
    say(`  encrypted backup: ${dir} — ${result.ok ? 'check passed' : `CHECK FAILED: ${result.problems.join('; ')}`}`);
  } finally {
    live.close();
  }

  const plaintextBackups = findPlaintextBackups([path.join(dataDir, 'backups'), backupRoot]);
  for (const dir of plaintextBackups) say(`  WARNING: plain-text backup ${dir}: destroy it (and every copy of it elsewhere), now that an encrypted backup exists.`);
  return { tables, photosSealed: photos, removed, filesOverwritten, backupDir: backup.dir, backupOk: backup.ok, plaintextBackups };
}

async function main(): Promise<number> {
  const dataDir = getDataDir();
  if (finishInterruptedSwap(dataDir, console.log)) return 0;
  const keyFile = process.env.FIELD_REPORTS_KEY_FILE;
  console.log(`Encrypting ${dataDir} (offline) with ${keyFile ? `the key file ${path.resolve(keyFile)}` : 'a new passphrase'}.`);
  const keyChoice: NewKeyChoice = keyFile ? { kind: 'key', key: getDataKey() } : { kind: 'new-passphrase' };
  const result = await encryptData({ dataDir, keyChoice });
  console.log(
    result.backupOk
      ? `Done: ${dataDir} is encrypted. ${keyFile ? 'Start the app with the same FIELD_REPORTS_KEY_FILE.' : 'Start the app without FIELD_REPORTS_KEY_FILE and unseal it at /unseal with the passphrase.'}`
      : 'The data is encrypted, but the backup did not verify: run `npm run backup` and look at its problems.',
  );
  return result.backupOk ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`encrypt-data: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
