/**
 * The data-at-rest check at server start (docs/security/encryption-at-rest.md), run once from
 * instrumentation.ts before any request:
 * - with FIELD_REPORTS_KEY_FILE: the key file must be usable (owner-only, outside DATA_DIR, 64 hex
 *   characters) and open the database; otherwise the server refuses to start, naming the problem;
 * - without it: a plain-text database is refused (run `npm run encrypt-data`); an encrypted one
 *   with DATA_DIR/passphrase.json makes the server start sealed, waiting for the passphrase at
 *   /unseal; without passphrase.json (the data has a key file) or without a database, it refuses;
 * - an interrupted encrypt-data or rekey (SWAP_MARKER_FILE in DATA_DIR): refused until it is finished;
 * - FIELD_REPORTS_PLAINTEXT=benchmark-only (the benchmark's plain comparison): a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getDatabasePath, getDataDir, getSqlite, isPlaintextDatabase } from '@/db/client';
import { getDataKey, isPlaintextMode, KeyError } from './keys';
import { hasPassphraseFile, PASSPHRASE_FILE } from './passphrase';

export type AtRestState = 'open' | 'sealed' | 'plaintext-benchmark';

/**
 * The marker `npm run encrypt-data` and `npm run rekey` leave in DATA_DIR while they swap files
 * (scripts/offline.ts): its presence means a swap was cut short and the data may be half old, half new.
 */
export const SWAP_MARKER_FILE = 'at-rest-swap.json';

/**
 * Check the key and the database as described above.
 * @returns the state the server starts in
 * @throws KeyError with the message to print when the server must not start
 */
export function checkDataAtRest(): AtRestState {
  if (isPlaintextMode()) return 'plaintext-benchmark';
  const marker = path.join(getDataDir(), SWAP_MARKER_FILE);
  if (fs.existsSync(marker)) {
    throw new KeyError(`${marker} is there: an \`npm run encrypt-data\` or \`npm run rekey\` was interrupted while swapping files. Run the same command again to finish it before starting the app.`);
  }
  const databaseFile = getDatabasePath();
  const exists = fs.existsSync(databaseFile);
  if (exists && isPlaintextDatabase(databaseFile)) {
    throw new KeyError(`${databaseFile} is a plain-text (unencrypted) database: refusing to serve it. Stop here and run \`npm run encrypt-data\` (README: "Encryption at rest").`);
  }
  if (!process.env.FIELD_REPORTS_KEY_FILE) {
    // Sealed only where a passphrase can open it: a DATA_DIR set up with a key file (or not set
    // up at all) would wait forever for a passphrase that does not exist.
    if (!hasPassphraseFile(getDataDir())) {
      throw new KeyError(
        exists
          ? `FIELD_REPORTS_KEY_FILE is not set, and ${getDataDir()} has no ${PASSPHRASE_FILE}: its data was encrypted with a key file. Set FIELD_REPORTS_KEY_FILE to that file (outside DATA_DIR) and start again.`
          : `FIELD_REPORTS_KEY_FILE is not set and ${getDataDir()} holds no database yet: run \`npm run db:migrate\` first (it sets up a passphrase when there is no key file), or set FIELD_REPORTS_KEY_FILE.`,
      );
    }
    if (!exists) throw new KeyError(`${databaseFile} does not exist: run \`npm run db:migrate\` (with the passphrase) before starting the app.`);
    return 'sealed';
  }
  getDataKey();
  try {
    if (exists) getSqlite();
  } catch (error) {
    if (error instanceof KeyError) throw new KeyError(`${error.message} The key came from FIELD_REPORTS_KEY_FILE=${process.env.FIELD_REPORTS_KEY_FILE}.`);
    throw error;
  }
  return 'open';
}
