/**
 * The data-at-rest check at server start (docs/security/encryption-at-rest.md), run once from
 * instrumentation.ts before any request:
 * - with FIELD_REPORTS_KEY_FILE: the key file must be usable (owner-only, outside DATA_DIR, 64 hex
 *   characters) and open the database; otherwise the server refuses to start, naming the problem;
 * - without it: a plain-text database is refused (run `npm run encrypt-data`); an encrypted one
 *   makes the server start sealed, waiting for the passphrase at /unseal;
 * - an interrupted encrypt-data or rekey (SWAP_MARKER_FILE in DATA_DIR): refused until it is finished;
 * - FIELD_REPORTS_PLAINTEXT=benchmark-only (the benchmark's plain comparison): a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getDatabasePath, getDataDir, getSqlite, isPlaintextDatabase } from '@/db/client';
import { getDataKey, isPlaintextMode, KeyError } from './keys';

export type AtRestState = 'open' | 'sealed' | 'plaintext-benchmark';

/**
 * The marker `npm run encrypt-data` and `npm run rekey` leave in DATA_DIR while they swap files
 * (db/offline.ts): its presence means a swap was cut short and the data may be half old, half new.
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
  if (!process.env.FIELD_REPORTS_KEY_FILE) return 'sealed';
  getDataKey();
  if (exists) getSqlite();
  return 'open';
}
