/**
 * Test helper (Vitest only): a plain-text DATA_DIR as a server before encryption at rest left it
 * (migrated database with the reference lists, a partner, a report and photo rows holding a canary
 * string, plain photo files, an unfinished upload, a plain sign-in throttle store), and a search of
 * every file under a folder for a canary (docs/security/encryption-at-rest.md).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { ensureAccount } from '@/scripts/accounts-seed';
import { countTableRows } from '@/scripts/backup';
import { MIGRATIONS_FOLDER } from '@/scripts/migrate';
import { seedReferenceLists } from '@/scripts/reference-data';
import { openSqlite } from '@/db/client';
import * as schema from '@/db/schema';
import { freshDemoReportValues, seedReportIn } from './reports';

export type PlainDataDir = {
  dataDir: string;
  /** Row count of every table after the set-up. */
  tables: Record<string, number>;
  /** The stored photos: name and plain bytes (each holds the canary). */
  photos: { name: string; bytes: Buffer }[];
};

/** A stored-photo name as lib/photos/storage.ts makes them. */
function newStorageName(extension = 'jpg'): string {
  return `${crypto.randomBytes(16).toString('hex')}.${extension}`;
}

/**
 * Make a plain-text DATA_DIR in a new temporary folder (see the module comment).
 * @param canary written into a report's title, narrative and safety note, a code name, a photo
 *   caption, each photo file, the unfinished upload and the throttle store
 */
export function makePlainDataDir(canary: string): PlainDataDir {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-plain-'));
  const sqlite = openSqlite(path.join(dataDir, 'field-reports.db'), { key: null });
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  const photos = [newStorageName('jpg'), newStorageName('png')].map((name, i) => ({
    name,
    bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, i]), Buffer.from(`${canary} pixels ${i}`), crypto.randomBytes(256)]),
  }));
  db.transaction((tx) => {
    seedReferenceLists(tx);
    const authorId = ensureAccount(tx, { codeName: `partner ${canary}`, role: 'partner', passwordHash: null });
    const reportId = seedReportIn(tx, {
      authorId,
      values: { ...freshDemoReportValues(), title: `Title ${canary}`, narrative: `Narrative ${canary}`, safetyNote: `Safety ${canary}` },
    });
    for (const photo of photos) {
      tx.insert(schema.photos)
        .values({ reportId, storageName: photo.name, mimeType: 'image/jpeg', width: 1, height: 1, bytes: photo.bytes.length, caption: `Caption ${canary}` })
        .run();
    }
  });
  const tables = countTableRows(sqlite);
  sqlite.close();

  const uploads = path.join(dataDir, 'uploads');
  fs.mkdirSync(uploads, { mode: 0o700 });
  for (const photo of photos) fs.writeFileSync(path.join(uploads, photo.name), photo.bytes, { mode: 0o600 });
  fs.writeFileSync(path.join(uploads, `.tmp-${crypto.randomBytes(16).toString('hex')}.part`), `half a photo ${canary}`);
  const throttle = openSqlite(path.join(dataDir, 'sign-in-throttle.db'), { key: null });
  throttle.exec('CREATE TABLE sign_in_throttle (key TEXT PRIMARY KEY, points INTEGER, expire INTEGER)');
  throttle.prepare('INSERT INTO sign_in_throttle VALUES (?, 1, NULL)').run(`name-fails ${canary}`);
  throttle.close();
  return { dataDir, tables, photos };
}

/** Every regular file under `dir`, recursively. */
export function listFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Files under `dir` whose bytes hold `canary` as UTF-8 or as UTF-16LE. */
export function filesHoldingCanary(dir: string, canary: string): string[] {
  const needles = [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le')];
  return listFilesUnder(dir).filter((file) => {
    const bytes = fs.readFileSync(file);
    return needles.some((needle) => bytes.includes(needle));
  });
}
