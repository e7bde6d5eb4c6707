/**
 * The data-at-rest check at server start (docs/security/encryption-at-rest.md), run once from
 * instrumentation.ts before any request:
 * - with FIELD_REPORTS_KEY_FILE: the key file must be usable (owner-only, outside DATA_DIR, 64 hex
 *   characters) and open the database; otherwise the server refuses to start, naming the problem;
 * - without it: a plain-text database is refused (run `npm run encrypt-data`); an encrypted one
 *   makes the server start sealed, waiting for the passphrase at /unseal;
 * - FIELD_REPORTS_PLAINTEXT=benchmark-only (the benchmark's plain comparison): a warning.
 */
import fs from 'node:fs';
import { getDatabasePath, getSqlite, isPlaintextDatabase } from '@/db/client';
import { getDataKey, isPlaintextMode, KeyError } from './keys';

export type AtRestState = 'open' | 'sealed' | 'plaintext-benchmark';

/**
 * Check the key and the database as described above.
 * @returns the state the server starts in
 * @throws KeyError with the message to print when the server must not start
 */
export function checkDataAtRest(): AtRestState {
  if (isPlaintextMode()) return 'plaintext-benchmark';
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
