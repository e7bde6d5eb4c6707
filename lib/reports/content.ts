import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import { getDb, preparedQueries, type Queryable, type Tx } from '@/db/client';
import {
  reportAgencies,
  reportGoods,
  reports,
  reportVehicles,
  type AgencyRole,
  type Currency,
  type Direction,
  type PlacePrecision,
  type ReportStatus,
  type SourceType,
  type TimeZoneName,
  type VehicleType,
} from '@/db/schema';
import { findUnusableReferences } from '@/lib/places/gazetteer';
import { reportMessage } from './messages';
import { AGENCY_OTHER, addReportError, type ReportErrors, type ReportFormValues } from './form-values';
import { instantToLocalDateTime, localDateTimeToInstant } from './time';

/**
 * A report's parts as the database stores them (reports columns plus its ordered rows), shared by
 * drafts, submissions, editors' edits and every page that shows a report; `readReport` is the one
 * reader of them. Instants are UTC milliseconds; `timeZone`
 * is the IANA zone they were entered in.
 */

export type StoredVehicleRow = {
  vehicleType: VehicleType;
  count: number;
  isEstimate: boolean;
  direction: Direction;
  colours: string;
  cargo: string;
};

export type StoredGoodsRow = {
  categoryId: string;
  description: string;
  direction: Direction;
  quantity: number | null;
  unit: string | null;
  value: number | null;
  currency: Currency | null;
};

export type StoredAgencyRow = {
  /** Null when the partner named an agency outside the managed list (then `otherName`). */
  agencyId: string | null;
  otherName: string | null;
  role: AgencyRole;
  note: string;
};

export type StoredReportContent = {
  /** UTC ms; null in a draft without a time. */
  observedFrom: number | null;
  observedTo: number | null;
  timeZone: TimeZoneName;
  timeNote: string;
  placeId: string | null;
  placeDetail: string;
  placePrecision: PlacePrecision | null;
  title: string;
  narrative: string;
  sourceType: SourceType | null;
  safetyNote: string;
  vehicles: StoredVehicleRow[];
  goods: StoredGoodsRow[];
  agencies: StoredAgencyRow[];
};

type Db = ReturnType<typeof getDb> | Tx;

/**
 * The report columns that hold `content` (not status, version or timestamps — the caller sets
 * those), as drizzle insert/update values: for one INSERT of a new report or one UPDATE.
 */
export function reportContentColumns(content: StoredReportContent) {
  return {
    observedFrom: content.observedFrom === null ? null : new Date(content.observedFrom),
    observedTo: content.observedTo === null ? null : new Date(content.observedTo),
    timeZone: content.timeZone,
    timeNote: content.timeNote,
    placeId: content.placeId,
    placeDetail: content.placeDetail,
    placePrecision: content.placePrecision,
    title: content.title,
    narrative: content.narrative,
    sourceType: content.sourceType,
    safetyNote: content.safetyNote,
  } satisfies Partial<typeof reports.$inferInsert>;
}

/**
 * Writes a report's rows (vehicles, goods, agencies) in the caller's transaction, in order
 * (`position` = index), one prepared INSERT per row. With `replace`, the report's existing rows
 * are deleted first; a report created in this transaction has none, so it skips the DELETEs.
 */
export function writeReportRows(tx: Tx, reportId: number, content: StoredReportContent, { replace }: { replace: boolean }): void {
  if (replace) {
    tx.delete(reportVehicles).where(eq(reportVehicles.reportId, reportId)).run();
    tx.delete(reportGoods).where(eq(reportGoods.reportId, reportId)).run();
    tx.delete(reportAgencies).where(eq(reportAgencies.reportId, reportId)).run();
  }
  // One prepared insert per row, on `tx`'s connection, inside its transaction.
  const insert = rowInserts(tx);
  content.vehicles.forEach((row, position) =>
    insert.vehicle.run({ reportId, position, vehicleType: row.vehicleType, count: row.count, isEstimate: row.isEstimate ?? false, direction: row.direction, colours: row.colours ?? '', cargo: row.cargo ?? '' }),
  );
  content.goods.forEach((row, position) =>
    insert.goods.run({
      reportId,
      position,
      categoryId: row.categoryId,
      description: row.description ?? '',
      direction: row.direction,
      quantity: row.quantity ?? null,
      unit: row.unit ?? null,
      value: row.value ?? null,
      currency: row.currency ?? null,
    }),
  );
  content.agencies.forEach((row, position) =>
    insert.agency.run({ reportId, position, agencyId: row.agencyId ?? null, otherName: row.otherName ?? null, role: row.role, note: row.note ?? '' }),
  );
}

