import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertTestAccount } from '@/lib/testing/accounts';
import { testDataDir } from '@/lib/testing/database';
import { freshDemoReportValues } from '@/lib/testing/reports';
import { submitReport } from '@/lib/reports/submit';
import { sealBytes } from '@/lib/at-rest/envelope';
import { getDataKey, getDerivedKey } from '@/lib/at-rest/keys';
import { filesHoldingCanary, listFilesUnder } from '@/lib/testing/plain-data-dir';

let dataDir: string;
let backup: typeof import('./backup');

beforeAll(async () => {
  dataDir = testDataDir();
  backup = await import('./backup');
});

afterAll(async () => {
  (await import('@/db/client')).closeDb();
});

/** A sealed photo file as the app stores it (lib/photos/storage.ts). */
function writeSealedPhoto(uploads: string, name: string, plaintext: Buffer): void {
  fs.writeFileSync(path.join(uploads, name), sealBytes({ key: getDerivedKey('photos'), plaintext, associatedData: name }));
}

// A writer on its own connection and thread, as the running app would be (keyed as db/client.ts
// keys it): each report is inserted with two vehicle rows in one transaction, as fast as it can,
// until told to stop.
const WRITER = `
const { workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.file);
db.pragma("cipher = 'sqlcipher'");
db.pragma('legacy = 4');
db.pragma(\`key = "x'\${workerData.keyHex}'"\`);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const flags = new Int32Array(workerData.shared);
const insertReport = db.prepare("INSERT INTO reports (client_id, author_id, status, title) VALUES (?, ?, 'submitted', ?) RETURNING id");
const insertVehicle = db.prepare("INSERT INTO report_vehicles (report_id, position, vehicle_type, count, direction) VALUES (?, ?, 'truck', ?, 'into_kp')");
const write = db.transaction((n) => {
  const { id } = insertReport.get('bk-' + n + '-' + Math.random(), workerData.authorId, 'Trucks at dusk ' + n);
  insertVehicle.run(id, 0, n);
  insertVehicle.run(id, 1, n + 1);
});
let n = 0;
while (Atomics.load(flags, 0) === 0) {
  write(n);
  n += 1;
  Atomics.store(flags, 1, n);
}
db.close();
`;

