/**
 * Vitest setup file (vitest.config.mts `setupFiles`), run in each test file's process before the
 * file itself: the run's data key (FIELD_REPORTS_KEY_FILE, outside every DATA_DIR, as in
 * production: docs/security/encryption-at-rest.md) and the file's own copy of the template
 * database in a new DATA_DIR (lib/testing/database.ts). Removed again when the file is done.
 */
import { afterAll, inject } from 'vitest';
import { freshTestDatabase, removeTestDatabases } from './database';

process.env.FIELD_REPORTS_KEY_FILE = inject('testKeyFile');
freshTestDatabase();

afterAll(removeTestDatabases);
