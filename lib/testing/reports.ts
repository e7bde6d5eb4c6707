/**
 * Reports for tests (Vitest only; never imported by the app): the demo reports as the form's
 * values and FormData, and reports seeded in any workflow state through the report data layer's
 * own parts — the form's rules (parseReportForSubmit) make the content, the writers saveDraft and
 * submitReport use (reportContentColumns, writeReportRows) store it, so a fixture is always a
 * report the app could have written, and no test restates the report tables.
 *
 * Why not file every fixture with submitReport and the editors' decisions: the review and
 * publishing tests check versions and event rows from a report that just reached the state they
 * test ("version 1 → 2", "one event row"); a seeded report is that state with no history before it.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import * as client from '@/db/client';
import { getDb, writeTransaction, type Tx } from '@/db/client';
import demoReports from '@/db/seed-data/demo-reports.json';
import type { INFORMATION_CREDIBILITIES, SOURCE_RELIABILITIES } from '@/db/enums';
import * as schema from '@/db/schema';
import { reportEvents, reportRevisions, reports, type ReportStatus, type TimeZoneName } from '@/db/schema';
import { reportContentColumns, writeReportRows, type StoredReportContent } from '@/lib/reports/content';
import { fixtureReportToFormValues } from '@/lib/reports/fixture-values';
import { AGENCY_OTHER, type ReportFormValues } from '@/lib/reports/form-values';
import { instantToLocalDateTime } from '@/lib/reports/time';
import { parseReportForSubmit } from '@/lib/reports/validate';
import { parsePublicFilters, type PublicFilters } from '@/lib/publishing/filters';
import { publishReportWithDefaults } from '@/lib/publishing/publish';
import { decideReport } from '@/lib/review/decisions';
import { editReport, getEditForm } from '@/lib/review/edits';
import { createTestAccount } from './accounts';

// ---------------------------------------------------------------------------------------------
// The demo reports as the form's values
// ---------------------------------------------------------------------------------------------

/** Demo report `index` (0 = the first) of db/seed-data/demo-reports.json as the form's values. */
export function demoReportValues(index: number): ReportFormValues {
  const report = demoReports.reports[index];
  if (!report) throw new RangeError(`No demo report ${index}`);
  return fixtureReportToFormValues(report);
}

/** Demo report `index` as the form's values with a client id of its own (a new report each call). */
export function freshDemoReportValues(index = 0): ReportFormValues {
  return { ...demoReportValues(index), clientId: crypto.randomUUID() };
}

/**
 * The FormData a browser would post for these values through the HTML report form: one entry per
 * field, rows as `section.index.field`, an unchecked checkbox left out, plus the pressed button.
 */
export function toReportFormData(values: ReportFormValues, intent = 'submit'): FormData {
  const formData = new FormData();
  const { vehicles, goods, agencies, ...scalars } = values;
  for (const [key, value] of Object.entries(scalars)) formData.append(key, value);
  vehicles.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) {
      if (field === 'isEstimate') {
        if (value === true) formData.append(`vehicles.${i}.isEstimate`, 'on');
      } else {
        formData.append(`vehicles.${i}.${field}`, String(value));
      }
    }
  });
  goods.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) formData.append(`goods.${i}.${field}`, value);
  });
  agencies.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) formData.append(`agencies.${i}.${field}`, value);
  });
  formData.append('intent', intent);
  return formData;
}

type SourceReliability = (typeof SOURCE_RELIABILITIES)[number];
type InformationCredibility = (typeof INFORMATION_CREDIBILITIES)[number];

// ---------------------------------------------------------------------------------------------
// Seeding a report in any state
// ---------------------------------------------------------------------------------------------

/**
 * The content a partner's submission of `values` stores (what submitReport writes into the report
 * and its 'submission' revision). Throws when the form's rules refuse the values: a fixture the
 * app would not take is a broken fixture.
 * @param now UTC ms for "not in the future"
 */
export function submittedContent(values: ReportFormValues, now = Date.now()): StoredReportContent {
  const parsed = parseReportForSubmit(values, now);
  if (!parsed.ok) throw new Error(`Test report refused by the form's rules: ${JSON.stringify(parsed.fieldErrors)} ${parsed.formErrors.join(', ')}`);
  const { clientId: _clientId, vehicles, goods, agencies, ...scalars } = parsed.data;
  return { ...scalars, vehicles: [...vehicles], goods: [...goods], agencies: [...agencies] };
}