describe('backups', () => {
  it('a backup taken while reports are being written restores with integrity_check ok and the same row counts', async () => {
    const partner = await insertTestAccount({ role: 'partner' });
    const uploads = path.join(dataDir, 'uploads');
    fs.mkdirSync(uploads, { recursive: true });
    writeSealedPhoto(uploads, 'a1b2c3.jpg', Buffer.from('not really a jpeg, but bytes all the same'));
    fs.writeFileSync(path.join(uploads, '.tmp-0123456789abcdef0123456789abcdef.part'), 'half-written');

    const shared = new SharedArrayBuffer(8);
    const flags = new Int32Array(shared);
    const worker = new Worker(WRITER, {
      eval: true,
      workerData: { file: path.join(dataDir, 'field-reports.db'), keyHex: getDerivedKey('database').toString('hex'), shared, authorId: partner.id },
    });
    const exited = new Promise<number>((resolve, reject) => {
      worker.on('exit', resolve);
      worker.on('error', reject);
    });
    try {
      await vi.waitFor(() => expect(Atomics.load(flags, 1)).toBeGreaterThan(200), { timeout: 10_000, interval: 5 });
      const writtenBefore = Atomics.load(flags, 1);
      const { dir, manifest } = await backup.makeBackup({ now: new Date('2026-03-01T10:04:05Z') });
      // The writer kept going during and after the backup.
      await vi.waitFor(() => expect(Atomics.load(flags, 1)).toBeGreaterThan(writtenBefore + 200), { timeout: 10_000, interval: 5 });

      expect(path.basename(dir)).toBe('2026-03-01T10-04-05Z');
      expect(dir.startsWith(path.join(dataDir, 'backups'))).toBe(true);
      const result = backup.verifyBackup(dir);
      expect(result.problems).toEqual([]);
      expect(result.integrity).toBe('ok');
      expect(result.ok).toBe(true);
      expect(result.restoredTables).toEqual(manifest.tables);

      // A consistent snapshot: every report in it has both of its vehicle rows.
      const reportsInBackup = manifest.tables.reports ?? 0;
      expect(reportsInBackup).toBeGreaterThanOrEqual(writtenBefore);
      expect(manifest.tables.report_vehicles).toBe(2 * reportsInBackup);
      expect(manifest.tables.places).toBeGreaterThan(0);
      expect(manifest.uploads.map((u) => u.name)).toEqual(['a1b2c3.jpg']);
      expect(fs.readdirSync(path.join(dir, 'uploads'))).toEqual(['a1b2c3.jpg']);
      expect(fs.statSync(path.join(dir, 'field-reports.db')).mode & 0o077).toBe(0);
    } finally {
      Atomics.store(flags, 0, 1);
      await exited;
    }
    const live = backup.openKeyedFile(path.join(dataDir, 'field-reports.db'), getDerivedKey('database'));
    const liveReports = live.prepare('SELECT count(*) FROM reports').pluck().get() as number;
    live.close();
    expect(liveReports).toBeGreaterThan(0);
  });

  it('notices a damaged backup', async () => {
    const { dir } = await backup.makeBackup({ now: new Date('2026-03-02T00:00:00Z') });
    // A manifest that disagrees with the database (only a key holder can seal one).
    const manifest = backup.readBackupManifest(dir, getDataKey());
    manifest.tables.reports = (manifest.tables.reports ?? 0) + 1;
    backup.writeBackupManifest(dir, manifest, getDataKey());
    fs.writeFileSync(path.join(dir, 'uploads', 'a1b2c3.jpg'), 'tampered');
    const result = backup.verifyBackup(dir);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/reports: \d+ rows restored/);
    expect(result.problems.join('\n')).toMatch(/upload a1b2c3.jpg differs/);

    // A file that is not a database at all.
    fs.writeFileSync(path.join(dir, 'field-reports.db'), Buffer.alloc(8192, 7));
    expect(backup.verifyBackup(dir).ok).toBe(false);
  });

  it('puts two backups in the same second into different folders, under BACKUP_DIR when set', async () => {
    const root = path.join(dataDir, 'elsewhere');
    const now = new Date('2026-03-03T00:00:00Z');
    const a = await backup.makeBackup({ backupRoot: root, now });
    const b = await backup.makeBackup({ backupRoot: root, now });
    expect(path.basename(a.dir)).toBe('2026-03-03T00-00-00Z');
    expect(path.basename(b.dir)).toBe('2026-03-03T00-00-00Z-2');
    expect(backup.verifyBackup(b.dir).ok).toBe(true);
  });
  it('writes no plain text: a canary in a report is in none of the backup files (UTF-8 or UTF-16LE), and the manifest names no table', async () => {
    const canary = `CANARY-${crypto.randomBytes(6).toString('hex')}`;
    const partner = await insertTestAccount({ role: 'partner' });
    const filed = submitReport({ actor: partner, values: { ...freshDemoReportValues(), title: `Title ${canary}`, narrative: `Narrative ${canary}`, safetyNote: `Safety ${canary}` } });
    if (!filed.ok) throw new Error('setup');
    writeSealedPhoto(path.join(dataDir, 'uploads'), 'd4e5f6.jpg', Buffer.from(`pixels ${canary}`));

    const { dir, manifest } = await backup.makeBackup({ now: new Date('2026-03-04T00:00:00Z') });
    expect(manifest.tables.reports).toBeGreaterThan(0);
    expect(listFilesUnder(dir).map((f) => path.relative(dir, f)).sort()).toEqual(expect.arrayContaining(['field-reports.db', 'manifest.sealed', 'uploads/d4e5f6.jpg']));
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(false);
    expect(filesHoldingCanary(dir, canary)).toEqual([]);
    for (const table of ['reports', 'photos', 'accounts', 'audit_events']) expect(filesHoldingCanary(dir, table)).toEqual([]);
    expect(backup.verifyBackup(dir).ok).toBe(true);
  });

  it('fails verification with a wrong key, naming the files that do not open', async () => {
    const { dir } = await backup.makeBackup({ now: new Date('2026-03-05T00:00:00Z') });
    const result = backup.verifyBackup(dir, { dataKey: crypto.randomBytes(32) });
    expect(result.ok).toBe(false);
    const problems = result.problems.join('\n');
    expect(problems).toContain(`${path.join(dir, 'field-reports.db')} does not open with this key`);
    expect(problems).toContain(`${path.join(dir, 'manifest.sealed')} failed its integrity check`);
  });

  it('fails verification when one byte of a backed-up photo is flipped', async () => {
    const { dir } = await backup.makeBackup({ now: new Date('2026-03-06T00:00:00Z') });
    const photo = path.join(dir, 'uploads', 'a1b2c3.jpg');
    const bytes = fs.readFileSync(photo);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(photo, bytes);
    const result = backup.verifyBackup(dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('upload a1b2c3.jpg differs');
    expect(result.problems.join('\n')).toMatch(/upload a1b2c3\.jpg does not open with the photos key: uploads\/a1b2c3\.jpg failed its integrity check/);
  });

  it('fails verification when the folder holds files a backup never holds (a planted manifest.json, a clear photo, notes)', async () => {
    const { dir } = await backup.makeBackup({ now: new Date('2026-03-07T00:00:00Z') });
    expect(backup.verifyBackup(dir).ok).toBe(true);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"tables":{}}');
    fs.writeFileSync(path.join(dir, 'uploads', `${'0123456789abcdef'.repeat(2)}.png`), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    fs.writeFileSync(path.join(dir, 'uploads', 'notes.txt'), 'a note');
    const result = backup.verifyBackup(dir);
    expect(result.ok).toBe(false);
    expect(result.problems.filter((p) => p.startsWith('unexpected file'))).toEqual([
      expect.stringMatching(/^unexpected file manifest\.json: not in the sealed manifest/),
      expect.stringMatching(/^unexpected file uploads\/0123456789abcdef0123456789abcdef\.png/),
      expect.stringMatching(/^unexpected file uploads\/notes\.txt/),
    ]);
  });

  it('calls a plain-text backup from before encryption what it is', () => {
    const old = path.join(dataDir, 'backups', '2025-01-01T00-00-00Z');
    fs.mkdirSync(path.join(old, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(old, 'manifest.json'), '{}');
    const result = backup.verifyBackup(old);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/plain-text backup made before encryption at rest/);
  });
});
