/**
 * Vitest globalSetup (vitest.config.mts), run once per `vitest run` before any test file: one data
 * key in a key file outside every test DATA_DIR, and one TEMPLATE database — migrated, with the
 * reference lists, encrypted under that key exactly as in production
 * (docs/security/encryption-at-rest.md) — that lib/testing/setup.ts copies for each test file.
 * Migrating once instead of once per file is the whole point (model: epic-stack's tests/setup).
 *
 * Hands both paths to the test processes with `provide` (read back with `inject`, see
 * lib/testing/setup.ts); removes them when the run ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { newKeyFileText } from '@/lib/at-rest/keys';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's key file (FIELD_REPORTS_KEY_FILE of every test process). */
    testKeyFile: string;
    /** The migrated, seeded, encrypted template database file. */
    templateDatabase: string;
  }
}

export default async function globalSetup(project: TestProject): Promise<() => void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-test-run-'));
  const keyFile = path.join(root, 'data.key');
  fs.writeFileSync(keyFile, newKeyFileText(), { mode: 0o600 });
  const templateDir = path.join(root, 'template');
  let templateDatabase = '';

  const saved = { DATA_DIR: process.env.DATA_DIR, FIELD_REPORTS_KEY_FILE: process.env.FIELD_REPORTS_KEY_FILE };
  process.env.DATA_DIR = templateDir;
  process.env.FIELD_REPORTS_KEY_FILE = keyFile;
  try {
    const { closeDatabase, getDatabasePath, writeTransaction } = await import('@/db/client');
    const { runMigrations } = await import('@/scripts/migrate');
    const { seedReferenceLists } = await import('@/scripts/reference-data');
    const { clearDataKey } = await import('@/lib/at-rest/keys');
    templateDatabase = getDatabasePath();
    runMigrations();
    writeTransaction((tx) => seedReferenceLists(tx));
    // A TRUNCATE checkpoint and close: the template is one self-contained file (no -wal to copy).
    closeDatabase();
    clearDataKey();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  project.provide('testKeyFile', keyFile);
  project.provide('templateDatabase', templateDatabase);
  return () => fs.rmSync(root, { recursive: true, force: true });
}