export type SeedReport = {
  authorId: number;
  /** The form's values the partner filed (their clientId is the report's). */
  values: ReportFormValues;
  /** Default 'submitted'. */
  status?: ReportStatus;
  /**
   * Content the form could not have filed but a report may hold later (a place an editor cleared),
   * laid over what `values` give.
   */
  content?: Partial<StoredReportContent>;
  /** UTC ms; default now (none for a draft). */
  submittedAt?: number;
  /** The editor holding the claim (claimed now). */
  claimedBy?: number | null;
  grade?: { sourceReliability: SourceReliability | null; informationCredibility: InformationCredibility | null; gradeNote: string };
  /** Also keep the 'submission' revision submitReport writes (the content as filed). */
  withSubmission?: boolean;
};

/**
 * Write a report in `status` at version 1 with no events, in one transaction: its content and rows
 * by the data layer's writers, the claim and grade columns, and, when asked, its submission
 * revision. Returns the report id.
 */
export function seedReport(input: SeedReport): number {
  return writeTransaction((tx) => seedReportIn(tx, input));
}

/** {@link seedReport} in the caller's transaction (also of a database other than the process's). */
export function seedReportIn(tx: Tx, { authorId, values, status = 'submitted', content: laid = {}, submittedAt, claimedBy = null, grade, withSubmission = false }: SeedReport): number {
  const content = { ...submittedContent(values), ...laid };
  const [row] = tx
    .insert(reports)
    .values({
      ...reportContentColumns(content),
      ...grade,
      clientId: values.clientId,
      authorId,
      status,
      claimedBy,
      claimedAt: claimedBy ? new Date() : null,
      submittedAt: status === 'draft' ? null : new Date(submittedAt ?? Date.now()),
    })
    .returning({ id: reports.id })
    .all();
  if (!row) throw new Error('report insert returned no row');
  writeReportRows(tx, row.id, content, { replace: false });
  if (withSubmission) tx.insert(reportRevisions).values({ reportId: row.id, actorId: authorId, kind: 'submission', before: null, after: content }).run();
  return row.id;
}

// ---------------------------------------------------------------------------------------------
// Two kinds of test report
// ---------------------------------------------------------------------------------------------

/** The review tests' report: a night of trucks at Hyesan, 2018-07-12 19:30–04:30 in Pyongyang. */
const NIGHT_OF_TRUCKS: Omit<ReportFormValues, 'clientId'> = {
  observedFrom: '2018-07-12T19:30',
  observedFromChoice: '',
  observedTo: '2018-07-13T04:30',
  observedToChoice: '',
  timeZone: 'Asia/Pyongyang',
  timeNote: 'after sunset until dawn',
  placeId: 'kp-hyesan',
  placeDetail: 'near the river',
  placePrecision: 'few_km',
  title: 'Trucks cross at night',
  narrative: 'Dozens of trucks crossed after sunset.',
  sourceType: 'direct_observation',
  safetyNote: 'Do not publish the place detail.',
  vehicles: [],
  goods: [],
  agencies: [],
};

export type ReviewTestReport = {
  authorId: number;
  status?: ReportStatus;
  title?: string;
  /** UTC ms; default 2018-07-12 10:30 UTC. */
  observedFrom?: number;
  /** UTC ms; default nine hours after observedFrom. */
  observedTo?: number;
  timeZone?: TimeZoneName;
  /** Null: no place (a draft not placed yet). */
  placeId?: string | null;
  /** UTC ms; default now. */
  submittedAt?: number;
  claimedBy?: number | null;
  /** How many vehicle rows (trucks, 10, 11, … of them) and goods rows (televisions). */
  vehicles?: number;
  goods?: number;
  /** One 'operator' row per agency id of the managed list… */
  agencyIds?: string[];
  /** …then one 'protection' row per agency the partner named outside it. */
  otherAgencies?: string[];
  withSubmission?: boolean;
};

