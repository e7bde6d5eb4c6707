/**
 * Creates a benchmark database in a data directory: the app's own migrations, reference lists
 * (scripts/reference-data.ts) and demo accounts (scripts/seed.ts), then N synthetic reports written with raw
 * better-sqlite3 prepared statements in large transactions (fast: not the app's data layer).
 *
 * Published reports get what publishing writes: a `publications` row whose snapshot is built by the
 * publishing domain's own pure builder (lib/publishing/snapshot.ts buildSnapshot with the default
 * choices), the coarsened place and period from it, and published_vehicles / goods / agencies rows
 * (vehicle rows' weekStart = weekStartOf(observedFrom, report zone), lib/publishing/coarsen.ts).
 *
 * The database is left as the app leaves it: WAL mode, checkpointed (an empty WAL file), and not
 * ANALYZEd (the app never runs ANALYZE, so the query planner works without statistics, as in
 * production); and encrypted as the app encrypts it (SQLCipher v4 scheme, the run's derived
 * 'database' key: bench/at-rest.ts), except the plain-text twin of the encryption comparison.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { flushSearchIndex } from '@/db/search-index';
import { setDataKey } from '@/lib/at-rest/keys';
import { weekStartOf } from '@/lib/publishing/coarsen';
import { openBenchDatabase, type BenchKey } from './at-rest';
import { buildSnapshot, defaultPublishChoices, type PublishingSource } from '@/lib/publishing/snapshot';
import type { DatabaseSummary } from './results';
import { prng, PUBLIC_ID_LENGTH, randomSlug, statusPlan, synthesizeReport, type RefLists, type SynthReport } from '@/scripts/synthetic-reports';

const DB_FILE = 'field-reports.db';
const CHUNK = 5_000;
const BENCH_PARTNERS = 60;
const BENCH_EDITORS = 8;

/**
 * Migrate and seed through the app's own scripts (reference lists, demo accounts), which open the
 * database through db/client.ts: with `key`, the process gets the run's data key (so openSqlite
 * keys the file with its 'database' subkey, as the server will); without, the scripts run in the
 * benchmark-only plain-text mode for this one call (the same switch the plain server gets).
 */
async function seedWithAppScripts(dataDir: string, key: BenchKey | null): Promise<void> {
  process.env.DATA_DIR = dataDir;
  const { closeDb } = await import('@/db/client');
  closeDb();
  const plainBefore = process.env.FIELD_REPORTS_PLAINTEXT;
  if (key) {
    delete process.env.FIELD_REPORTS_PLAINTEXT;
    setDataKey(key.dataKey, 'key-file');
  } else process.env.FIELD_REPORTS_PLAINTEXT = 'benchmark-only';
  try {
    const { seedDatabase } = await import('@/scripts/seed');
    await seedDatabase({ demo: true });
  } finally {
    closeDb();
    if (plainBefore === undefined) delete process.env.FIELD_REPORTS_PLAINTEXT;
    else process.env.FIELD_REPORTS_PLAINTEXT = plainBefore;
  }
}

function loadRefs(sqlite: Database.Database) {
  const places = sqlite
    .prepare('SELECT id, kind, country, parent_id AS parentId, name_en AS nameEn, name_ko AS nameKo FROM places WHERE retired_at IS NULL')
    .all() as { id: string; kind: 'province' | 'city' | 'county' | 'river' | 'crossing'; country: 'KP' | 'CN'; parentId: string | null; nameEn: string; nameKo: string }[];
  const agencies = sqlite.prepare('SELECT id, name_en AS nameEn, name_ko AS nameKo FROM agencies WHERE retired_at IS NULL').all() as {
    id: string;
    nameEn: string;
    nameKo: string;
  }[];
  const goodsCategories = sqlite.prepare('SELECT id, name_en AS nameEn, name_ko AS nameKo FROM goods_categories WHERE retired_at IS NULL').all() as {
    id: string;
    nameEn: string;
    nameKo: string;
  }[];
  return { places, agencies, goodsCategories };
}