/**
 * A report's row inserts as drizzle prepared queries (issue 20, budget 1a): drizzle builds a
 * query's SQL text from its parts on every call, and building the multi-row inserts of 4 vehicle and
 * 4 goods rows (76 parameters) was the largest single part of that work in a submission's CPU
 * profile. Prepared with placeholders, the SQL is built once; each row's values still pass through
 * the columns' own mapping (a boolean becomes 0 or 1). A placeholder has no column default, so
 * writeReportRows gives the defaults ('' and false) itself.
 */
function prepareRowInserts(db: Queryable) {
  const p = (name: string) => sql.placeholder(name);
  return {
    vehicle: db
      .insert(reportVehicles)
      .values({ reportId: p('reportId'), position: p('position'), vehicleType: p('vehicleType'), count: p('count'), isEstimate: p('isEstimate'), direction: p('direction'), colours: p('colours'), cargo: p('cargo') })
      .prepare(),
    goods: db
      .insert(reportGoods)
      .values({
        reportId: p('reportId'),
        position: p('position'),
        categoryId: p('categoryId'),
        description: p('description'),
        direction: p('direction'),
        quantity: p('quantity'),
        unit: p('unit'),
        value: p('value'),
        currency: p('currency'),
      })
      .prepare(),
    agency: db
      .insert(reportAgencies)
      .values({ reportId: p('reportId'), position: p('position'), agencyId: p('agencyId'), otherName: p('otherName'), role: p('role'), note: p('note') })
      .prepare(),
  };
}

/** The row inserts of {@link writeReportRows}, prepared once per connection. */
const rowInserts = preparedQueries(prepareRowInserts);

/** Where a stored row is: its own id and its `position` (0-based order within its report). */
export type StoredRowKey = { id: number; position: number };

/**
 * A report as the database holds it, read by {@link readReport}: the columns every page and write
 * needs besides the content, the content itself (exactly as revisions store it, so two reads of an
 * unchanged report give equal JSON), and beside each content row its id and position
 * (`rowKeys.goods[i]` is where `content.goods[i]` is stored). Instants are UTC ms.
 */
export type StoredReport = {
  id: number;
  clientId: string;
  authorId: number;
  status: ReportStatus;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** UTC ms of the (latest) submission; null for a draft never submitted. */
  submittedAt: number | null;
  /** The form's values as last typed (reports.draft_values JSON, not validated here), or null. */
  draftValues: unknown;
  claimedBy: number | null;
  /** UTC ms since when the report is unread for its assigned editor, or null (lib/lifecycle/signals.ts). */
  assigneeUnreadAt: number | null;
  sourceReliability: (typeof reports.$inferSelect)['sourceReliability'];
  informationCredibility: (typeof reports.$inferSelect)['informationCredibility'];
  gradeNote: string | null;
  content: StoredReportContent;
  rowKeys: { vehicles: StoredRowKey[]; goods: StoredRowKey[]; agencies: StoredRowKey[] };
};

/** `rows` without their keys, and the keys alone (same order). */
function splitKeys<Row extends StoredRowKey>(rows: Row[]): { rows: Omit<Row, 'id' | 'position'>[]; keys: StoredRowKey[] } {
  return {
    rows: rows.map(({ id: _id, position: _position, ...row }) => row),
    keys: rows.map(({ id, position }) => ({ id, position })),
  };
}

/**
 * The one reader of a report's stored rows (issue 17: the review page, the publishing view, the
 * partner's pages and editors' edits all read a report through it): the report's columns and its
 * vehicle, goods and agency rows in `position` order, in `db` (pass the transaction inside a
 * write). No access check: callers check the actor first (lib/lifecycle/access.ts).
 * @returns the report, or null if there is no such report
 */
