/**
 * Test helpers for the review data layer (Vitest only; never imported by the app): reports
 * written directly with drizzle in any state — the partner form's data layer is not needed.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import {
  reportAgencies,
  reportEvents,
  reportGoods,
  reportRevisions,
  reports,
  reportVehicles,
  type ReportStatus,
  type TimeZoneName,
} from '@/db/schema';

export type TestReport = {
  authorId: number;
  status?: ReportStatus;
  title?: string;
  /** UTC ms; default 2018-07-12 10:30 UTC. */
  observedFrom?: number;
  observedTo?: number;
  timeZone?: TimeZoneName;
  placeId?: string;
  /** UTC ms; default now. */
  submittedAt?: number;
  claimedBy?: number | null;
  vehicles?: number;
  goods?: number;
  agencyIds?: string[];
  /** Also write a 'submission' revision as the partner's data layer does. */
  withSubmission?: boolean;
};

/** Insert a complete report in any state (with `vehicles` / `goods` rows and agency rows). */
export function insertReport(input: TestReport): number {
  const db = getDb();
  const observedFrom = input.observedFrom ?? Date.UTC(2018, 6, 12, 10, 30);
  const status = input.status ?? 'submitted';
  const [row] = db
    .insert(reports)
    .values({
      clientId: crypto.randomUUID(),
      authorId: input.authorId,
      status,
      observedFrom: new Date(observedFrom),
      observedTo: new Date(input.observedTo ?? observedFrom + 9 * 3600_000),
      timeZone: input.timeZone ?? 'Asia/Pyongyang',
      timeNote: 'after sunset until dawn',
      placeId: input.placeId ?? 'kp-hyesan',
      placeDetail: 'near the river',
      placePrecision: 'few_km',
      title: input.title ?? 'Trucks cross at night',
      narrative: 'Dozens of trucks crossed after sunset.',
      sourceType: 'direct_observation',
      safetyNote: 'Do not publish the place detail.',
      claimedBy: input.claimedBy ?? null,
      claimedAt: input.claimedBy ? new Date() : null,
      submittedAt: status === 'draft' ? null : new Date(input.submittedAt ?? Date.now()),
    })
    .returning({ id: reports.id })
    .all();
  if (!row) throw new Error('report insert returned no row');
  for (let i = 0; i < (input.vehicles ?? 0); i += 1) {
    db.insert(reportVehicles).values({ reportId: row.id, position: i, vehicleType: 'truck', count: 10 + i, direction: 'into_kp', colours: 'white' }).run();
  }
  for (let i = 0; i < (input.goods ?? 0); i += 1) {
    db.insert(reportGoods).values({ reportId: row.id, position: i, categoryId: 'electronics', description: 'televisions', direction: 'into_kp' }).run();
  }
  (input.agencyIds ?? []).forEach((agencyId, position) => {
    db.insert(reportAgencies).values({ reportId: row.id, position, agencyId, role: 'operator' }).run();
  });
  if (input.withSubmission) {
    db.insert(reportRevisions).values({ reportId: row.id, actorId: input.authorId, kind: 'submission', before: null, after: { title: input.title ?? 'Trucks cross at night' } }).run();
  }
  return row.id;
}

/** The report row as stored (status, version, claim and grade columns). */
export function readReport(id: number) {
  const row = getDb().select().from(reports).where(eq(reports.id, id)).get();
  if (!row) throw new Error(`no report ${id}`);
  return row;
}

/** Event rows of a report, oldest first. */
export function readEvents(id: number) {
  return getDb().select().from(reportEvents).where(eq(reportEvents.reportId, id)).orderBy(reportEvents.id).all();
}
