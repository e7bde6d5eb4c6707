/**
 * `npm run rekey`: change the data key of an encrypted DATA_DIR, offline (issue 15;
 * docs/security/encryption-at-rest.md). For a key that may have leaked, or a newsroom member who
 * knew the passphrase and left.
 *
 * Old key: as every script gets it (scripts/script-key.ts: FIELD_REPORTS_KEY_FILE, or the passphrase).
 * New key: `--to-key-file <path>` writes a new random key file there (refused inside DATA_DIR or
 * when the file exists); `--to-passphrase` asks for a new passphrase twice. Moving to a key file
 * removes passphrase.json at the end.
 *
 * Order, and what a crash at each point leaves (scripts/offline.ts describes the swap):
 * 1. Refuse, changing nothing, when an interrupted swap is pending, the new key file exists (saying
 *    whether the data already opens with it, i.e. an earlier rekey finished, or an interrupted one
 *    left it unused), the database is missing, the old key does not open it, or another connection
 *    has it open ("stop the app first").
 * 2. Lock (rollback-journal mode, held by a read transaction until the swap).
 * 3. The new key: the key file is written, or the new passphrase's salt is staged as
 *    passphrase.json.rekey-new (the live passphrase.json is not touched).
 * 4. An encrypted backup with the OLD key, verified (scripts/backup.ts); a failed check stops here.
 * 5. `field-reports.db.rekey-new`: VACUUM INTO copy, rekeyed (rollback journal, rekey, then WAL),
 *    proved to open with the new key and not the old, integrity_check ok, same row counts.
 * 6. `uploads.rekey-new/`: every photo opened with the old photos key and sealed with the new one,
 *    each proved to open to the same SHA-256.
 *    A crash in 2–6 leaves the data as it was, under the old key; the next run removes the
 *    half-made files. A failed check also removes the new key file, which protects nothing yet.
 * 7. Commit point: DATA_DIR/at-rest-swap.json; renames (database side files, database, uploads,
 *    passphrase.json, sign-in-throttle.db + side files → `*.old-key`, new files into place). A crash
 *    from here on: run `npm run rekey` again; it finishes without asking for any key.
 * 8. The lock is released; the `*.old-key` files (ciphertext under the old key) are deleted, the
 *    marker removed; the backup's 'backup_made' audit row and a 'data_rekeyed' row go into the rekeyed
 *    database.
 *
 * Backups made before keep the old key: keep the old key file, or the old passphrase (each backup
 * carries the passphrase.json of its time), until they expire.
 *
 * CLI: `npm run rekey -- --to-key-file <path>` or `npm run rekey -- --to-passphrase`. Exit 0 done,
 * 1 refused or failed, 2 usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deriveKey, getDataKey, readKeyFile } from '@/lib/at-rest/keys';
import { DATABASE_FILE, defaultBackupRoot, makeVerifiedBackup, openKeyedFile, recordBackupMade, recordScriptAuditEvent } from './backup';
import { getDataDir, openSqlite } from '@/db/client';
import { finishInterruptedSwap, OfflineError, opensWithKey, reencryptDataDir, type NewKeyChoice, type Say } from './offline';
import { ensureScriptDataKey } from './script-key';

export type RekeyResult = {
  tables: Record<string, number>;
  photosResealed: number;
  /** The backup made with the old key before anything changed. */
  backupDir: string;
  /** Where the new key lives: the new key file, or passphrase.json. */
  newKeySource: string;
  /** What the operator must do now (also printed). */
  afterwards: string[];
};

function afterwardsFor(dataDir: string, choice: NewKeyChoice, now: Date): string[] {
  const keep = `Backups made before ${now.toISOString()} open only with the OLD key: keep the old key file, or the old passphrase (each backup carries its own passphrase.json), until they have expired; then destroy it.`;
  if (choice.kind === 'new-key-file') return [`Set FIELD_REPORTS_KEY_FILE=${path.resolve(choice.file)} for the app and the scripts, then start the app.`, keep];
  if (choice.kind === 'new-passphrase') {
    return [`Start the app without FIELD_REPORTS_KEY_FILE and unseal it at /unseal with the new passphrase (salt in ${path.join(dataDir, 'passphrase.json')}).`, keep];
  }
  return ['Start the app with the new key.', keep];
}

/**
 * Refuse a new key file path that exists, saying which case it is: the key file in use; the key of
 * an earlier rekey that finished (the data opens with it: nothing to do); or a key an interrupted
 * rekey wrote before its commit point (the data still opens with the old key, so it protects
 * nothing). Never suggests deleting a file whose key opens the data.
 * @throws OfflineError (nothing changed)
 */