function ensureBenchAccounts(sqlite: Database.Database): { partnerIds: number[]; editorIds: number[] } {
  const insert = sqlite.prepare("INSERT OR IGNORE INTO accounts (code_name, role, status, password_hash, is_demo) VALUES (?, ?, 'active', NULL, 0)");
  sqlite.transaction(() => {
    for (let i = 1; i <= BENCH_PARTNERS; i += 1) insert.run(`bench-partner-${String(i).padStart(3, '0')}`, 'partner');
    for (let i = 1; i <= BENCH_EDITORS; i += 1) insert.run(`bench-editor-${i}`, 'editor');
  })();
  const ids = (role: string) =>
    (sqlite.prepare("SELECT id FROM accounts WHERE role = ? AND status = 'active' ORDER BY id").all(role) as { id: number }[]).map((r) => r.id);
  return { partnerIds: ids('partner'), editorIds: [...ids('editor'), ...ids('admin')] };
}

/** A benchmark database: its DATA_DIR and the SQLCipher key that opens it (null: plain text). */
export type BenchDatabase = { dataDir: string; databaseKey: Buffer | null };

/**
 * Create `DATA_DIR/field-reports.db` with `reports` synthetic reports (seeded PRNG `seed`),
 * encrypted with `key` (null: plain text, for the encryption comparison's twin only). The same
 * `seed` and `nowMs` (the clock the report times count back from, ms since the epoch) give the
 * same rows, so a plain twin differs from its encrypted original only in being plain.
 * Refuses a directory that already holds a database. Returns counts per table and status.
 */