export function readReport(db: Db, reportId: number): StoredReport | null {
  const report = db
    .select({
      id: reports.id,
      clientId: reports.clientId,
      authorId: reports.authorId,
      status: reports.status,
      version: reports.version,
      createdAt: reports.createdAt,
      updatedAt: reports.updatedAt,
      submittedAt: reports.submittedAt,
      draftValues: reports.draftValues,
      claimedBy: reports.claimedBy,
      assigneeUnreadAt: reports.assigneeUnreadAt,
      sourceReliability: reports.sourceReliability,
      informationCredibility: reports.informationCredibility,
      gradeNote: reports.gradeNote,
      // The content, in StoredReportContent's key order.
      observedFrom: reports.observedFrom,
      observedTo: reports.observedTo,
      timeZone: reports.timeZone,
      timeNote: reports.timeNote,
      placeId: reports.placeId,
      placeDetail: reports.placeDetail,
      placePrecision: reports.placePrecision,
      title: reports.title,
      narrative: reports.narrative,
      sourceType: reports.sourceType,
      safetyNote: reports.safetyNote,
    })
    .from(reports)
    .where(eq(reports.id, reportId))
    .get();
  if (!report) return null;
  const vehicles = splitKeys(
    db
      .select({
        id: reportVehicles.id,
        position: reportVehicles.position,
        vehicleType: reportVehicles.vehicleType,
        count: reportVehicles.count,
        isEstimate: reportVehicles.isEstimate,
        direction: reportVehicles.direction,
        colours: reportVehicles.colours,
        cargo: reportVehicles.cargo,
      })
      .from(reportVehicles)
      .where(eq(reportVehicles.reportId, reportId))
      .orderBy(asc(reportVehicles.position), asc(reportVehicles.id))
      .all(),
  );
  const goods = splitKeys(
    db
      .select({
        id: reportGoods.id,
        position: reportGoods.position,
        categoryId: reportGoods.categoryId,
        description: reportGoods.description,
        direction: reportGoods.direction,
        quantity: reportGoods.quantity,
        unit: reportGoods.unit,
        value: reportGoods.value,
        currency: reportGoods.currency,
      })
      .from(reportGoods)
      .where(eq(reportGoods.reportId, reportId))
      .orderBy(asc(reportGoods.position), asc(reportGoods.id))
      .all(),
  );
  const agencyRows = splitKeys(
    db
      .select({
        id: reportAgencies.id,
        position: reportAgencies.position,
        agencyId: reportAgencies.agencyId,
        otherName: reportAgencies.otherName,
        role: reportAgencies.role,
        note: reportAgencies.note,
      })
      .from(reportAgencies)
      .where(eq(reportAgencies.reportId, reportId))
      .orderBy(asc(reportAgencies.position), asc(reportAgencies.id))
      .all(),
  );
  const instant = (value: Date | null) => (value ? value.getTime() : null);
  return {
    id: report.id,
    clientId: report.clientId,
    authorId: report.authorId,
    status: report.status,
    version: report.version,
    createdAt: report.createdAt.getTime(),
    updatedAt: report.updatedAt.getTime(),
    submittedAt: instant(report.submittedAt),
    draftValues: report.draftValues,
    claimedBy: report.claimedBy,
    assigneeUnreadAt: instant(report.assigneeUnreadAt),
    sourceReliability: report.sourceReliability,
    informationCredibility: report.informationCredibility,
    gradeNote: report.gradeNote,
    content: {
      observedFrom: instant(report.observedFrom),
      observedTo: instant(report.observedTo),
      timeZone: report.timeZone,
      timeNote: report.timeNote,
      placeId: report.placeId,
      placeDetail: report.placeDetail,
      placePrecision: report.placePrecision,
      title: report.title,
      narrative: report.narrative,
      sourceType: report.sourceType,
      safetyNote: report.safetyNote,
      vehicles: vehicles.rows,
      goods: goods.rows,
      agencies: agencyRows.rows,
    },
    rowKeys: { vehicles: vehicles.keys, goods: goods.keys, agencies: agencyRows.keys },
  };
}

/** A stored number as the form's text ('' for null); plain decimal notation for the form's inputs. */
function numberText(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/\.?0+$/, '');
}