/** Seed the review tests' report (NIGHT_OF_TRUCKS with these changes); returns its id. */
export function insertReviewReport(input: ReviewTestReport): number {
  const timeZone = input.timeZone ?? NIGHT_OF_TRUCKS.timeZone;
  const observedFrom = input.observedFrom ?? Date.UTC(2018, 6, 12, 10, 30);
  const local = (instantMs: number) => instantToLocalDateTime({ instantMs, timeZone: timeZone as TimeZoneName });
  const values: ReportFormValues = {
    ...NIGHT_OF_TRUCKS,
    clientId: crypto.randomUUID(),
    title: input.title ?? NIGHT_OF_TRUCKS.title,
    timeZone,
    observedFrom: local(observedFrom),
    observedTo: local(input.observedTo ?? observedFrom + 9 * 3600_000),
    placeId: input.placeId || NIGHT_OF_TRUCKS.placeId,
    vehicles: Array.from({ length: input.vehicles ?? 0 }, (_, i) => ({ vehicleType: 'truck', count: String(10 + i), isEstimate: false, direction: 'into_kp', colours: 'white', cargo: '' })),
    goods: Array.from({ length: input.goods ?? 0 }, () => ({ categoryId: 'electronics', description: 'televisions', direction: 'into_kp', quantity: '', unit: '', value: '', currency: '' })),
    agencies: [
      ...(input.agencyIds ?? []).map((agencyId) => ({ agencyId, otherName: '', role: 'operator', note: '' })),
      ...(input.otherAgencies ?? []).map((otherName) => ({ agencyId: AGENCY_OTHER, otherName, role: 'protection', note: '' })),
    ],
  };
  return seedReport({
    authorId: input.authorId,
    values,
    content: input.placeId === null ? { placeId: null } : {},
    status: input.status,
    submittedAt: input.submittedAt,
    claimedBy: input.claimedBy,
    withSubmission: input.withSubmission,
  });
}

/** The secrets the publishing tests look for in every public output. */
export const SECRETS = {
  codeName: 'partner-secret-k17',
  safetyNote: 'Publish the province only, never the stretch of river.',
  placeDetail: 'upper reaches, northern Yanggang Province',
  timeNote: 'Vehicles wait near the river in daytime and cross after sunset until dawn',
  agencyNote: 'met behind the customs shed',
  gradeNote: 'grader-secret-note',
} as const;

export type DemoReportOverrides = {
  status?: ReportStatus;
  title?: string;
  /** Null: a report whose place was cleared (the form never files one). */
  placeId?: string | null;
  /** Local 'YYYY-MM-DDTHH:mm' in the report's zone. */
  observedFrom?: string;
  observedTo?: string;
  timeZone?: TimeZoneName;
  sourceReliability?: SourceReliability | null;
  informationCredibility?: InformationCredibility | null;
  agencies?: { agencyId: string | null; otherName?: string | null; role: 'operator' | 'protection' | 'buyer' | 'seller' | 'enforcement' | 'other' }[];
};

/**
 * Seed demo report 1 as the publishing tests use it (default: verified, graded B2, placed in
 * Hyesan to the province, submitted 2018-07-14 08:00 local, its four vehicle and four goods rows,
 * one agency row, and every secret of SECRETS in the fields that must never be public).
 * Returns the report id.
 */
export function insertDemoReport(authorId: number, overrides: DemoReportOverrides = {}): number {
  const demo = freshDemoReportValues(0);
  const timeZone = overrides.timeZone ?? (demo.timeZone as TimeZoneName);
  const agencies = overrides.agencies ?? [{ agencyId: 'border-guards', role: 'protection' as const }];
  const values: ReportFormValues = {
    ...demo,
    timeZone,
    observedFrom: overrides.observedFrom ?? demo.observedFrom,
    observedTo: overrides.observedTo ?? demo.observedTo,
    timeNote: SECRETS.timeNote,
    placeId: overrides.placeId ?? 'kp-hyesan',
    placeDetail: SECRETS.placeDetail,
    placePrecision: 'province',
    title: overrides.title ?? demo.title,
    safetyNote: SECRETS.safetyNote,
    agencies: agencies.map((a) => ({ agencyId: a.agencyId ?? AGENCY_OTHER, otherName: a.otherName ?? '', role: a.role, note: SECRETS.agencyNote })),
  };
  const submittedAt = Temporal.PlainDateTime.from('2018-07-14T08:00').toZonedDateTime(timeZone).epochMilliseconds;
  return seedReport({
    authorId,
    values,
    status: overrides.status ?? 'verified',
    content: overrides.placeId === null ? { placeId: null } : {},
    submittedAt,
    grade: {
      sourceReliability: overrides.sourceReliability === undefined ? 'B' : overrides.sourceReliability,
      informationCredibility: overrides.informationCredibility === undefined ? '2' : overrides.informationCredibility,
      gradeNote: SECRETS.gradeNote,
    },
  });
}

