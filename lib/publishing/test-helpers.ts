/**
 * Test helpers for the publishing data layer (Vitest only): four accounts, and `insertReport`, which writes a report
 * with its rows straight into the tables (as the partner form and the review would have left it).
 * The default report is a copy of demo report 1 (db/seed-data/demo-reports.json).
 */
import { Temporal } from 'temporal-polyfill';
import demoReports from '@/db/seed-data/demo-reports.json';
import type { ReportStatus, TimeZoneName } from '@/db/enums';
import { createTestAccount } from '@/lib/testing/accounts';
import { testDataDir } from '@/lib/testing/database';

/** The secrets the tests look for in every public output. */
export const SECRETS = {
  codeName: 'partner-secret-k17',
  safetyNote: 'Publish the province only, never the stretch of river.',
  placeDetail: 'upper reaches, northern Yanggang Province',
  timeNote: 'Vehicles wait near the river in daytime and cross after sunset until dawn',
  agencyNote: 'met behind the customs shed',
  gradeNote: 'grader-secret-note',
} as const;

type Db = Awaited<ReturnType<typeof setUpTestDatabase>>;

/**
 * The publishing tests' accounts in this test file's database (lib/testing/setup.ts made it): an
 * editor, an admin and two partners (the first with code name SECRETS.codeName), with the db
 * modules the tests read through.
 */
export async function setUpTestDatabase() {
  const client = await import('@/db/client');
  const schema = await import('@/db/schema');
  const actor = <R extends 'partner' | 'editor' | 'admin'>(role: R, codeName: string) => ({ id: createTestAccount(role, codeName).id, role });
  return {
    dir: testDataDir(),
    client,
    schema,
    partner: actor('partner', SECRETS.codeName),
    otherPartner: actor('partner', 'partner-other'),
    editor: actor('editor', 'editor-one'),
    admin: actor('admin', 'admin-one'),
  };
}

/** Local wall-clock 'YYYY-MM-DDTHH:mm' in `timeZone` → UTC ms. */
export function localToUtc(local: string, timeZone: string): number {
  return Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).epochMilliseconds;
}

const demo = demoReports.reports[0]!;

export type ReportOverrides = {
  status?: ReportStatus;
  title?: string;
  placeId?: string | null;
  observedFrom?: string;
  observedTo?: string;
  timeZone?: TimeZoneName;
  sourceReliability?: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | null;
  informationCredibility?: '1' | '2' | '3' | '4' | '5' | '6' | null;
  agencies?: { agencyId: string | null; otherName?: string | null; role: 'operator' | 'protection' | 'buyer' | 'seller' | 'enforcement' | 'other' }[];
};

/**
 * Insert a report (default: a verified copy of demo report 1 placed in Hyesan, with its four
 * vehicle and four goods rows, one agency row and every secret of SECRETS in the fields that must
 * never be public). Returns the report id.
 */
export function insertReport(db: Db, overrides: ReportOverrides = {}): number {
  const { client, schema } = db;
  const timeZone = overrides.timeZone ?? (demo.time_zone as TimeZoneName);
  return client.writeTransaction((tx) => {
    const [report] = tx
      .insert(schema.reports)
      .values({
        clientId: crypto.randomUUID(),
        authorId: db.partner.id,
        status: overrides.status ?? 'verified',
        observedFrom: new Date(localToUtc(overrides.observedFrom ?? demo.observed_from, timeZone)),
        observedTo: new Date(localToUtc(overrides.observedTo ?? demo.observed_to, timeZone)),
        timeZone,
        timeNote: SECRETS.timeNote,
        placeId: overrides.placeId === undefined ? 'kp-hyesan' : overrides.placeId,
        placeDetail: SECRETS.placeDetail,
        placePrecision: 'province',
        title: overrides.title ?? demo.title,
        narrative: demo.narrative,
        sourceType: 'direct_observation',
        safetyNote: SECRETS.safetyNote,
        sourceReliability: overrides.sourceReliability === undefined ? 'B' : overrides.sourceReliability,
        informationCredibility: overrides.informationCredibility === undefined ? '2' : overrides.informationCredibility,
        gradeNote: SECRETS.gradeNote,
        submittedAt: new Date(localToUtc('2018-07-14T08:00', timeZone)),
      })
      .returning({ id: schema.reports.id })
      .all();
    const reportId = report!.id;
    demo.vehicles.forEach((v, position) =>
      tx
        .insert(schema.reportVehicles)
        .values({
          reportId,
          position,
          vehicleType: v.type as 'bus',
          count: v.count,
          isEstimate: v.estimate,
          direction: v.direction as 'into_kp',
          colours: v.colours,
          cargo: v.cargo,
        })
        .run(),
    );
    demo.goods.forEach((g, position) =>
      tx
        .insert(schema.reportGoods)
        .values({ reportId, position, categoryId: g.category, description: g.description, direction: g.direction as 'into_kp' })
        .run(),
    );
    const agencyRows = overrides.agencies ?? [{ agencyId: 'border-guards', role: 'protection' as const }];
    agencyRows.forEach((a, position) =>
      tx
        .insert(schema.reportAgencies)
        .values({ reportId, position, agencyId: a.agencyId, otherName: a.otherName ?? null, role: a.role, note: SECRETS.agencyNote })
        .run(),
    );
    return reportId;
  });
}