export async function createBenchDatabase({
  dataDir,
  reports,
  seed,
  key,
  nowMs = Date.now(),
}: {
  dataDir: string;
  reports: number;
  seed: number;
  key: BenchKey | null;
  nowMs?: number;
}): Promise<DatabaseSummary> {
  const started = performance.now();
  const file = path.join(dataDir, DB_FILE);
  if (fs.existsSync(file)) throw new Error(`${file} exists already; the benchmark only writes fresh databases`);
  fs.mkdirSync(dataDir, { recursive: true });
  await seedWithAppScripts(dataDir, key);

  const sqlite = openBenchDatabase(file, key?.databaseKey ?? null);
  try {
    // Bulk-load settings; the app's own pragmas (WAL, synchronous=FULL) apply again when it opens the file.
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('foreign_keys = OFF');
    sqlite.pragma('cache_size = -262144');
    sqlite.pragma('temp_store = MEMORY');

    const refs = loadRefs(sqlite);
    const accountIds = ensureBenchAccounts(sqlite);
    const refLists: RefLists = { ...refs, ...accountIds };
    if (refs.places.length === 0 || refs.goodsCategories.length === 0) throw new Error('Reference lists are empty after seeding');

    const random = prng(seed);
    const plan = statusPlan(reports, random);
    const firstId = ((sqlite.prepare('SELECT coalesce(max(id), 0) AS m FROM reports').get() as { m: number }).m ?? 0) + 1;
    const endMs = nowMs - 14 * 86_400_000;
    const startMs = endMs - 8 * 365 * 86_400_000;

    // Drafts keep the form's values as typed in reports.draft_values (migration 0002) and leave the
    // structured columns and row tables empty, as lib/reports/drafts.ts does; older schemas had no column.
    const hasDraftValues = (sqlite.prepare('PRAGMA table_info(reports)').all() as { name: string }[]).some((c) => c.name === 'draft_values');
    const ins = {
      report: sqlite.prepare(`INSERT INTO reports (id, client_id, author_id, status, version, observed_from, observed_to, time_zone, time_note,
        place_id, place_detail, place_precision, title, narrative, source_type, safety_note, source_reliability, information_credibility,
        grade_note, claimed_by, claimed_at, submitted_at, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      draft: hasDraftValues
        ? sqlite.prepare(`INSERT INTO reports (id, client_id, author_id, status, version, time_zone, draft_values, created_at, updated_at)
            VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?)`)
        : null,
      vehicle: sqlite.prepare(
        'INSERT INTO report_vehicles (report_id, position, vehicle_type, count, is_estimate, direction, colours, cargo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      goods: sqlite.prepare(
        'INSERT INTO report_goods (report_id, position, category_id, description, direction, quantity, unit, value, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      agency: sqlite.prepare('INSERT INTO report_agencies (report_id, position, agency_id, other_name, role, note) VALUES (?, ?, ?, ?, ?, ?)'),
      event: sqlite.prepare('INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      revision: sqlite.prepare("INSERT INTO report_revisions (report_id, actor_id, kind, before, after, created_at) VALUES (?, ?, 'submission', NULL, ?, ?)"),
      message: sqlite.prepare('INSERT INTO report_messages (report_id, author_id, body, is_internal, created_at) VALUES (?, ?, ?, ?, ?)'),
      read: sqlite.prepare('INSERT OR REPLACE INTO message_reads (account_id, report_id, last_read_message_id) VALUES (?, ?, ?)'),
      publication: sqlite.prepare(`INSERT INTO publications (report_id, public_id, status, snapshot, place_id, period_start, period_end, published_at,
        published_by, retracted_at, retraction_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      pubVehicle: sqlite.prepare(
        'INSERT INTO published_vehicles (publication_id, week_start, vehicle_type, direction, count, is_estimate, colours, cargo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      pubGoods: sqlite.prepare(
        'INSERT INTO published_goods (publication_id, category_id, direction, description, quantity, unit, value, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      pubAgency: sqlite.prepare('INSERT INTO published_agencies (publication_id, agency_id, name, role) VALUES (?, ?, ?, ?)'),
    };

    const names = { gazetteer: refs.places, agencies: refs.agencies, goodsCategories: refs.goodsCategories };
    const publicIds = new Set<string>();
    const weekCache = new Map<string, number>();
    const weekStart = (instant: number, zone: string) => {
      // Every zone here has a whole or half-hour offset, so the week start is constant per half hour.
      const key = `${zone}:${Math.floor(instant / 1_800_000)}`;
      let value = weekCache.get(key);
      if (value === undefined) {
        value = weekStartOf(instant, zone);
        weekCache.set(key, value);
      }
      return value;
    };

    const writeReport = (r: SynthReport) => {
      if (ins.draft && r.draftValues) {
        ins.draft.run(r.id, r.clientId, r.authorId, r.version, r.timeZone, JSON.stringify(r.draftValues), r.createdAt, r.updatedAt);
        return;
      }
      ins.report.run(
        r.id, r.clientId, r.authorId, r.status, r.version, r.observedFrom, r.observedTo, r.timeZone, r.timeNote, r.placeId, r.placeDetail,
        r.placePrecision, r.title, r.narrative, r.sourceType, r.safetyNote, r.sourceReliability, r.informationCredibility, r.gradeNote,
        r.claimedBy, r.claimedAt, r.submittedAt, r.createdAt, r.updatedAt,
      );
      for (const v of r.vehicles) ins.vehicle.run(r.id, v.position, v.vehicleType, v.count, v.isEstimate ? 1 : 0, v.direction, v.colours, v.cargo);
      for (const g of r.goods) ins.goods.run(r.id, g.position, g.categoryId, g.description, g.direction, g.quantity, g.unit, g.value, g.currency);
      for (const a of r.agencies) ins.agency.run(r.id, a.position, a.agencyId, a.otherName, a.role, a.note);
      for (const e of r.events) ins.event.run(r.id, e.actorId, e.action, e.fromStatus, e.toStatus, e.note, e.createdAt);
      if (r.submittedAt !== null) {
        const after = {
          title: r.title, narrative: r.narrative, observedFrom: r.observedFrom, observedTo: r.observedTo, timeZone: r.timeZone,
          timeNote: r.timeNote, placeId: r.placeId, placeDetail: r.placeDetail, placePrecision: r.placePrecision, sourceType: r.sourceType,
          safetyNote: r.safetyNote, vehicles: r.vehicles, goods: r.goods, agencies: r.agencies,
        };
        ins.revision.run(r.id, r.authorId, JSON.stringify(after), r.submittedAt);
      }
      let lastMessageId = 0;
      for (const m of r.messages) lastMessageId = Number(ins.message.run(r.id, m.authorId, m.body, m.isInternal ? 1 : 0, m.createdAt).lastInsertRowid);
      if (lastMessageId > 0 && r.id % 2 === 0) ins.read.run(r.authorId, r.id, lastMessageId);

      const p = r.publication;
      if (!p) return;
      const source: PublishingSource = {
        title: r.title,
        narrative: r.narrative,
        placeId: r.placeId,
        observedFrom: r.observedFrom,
        observedTo: r.observedTo,
        timeZone: r.timeZone,
        sourceReliability: r.sourceReliability as PublishingSource['sourceReliability'],
        informationCredibility: r.informationCredibility as PublishingSource['informationCredibility'],
        vehicles: r.vehicles,
        goods: r.goods,
        agencies: r.agencies,
      };
      const choices = { ...defaultPublishChoices(source), showGrading: p.showGrading };
      const built = buildSnapshot({ source, names, choices, firstPublishedAt: p.publishedAt });
      if (!built.ok) throw new Error(`buildSnapshot refused synthetic report ${r.id}: ${built.messageKey}`);
      const snapshot = built.snapshot;
      let publicId = p.publicId;
      while (publicIds.has(publicId)) publicId = randomSlug(random, PUBLIC_ID_LENGTH);
      publicIds.add(publicId);
      const publicationId = Number(
        ins.publication.run(
          r.id, publicId, r.status === 'retracted' ? 'retracted' : 'published', JSON.stringify(snapshot), snapshot.place.id,
          snapshot.period.start, snapshot.period.end, p.publishedAt, p.publishedBy, p.retractedAt, p.retractionReason,
        ).lastInsertRowid,
      );
      const week = weekStart(r.observedFrom, r.timeZone);
      for (const v of snapshot.vehicles) ins.pubVehicle.run(publicationId, week, v.vehicleType, v.direction, v.count, v.isEstimate ? 1 : 0, v.colours, v.cargo);
      for (const g of snapshot.goods) ins.pubGoods.run(publicationId, g.categoryId, g.direction, g.description, g.quantity, g.unit, g.value, g.currency);
      for (const a of snapshot.agencies) ins.pubAgency.run(publicationId, a.agencyId, a.nameEn, a.role);
    };

    for (let from = 0; from < reports; from += CHUNK) {
      const to = Math.min(reports, from + CHUNK);
      sqlite.transaction(() => {
        for (let index = from; index < to; index += 1) {
          const status = plan[index]!;
          writeReport(synthesizeReport({ random, id: firstId + index, index, total: reports, status, startMs, endMs, refs: refLists }));
        }
        // The queue's search index, as the app's writeTransaction keeps it (db/search-index.ts).
        flushSearchIndex(sqlite);
      })();
    }

    // The index as a server that has run a while leaves it: merged (its background steps merge
    // what the app writes; db/search-index.ts mergeSearchIndex). Without this the generator's
    // segments would be merged by the server during the measured runs.
    sqlite.exec(`INSERT INTO report_search(report_search) VALUES('optimize')`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');

    const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const tables = [
      'accounts', 'reports', 'report_vehicles', 'report_goods', 'report_agencies', 'report_events', 'report_revisions', 'report_messages',
      'publications', 'published_vehicles', 'published_goods', 'published_agencies',
    ];
    const rows = Object.fromEntries(tables.map((t) => [t, count(t)]));
    const byStatus = Object.fromEntries(
      (sqlite.prepare('SELECT status, count(*) AS n FROM reports GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
    );
    const publications = (sqlite.prepare("SELECT count(*) AS n FROM publications WHERE status = 'published'").get() as { n: number }).n;
    sqlite.close();
    return {
      reports: rows.reports ?? 0,
      byStatus,
      publications,
      rows,
      fileBytes: fs.statSync(file).size,
      generateSeconds: (performance.now() - started) / 1000,
      encrypted: key !== null,
    };
  } catch (error) {
    if (sqlite.open) sqlite.close();
    throw error;
  }
}

/** Account ids and session versions the benchmark signs in as (demo partner-k17 and editor). */
export function benchAccounts(database: BenchDatabase): { partner: { id: number; sessionVersion: number }; editor: { id: number; sessionVersion: number } } {
  const sqlite = openBenchDatabase(path.join(database.dataDir, DB_FILE), database.databaseKey, { readonly: true, fileMustExist: true });
  try {
    const get = (codeName: string) => {
      const row = sqlite.prepare('SELECT id, session_version AS sessionVersion FROM accounts WHERE code_name = ?').get(codeName) as
        | { id: number; sessionVersion: number }
        | undefined;
      if (!row) throw new Error(`Account ${codeName} missing from the benchmark database`);
      return row;
    };
    return { partner: get('partner-k17'), editor: get('editor') };
  } finally {
    sqlite.close();
  }
}

/** Reports whose client id starts with `runTag` (the benchmark's own submissions). */
export function countBenchSubmissions(database: BenchDatabase, runTag: string): number {
  const sqlite = openBenchDatabase(path.join(database.dataDir, DB_FILE), database.databaseKey, { readonly: true, fileMustExist: true });
  try {
    const row = sqlite.prepare("SELECT count(*) AS n FROM reports WHERE client_id LIKE ? || '-%'").get(runTag) as { n: number };
    return row.n;
  } finally {
    sqlite.close();
  }
}

export const DATABASE_FILE = DB_FILE;