/**
 * The publishing and photo tests' cast in this test file's database: two partners (the first with
 * code name SECRETS.codeName), an editor and an admin, with the db modules the tests read through.
 */
export function publishingFixture() {
  const actor = <R extends 'partner' | 'editor' | 'admin'>(role: R, codeName: string) => ({ id: createTestAccount(role, codeName).id, role });
  return {
    dir: client.getDataDir(),
    client,
    schema,
    partner: actor('partner', SECRETS.codeName),
    otherPartner: actor('partner', 'partner-other'),
    editor: actor('editor', 'editor-one'),
    admin: actor('admin', 'admin-one'),
  };
}

// ---------------------------------------------------------------------------------------------
// An editor's steps, through the review data layer
// ---------------------------------------------------------------------------------------------

type Editor = { id: number; role: 'editor' | 'admin' };

/** The editor claims the submitted report (lib/review/decisions.ts). Throws if refused. */
export function claimAsEditor(editor: Editor, reportId: number): void {
  const done = decideReport({ actor: editor, reportId, version: readReport(reportId).version, input: { action: 'claim' } });
  if (!done.ok) throw new Error(`claim refused: ${done.messageKey}`);
}

/** The editor claims the submitted report and sends it back for changes with `message`. Throws if refused. */
export function sendBackForChanges(editor: Editor, reportId: number, message = 'Which night?'): void {
  claimAsEditor(editor, reportId);
  const done = decideReport({ actor: editor, reportId, version: readReport(reportId).version, input: { action: 'request_changes', message } });
  if (!done.ok) throw new Error(`request_changes refused: ${done.messageKey}`);
}

/**
 * The editor claims the submitted report and corrects it (lib/review/edits.ts: new content and an
 * 'editor_edit' revision): `change` gets the edit form's values and returns the corrected ones.
 */
export function correctAsEditor(editor: Editor, reportId: number, change: (values: ReportFormValues) => ReportFormValues): void {
  claimAsEditor(editor, reportId);
  const form = getEditForm({ actor: editor, reportId });
  if (!form.ok) throw new Error(`edit form refused: ${form.messageKey}`);
  const done = editReport({ actor: editor, reportId, version: form.version, values: change(form.values) });
  if (!done.ok) throw new Error(`edit refused: ${done.messageKey}`);
}

// ---------------------------------------------------------------------------------------------
// Reading a report back
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Public side
// ---------------------------------------------------------------------------------------------

/** The /reports filters of a query string ('place=kp-yanggang&from=…'). Throws if they are refused. */
export function filtersOf(query: string): PublicFilters {
  const parsed = parsePublicFilters(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filters;
}

/**
 * Seed demo report 1 (`insertDemoReport` with `overrides`) and publish it with the default choices
 * as `editor` at `now` (UTC ms). Returns its report id, public id and version. Throws if refused.
 */
export function publishDemoReport(
  fixture: { partner: { id: number }; editor: Editor },
  { overrides = {}, now }: { overrides?: DemoReportOverrides; now: number },
): { reportId: number; publicId: string; version: number } {
  const reportId = insertDemoReport(fixture.partner.id, overrides);
  const result = publishReportWithDefaults({ actor: fixture.editor, reportId, now });
  if (!result.ok) throw new Error(result.messageKey);
  return { reportId, publicId: result.publicId, version: result.version };
}

/** The feed's labels as the English route gives them, with a retraction notice that shows its date and reason. */
export const TEST_FEED_LABELS = {
  title: 'Field Reports',
  description: 'Published reports',
  author: 'Field Reports editors',
  language: { en: '(in English)', ko: '(in Korean)' },
  retractedTitle: 'Retracted report',
  retractionNotice: ({ retractedAt, reason }: { retractedAt: number; reason: string }) =>
    `Retracted on ${new Date(retractedAt).toISOString().slice(0, 10)}. Reason: ${reason}`,
};