/**
 * The form's value for a stored instant: the local wall clock in the report's zone, and, when that
 * local time happened twice, which of the two the instant is ('earlier' | 'later'), so the
 * partner's earlier answer is shown again.
 */
function localTimeFields(instantMs: number | null, timeZone: TimeZoneName): { local: string; choice: string } {
  if (instantMs === null) return { local: '', choice: '' };
  const local = instantToLocalDateTime({ instantMs, timeZone });
  const converted = localDateTimeToInstant({ localDateTime: local, timeZone });
  if (!converted.ok && converted.reason === 'overlap') {
    return { local, choice: converted.options.earlier.instantMs === instantMs ? 'earlier' : 'later' };
  }
  return { local, choice: '' };
}

/**
 * Stored content → the form's values (the inverse of what saving a draft stores), for editing a
 * draft or a report sent back for changes, and for an editor's correction (lib/review/edits.ts):
 * the one converter. Times are shown in the zone they were entered in.
 */
export function contentToFormValues(content: StoredReportContent, clientId: string): ReportFormValues {
  const from = localTimeFields(content.observedFrom, content.timeZone);
  const to = localTimeFields(content.observedTo, content.timeZone);
  return {
    clientId,
    observedFrom: from.local,
    observedFromChoice: from.choice,
    observedTo: to.local,
    observedToChoice: to.choice,
    timeZone: content.timeZone,
    timeNote: content.timeNote,
    placeId: content.placeId ?? '',
    placeDetail: content.placeDetail,
    placePrecision: content.placePrecision ?? '',
    title: content.title,
    narrative: content.narrative,
    sourceType: content.sourceType ?? '',
    safetyNote: content.safetyNote,
    vehicles: content.vehicles.map((row) => ({
      vehicleType: row.vehicleType,
      count: String(row.count),
      isEstimate: row.isEstimate,
      direction: row.direction,
      colours: row.colours,
      cargo: row.cargo,
    })),
    goods: content.goods.map((row) => ({
      categoryId: row.categoryId,
      description: row.description,
      direction: row.direction,
      quantity: numberText(row.quantity),
      unit: row.unit ?? '',
      value: numberText(row.value),
      currency: row.currency ?? '',
    })),
    agencies: content.agencies.map((row) => ({
      agencyId: row.agencyId ?? (row.otherName !== null ? AGENCY_OTHER : ''),
      // An editor who maps an "other" agency to the list keeps the partner's name on the row
      // (lib/reference/lists.ts mapOtherAgency), but the form accepts a name only beside "other".
      otherName: row.agencyId ? '' : (row.otherName ?? ''),
      role: row.role,
      note: row.note,
    })),
  };
}

/**
 * Adds 'placeInvalid', 'categoryInvalid' or 'agencyInvalid' beside every reference the content
 * uses that is unknown, retired or merged (checked in `tx`, so the answer holds for the write).
 * Row paths follow the content's row order ('goods.2.categoryId').
 */
export function addReferenceErrors(tx: Tx, content: StoredReportContent, errors: ReportErrors): void {
  const unusable = findUnusableReferences({
    tx,
    placeIds: content.placeId ? [content.placeId] : [],
    categoryIds: [...new Set(content.goods.map((row) => row.categoryId))],
    agencyIds: [...new Set(content.agencies.map((row) => row.agencyId).filter((id): id is string => id !== null))],
  });
  if (content.placeId && unusable.placeIds.includes(content.placeId)) addReportError(errors, 'placeId', reportMessage('placeInvalid'));
  content.goods.forEach((row, i) => {
    if (unusable.categoryIds.includes(row.categoryId)) addReportError(errors, `goods.${i}.categoryId`, reportMessage('categoryInvalid'));
  });
  content.agencies.forEach((row, i) => {
    if (row.agencyId !== null && unusable.agencyIds.includes(row.agencyId)) {
      addReportError(errors, `agencies.${i}.agencyId`, reportMessage('agencyInvalid'));
    }
  });
}

/** True when `errors` holds any message. */
export function hasReportErrors(errors: ReportErrors): boolean {
  return errors.formErrors.length > 0 || Object.keys(errors.fieldErrors).length > 0;
}
