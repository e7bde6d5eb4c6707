/**
 * Vitest setup: every test process gets its own random data key in a key file outside any test
 * DATA_DIR (FIELD_REPORTS_KEY_FILE), so the databases and photos tests make are encrypted exactly
 * as in production (docs/security/encryption-at-rest.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newKeyFileText } from '@/lib/at-rest/keys';

if (!process.env.FIELD_REPORTS_KEY_FILE) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-key-'));
  const file = path.join(dir, 'data.key');
  fs.writeFileSync(file, newKeyFileText(), { mode: 0o600 });
  process.env.FIELD_REPORTS_KEY_FILE = file;
}