function refuseExistingKeyFile({ file, dataDir, dbFile, oldKey }: { file: string; dataDir: string; dbFile: string; oldKey: Buffer }): void {
  if (!fs.existsSync(file)) return;
  const resolved = path.resolve(file);
  const current = process.env.FIELD_REPORTS_KEY_FILE;
  if (current !== undefined && path.resolve(current) === resolved) {
    throw new OfflineError(`Key file ${resolved} is the key file in use (FIELD_REPORTS_KEY_FILE): choose a new path for the new key. Nothing was changed.`);
  }
  let itsKey: Buffer | null = null;
  try {
    itsKey = readKeyFile(resolved, dataDir);
  } catch {
    // Not a usable key file: it cannot be the data's key either.
  }
  if (itsKey && opensWithKey(dbFile, deriveKey(itsKey, 'database'))) {
    throw new OfflineError(`The data already opens with ${resolved}: an earlier \`npm run rekey\` finished. Set FIELD_REPORTS_KEY_FILE=${resolved}; nothing to do. Nothing was changed.`);
  }
  const stale = opensWithKey(dbFile, deriveKey(oldKey, 'database'))
    ? ' The data still opens with the old key, so if an interrupted `npm run rekey` wrote it, it protects nothing: delete it and run again.'
    : '';
  throw new OfflineError(`Key file ${resolved} already exists: not overwriting it.${stale} Nothing was changed.`);
}

/**
 * Change the data key (module comment for the order).
 * @param oldKey the current data key (32 bytes)
 * @param keyChoice the new key: `new-key-file`, `new-passphrase`, or `key` (tests)
 * @param backupRoot where the backup with the old key goes (default BACKUP_DIR, else DATA_DIR/backups)
 * @throws OfflineError when refused or a check fails before the commit point (data untouched);
 *   KeyError when the old key does not open the database or the new key cannot be made
 */
export async function rekeyData({
  dataDir,
  oldKey,
  keyChoice,
  backupRoot = defaultBackupRoot(dataDir),
  say = console.log,
  now = new Date(),
}: {
  dataDir: string;
  oldKey: Buffer;
  keyChoice: NewKeyChoice;
  backupRoot?: string;
  say?: Say;
  now?: Date;
}): Promise<RekeyResult> {
  const dbFile = path.join(dataDir, DATABASE_FILE);
  if (keyChoice.kind === 'new-key-file') refuseExistingKeyFile({ file: keyChoice.file, dataDir, dbFile, oldKey });
  const afterwards = afterwardsFor(dataDir, keyChoice, now);
  const { newKey, before, tables, photos } = await reencryptDataDir({
    dataDir,
    command: 'rekey',
    oldKey,
    keyChoice,
    say,
    now,
    afterwards,
    beforeCopy: async () => {
      // A second connection: VACUUM INTO cannot run inside the lock's read transaction.
      const reader = openKeyedFile(dbFile, deriveKey(oldKey, 'database'));
      let made: Awaited<ReturnType<typeof makeVerifiedBackup>>;
      try {
        made = await makeVerifiedBackup({ source: reader, dataKey: oldKey, dataDir, backupRoot, now });
      } finally {
        reader.close();
      }
      if (!made.result.ok) throw new OfflineError(`The backup ${made.dir} (old key) did not verify: ${made.result.problems.join('; ')}. Nothing was changed.`);
      say(`  backup with the old key: ${made.dir} — check passed`);
      return { dir: made.dir, uploads: made.manifest.uploads.length };
    },
  });
  // reencryptDataDir returns only after beforeCopy ran.
  const { dir: backupDir, uploads } = before!;

  const live = openSqlite(dbFile, { key: deriveKey(newKey.key, 'database') });
  try {
    recordBackupMade(live, { dir: backupDir, ok: true, uploads });
    recordScriptAuditEvent(live, 'data_rekeyed', { to: newKey.createdKeyFile ? 'key-file' : newKey.stagedPassphrase ? 'passphrase' : 'given-key', photos });
  } finally {
    live.close();
  }
  for (const line of afterwards) say(line);
  const newKeySource = newKey.createdKeyFile ?? (newKey.stagedPassphrase ? path.join(dataDir, 'passphrase.json') : 'the given key');
  return { tables, photosResealed: photos, backupDir, newKeySource, afterwards };
}

/** `--to-key-file <path>` or `--to-passphrase`, exactly one. */
export function parseRekeyArguments(argv: string[]): NewKeyChoice | null {
  if (argv.length === 1 && argv[0] === '--to-passphrase') return { kind: 'new-passphrase' };
  if (argv.length === 2 && argv[0] === '--to-key-file' && argv[1]) return { kind: 'new-key-file', file: argv[1] };
  return null;
}

async function main(argv: string[]): Promise<number> {
  const keyChoice = parseRekeyArguments(argv);
  if (!keyChoice) {
    console.error('Usage: npm run rekey -- --to-key-file <path outside DATA_DIR>   or   npm run rekey -- --to-passphrase');
    return 2;
  }
  const dataDir = getDataDir();
  if (finishInterruptedSwap(dataDir, console.log)) return 0;
  await ensureScriptDataKey();
  console.log(`Changing the key of ${dataDir} (offline).`);
  const result = await rekeyData({ dataDir, oldKey: getDataKey(), keyChoice });
  console.log(`Done: the data opens only with the new key (${result.newKeySource}).`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`rekey: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
