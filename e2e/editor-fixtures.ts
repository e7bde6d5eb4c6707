/**
 * Seeding for the editor specs: reports written straight into the test server's database (as the
 * partner's submit would leave them: content, rows, a 'submit' event and a 'submission'
 * revision), and small readers for asserting what the server wrote.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { openTestDb } from './fixtures';

export type SeedReport = {
  /** Partner code name (must exist). */
  partner: string;
  title: string;
  status?: 'submitted' | 'in_review';
  /** Editor code name holding the claim (status in_review). */
  claimedBy?: string;
  /** UTC ms of submission; default now. */
  submittedAt?: number;
  placeId?: string;
};

function accountId(db: Database.Database, codeName: string): number {
  const row = db.prepare('SELECT id FROM accounts WHERE code_name = ? COLLATE NOCASE').get(codeName) as { id: number } | undefined;
  if (!row) throw new Error(`no account ${codeName}`);
  return row.id;
}

/** Report content as the partner's data layer stores it in a 'submission' revision. */
function content(title: string, placeId: string) {
  return {
    observedFrom: Date.UTC(2018, 6, 12, 10, 30),
    observedTo: Date.UTC(2018, 6, 12, 19, 30),
    timeZone: 'Asia/Pyongyang',
    timeNote: 'after sunset until dawn',
    placeId,
    placeDetail: 'upper reaches of the river',
    placePrecision: 'province',
    title,
    narrative: 'Dozens of buses and trucks came from China after sunset.',
    sourceType: 'direct_observation',
    safetyNote: 'Publish the province only.',
    vehicles: [{ vehicleType: 'truck', count: 40, isEstimate: true, direction: 'into_kp', colours: 'white, silver', cargo: 'electronics' }],
    goods: [],
    agencies: [],
  };
}

/** Insert reports; returns their ids in order. One transaction. */
export function seedReports(reports: SeedReport[]): number[] {
  const db = openTestDb();
  try {
    return db.transaction(() =>
      reports.map((r) => {
        const authorId = accountId(db, r.partner);
        const claimedBy = r.claimedBy ? accountId(db, r.claimedBy) : null;
        const status = r.status ?? 'submitted';
        const now = r.submittedAt ?? Date.now();
        const c = content(r.title, r.placeId ?? 'kp-hyesan');
        const { id } = db
          .prepare(
            `INSERT INTO reports (client_id, author_id, status, version, observed_from, observed_to, time_zone, time_note, place_id,
               place_detail, place_precision, title, narrative, source_type, safety_note, claimed_by, claimed_at, submitted_at, created_at, updated_at)
             VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          )
          .get(
            crypto.randomUUID(),
            authorId,
            status,
            c.observedFrom,
            c.observedTo,
            c.timeZone,
            c.timeNote,
            c.placeId,
            c.placeDetail,
            c.placePrecision,
            c.title,
            c.narrative,
            c.sourceType,
            c.safetyNote,
            claimedBy,
            claimedBy ? now : null,
            now,
            now,
            now,
          ) as { id: number };
        const v = c.vehicles[0]!;
        db.prepare(
          'INSERT INTO report_vehicles (report_id, position, vehicle_type, count, is_estimate, direction, colours, cargo) VALUES (?, 0, ?, ?, ?, ?, ?, ?)',
        ).run(id, v.vehicleType, v.count, v.isEstimate ? 1 : 0, v.direction, v.colours, v.cargo);
        db.prepare("INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, created_at) VALUES (?, ?, 'submit', 'draft', 'submitted', ?)").run(
          id,
          authorId,
          now,
        );
        db.prepare("INSERT INTO report_revisions (report_id, actor_id, kind, before, after, created_at) VALUES (?, ?, 'submission', NULL, ?, ?)").run(
          id,
          authorId,
          JSON.stringify(c),
          now,
        );
        return id;
      }),
    )();
  } finally {
    db.close();
  }
}

/**
 * The partner's resubmission after "request changes", as lib/reports/submit.ts writes it:
 * changes_requested → submitted, new content, version + 1, a 'submit' event and a new
 * 'submission' revision.
 */
export function resubmitReport(reportId: number, { title }: { title: string }): void {
  const db = openTestDb();
  try {
    db.transaction(() => {
      const row = db.prepare('SELECT author_id AS authorId, status, place_id AS placeId FROM reports WHERE id = ?').get(reportId) as {
        authorId: number;
        status: string;
        placeId: string;
      };
      if (row.status !== 'changes_requested') throw new Error(`report ${reportId} is ${row.status}`);
      const now = Date.now();
      db.prepare("UPDATE reports SET status = 'submitted', title = ?, version = version + 1, submitted_at = ?, updated_at = ? WHERE id = ?").run(title, now, now, reportId);
      db.prepare(
        "INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, created_at) VALUES (?, ?, 'submit', 'changes_requested', 'submitted', ?)",
      ).run(reportId, row.authorId, now);
      db.prepare("INSERT INTO report_revisions (report_id, actor_id, kind, before, after, created_at) VALUES (?, ?, 'submission', NULL, ?, ?)").run(
        reportId,
        row.authorId,
        JSON.stringify(content(title, row.placeId)),
        now,
      );
    })();
  } finally {
    db.close();
  }
}

export type ReportRow = { status: string; version: number; claimedBy: number | null; sourceReliability: string | null; informationCredibility: string | null };

/** A report's workflow columns. */
export function readReport(reportId: number): ReportRow {
  const db = openTestDb();
  try {
    return db
      .prepare(
        'SELECT status, version, claimed_by AS claimedBy, source_reliability AS sourceReliability, information_credibility AS informationCredibility FROM reports WHERE id = ?',
      )
      .get(reportId) as ReportRow;
  } finally {
    db.close();
  }
}

/** A report's event rows, oldest first. */
export function readEvents(reportId: number): { action: string; fromStatus: string | null; toStatus: string; note: string | null; actor: string }[] {
  const db = openTestDb();
  try {
    return db
      .prepare(
        `SELECT e.action, e.from_status AS fromStatus, e.to_status AS toStatus, e.note, a.code_name AS actor
           FROM report_events e JOIN accounts a ON a.id = e.actor_id WHERE e.report_id = ? ORDER BY e.id`,
      )
      .all(reportId) as { action: string; fromStatus: string | null; toStatus: string; note: string | null; actor: string }[];
  } finally {
    db.close();
  }
}

/** A report's shared-thread messages (not internal notes), oldest first. */
export function readPartnerMessages(reportId: number): string[] {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT body FROM report_messages WHERE report_id = ? AND is_internal = 0 ORDER BY id').all(reportId) as { body: string }[]).map((m) => m.body);
  } finally {
    db.close();
  }
}

/** How many messages (shared and internal) a report's thread holds. */
export function countMessages(reportId: number): number {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT count(*) AS n FROM report_messages WHERE report_id = ?').get(reportId) as { n: number }).n;
  } finally {
    db.close();
  }
}
