import 'server-only';
import { and, asc, desc, eq, gt, notInArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { reportEvents, reportRevisions, reports, type Locale, type ReportStatus, type TimeZoneName } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { unreadCountsForPartner } from '@/lib/messages/thread';
import { referenceNames } from '@/lib/places/gazetteer';
import { canPartnerEdit } from '@/lib/lifecycle/workflow';
import { findReportForActor } from '@/lib/lifecycle/access';
import { contentToFormValues, readReport, type StoredReportContent } from './content';
import {
  emptyAgencyRow,
  emptyGoodsRow,
  emptyReportValues,
  emptyVehicleRow,
  REPORT_SCALAR_FIELDS,
  type ReportFormValues,
} from './form-values';
import { formatInstantWithOffset } from './time';

/** One line of "My reports". */
export type MyReportListItem = {
  id: number;
  title: string;
  status: ReportStatus;
  /** UTC ms of the last change: the report's own update or its newest workflow event. */
  lastChangeAt: number;
  /** UTC ms of the (latest) submission; null for a draft never submitted. */
  submittedAt: number | null;
  /** Messages from editors on this report that the partner has not read. */
  unreadMessages: number;
  /** A rejected report: the reason the editor gave the partner (never their internal one), or null. */
  rejectionReason: string | null;
};

/**
 * The partner's own reports, newest change first (docs/product.md: "see own reports, their status, and
 * messages addressed to them"). Never another partner's. Non-partners get an empty list.
 */
export function listMyReports({ actor }: { actor: Actor }): MyReportListItem[] {
  if (actor.role !== 'partner') return [];
  // Spelled out with an alias, as rejectionReason below: drizzle writes a one-table select's
  // columns unqualified, and a bare "id" inside the subquery would be the event's own.
  const lastEventAt = sql<number | null>`(select max(e.created_at) from report_events e where e.report_id = "reports"."id")`;
  const lastChange = sql<number>`max(${reports.updatedAt}, coalesce(${lastEventAt}, 0))`;
  // A draft's title lives in its typed values until it is submitted.
  const title = sql<string>`case when ${reports.status} = 'draft' then coalesce(json_extract(${reports.draftValues}, '$.title'), ${reports.title}) else ${reports.title} end`;
  const rows = getDb()
    .select({
      id: reports.id,
      title,
      status: reports.status,
      submittedAt: reports.submittedAt,
      lastChangeAt: lastChange,
      // Only ever the partner's note of the rejection, never the editors' own (`note`).
      // Spelled out with an alias: drizzle writes a one-table select's columns unqualified, and a
      // bare "id" inside the subquery would be the event's own.
      rejectionReason: sql<string | null>`case when "reports"."status" = 'rejected' then (select e.partner_note from report_events e
        where e.report_id = "reports"."id" and e.action = 'reject' order by e.id desc limit 1) end`,
    })
    .from(reports)
    .where(eq(reports.authorId, actor.id))
    .orderBy(desc(lastChange), desc(reports.id))
    .all();
  const unread = unreadCountsForPartner({ actor, reportIds: rows.map((row) => row.id) });
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    status: row.status,
    lastChangeAt: Number(row.lastChangeAt),
    submittedAt: row.submittedAt ? row.submittedAt.getTime() : null,
    unreadMessages: unread.get(row.id) ?? 0,
    rejectionReason: row.rejectionReason ?? null,
  }));
}

/** One step of a report's history as its partner sees it (no editor code names). */
export type ReportHistoryItem = {
  id: number;
  action: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus;
  /** UTC ms. */
  at: number;
  byPartner: boolean;
  /**
   * What the editors told the partner with this step: their message when they sent the report back
   * for changes, the reason for the partner of a rejection; null otherwise (never an internal note).
   */
  note: string | null;
};

/**
 * Workflow events of a report, oldest first, for its author. The editors' `note` is shown only for
 * 'request_changes' (it is the message to the partner); every other note may be an internal reason
 * and is never read here. A rejection shows its `partnerNote`, the reason written for the partner.
 */
function historyFor(reportId: number, authorId: number): ReportHistoryItem[] {
  return getDb()
    .select({
      id: reportEvents.id,
      action: reportEvents.action,
      fromStatus: reportEvents.fromStatus,
      toStatus: reportEvents.toStatus,
      createdAt: reportEvents.createdAt,
      actorId: reportEvents.actorId,
      note: reportEvents.note,
      partnerNote: reportEvents.partnerNote,
    })
    .from(reportEvents)
    // Handing a report between editors and grading it are the desk's business (lib/review/
    // assignment.ts; lib/review/schema.ts GRADE_EVENT_ACTION): the partner never sees either.
    .where(and(eq(reportEvents.reportId, reportId), notInArray(reportEvents.action, ['assign', 'grade'])))
    .orderBy(asc(reportEvents.id))
    .all()
    .map((row) => ({
      id: row.id,
      action: row.action,
      fromStatus: row.fromStatus,
      toStatus: row.toStatus,
      at: row.createdAt.getTime(),
      byPartner: row.actorId === authorId,
      note: row.action === 'request_changes' ? row.note : row.action === 'reject' ? row.partnerNote : null,
    }));
}

/** The editor's note of the newest 'request_changes' event, or null. */
function latestChangeRequest(reportId: number): { note: string | null; at: number } | null {
  const row = getDb()
    .select({ note: reportEvents.note, createdAt: reportEvents.createdAt })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, reportId), eq(reportEvents.action, 'request_changes')))
    .orderBy(desc(reportEvents.id))
    .limit(1)
    .get();
  return row ? { note: row.note, at: row.createdAt.getTime() } : null;
}

/** A stored instant shown back in the zone it was entered in. */
export type ShownTime = { instantMs: number; text: string } | null;

function shownTime(instantMs: number | null, timeZone: TimeZoneName): ShownTime {
  return instantMs === null ? null : { instantMs, text: formatInstantWithOffset({ instantMs, timeZone }) };
}

/** A report as its author sees it on the report page. */
export type MyReportView = {
  id: number;
  clientId: string;
  status: ReportStatus;
  version: number;
  isEditable: boolean;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  /**
   * What the partner submitted last ('submission' revision), never an editor's later correction;
   * for a draft never submitted: empty (its typed values are in `draftValues`).
   */
  content: StoredReportContent;
  /** True when an editor has corrected the report since that submission (their version is not shown here). */
  editedByEditor: boolean;
  /** A draft's (or a report being changed) values as typed since the last submission; null if none. */
  draftValues: ReportFormValues | null;
  /** Times as local wall clock with offset, e.g. '2018-07-12 19:30 (UTC+9)', in `content.timeZone`. */
  observedFrom: ShownTime;
  observedTo: ShownTime;
  placeName: string | null;
  placeParentName: string | null;
  /** Names in the reader's locale for the ids in `content` (absent → show the id). */
  categoryNames: Record<string, string>;
  agencyNames: Record<string, string>;
  history: ReportHistoryItem[];
  /** The newest request for changes (shown on the report and edit pages). */
  changeRequest: { note: string | null; at: number } | null;
  /** A rejected report: the reason the editors gave the partner (null: none given); null otherwise. */
  rejection: { reason: string | null; at: number } | null;
};

/**
 * One report for its author: every part, times in the entered zone, reference names in `locale`,
 * the workflow history and the newest request for changes. Null when the report does not exist
 * or is not the caller's (answer 404: lib/lifecycle/access.ts findReportForActor, partners see only
 * their own).
 */
export function getMyReport({ actor, reportId, locale }: { actor: Actor; reportId: unknown; locale: Locale }): MyReportView | null {
  if (actor.role !== 'partner') return null;
  const access = findReportForActor({ actor, reportId });
  if (!access) return null;
  const report = readReport(getDb(), access.id);
  if (!report) return null;
  const submitted = lastSubmission(access.id);
  const content = submitted?.content ?? report.content;
  const names = referenceNames({
    locale,
    placeIds: content.placeId ? [content.placeId] : [],
    categoryIds: content.goods.map((row) => row.categoryId),
    agencyIds: content.agencies.map((row) => row.agencyId).filter((id): id is string => id !== null),
  });
  const place = content.placeId ? names.places.get(content.placeId) : undefined;
  return {
    id: access.id,
    clientId: report.clientId,
    status: access.status,
    version: access.version,
    isEditable: canPartnerEdit(access.status),
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    submittedAt: report.submittedAt,
    content,
    editedByEditor: submitted?.editedSince ?? false,
    draftValues: readDraftValues(report.draftValues, report.clientId),
    observedFrom: shownTime(content.observedFrom, content.timeZone),
    observedTo: shownTime(content.observedTo, content.timeZone),
    placeName: place?.name ?? content.placeId,
    placeParentName: place?.parentName ?? null,
    categoryNames: Object.fromEntries(names.categories),
    agencyNames: Object.fromEntries(names.agencies),
    history: historyFor(access.id, access.authorId),
    changeRequest: latestChangeRequest(access.id),
    rejection: access.status === 'rejected' ? latestRejection(access.id) : null,
  };
}

/** The partner's reason of the newest 'reject' event (never the editors' own note), or null. */
function latestRejection(reportId: number): { reason: string | null; at: number } | null {
  const row = getDb()
    .select({ partnerNote: reportEvents.partnerNote, createdAt: reportEvents.createdAt })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, reportId), eq(reportEvents.action, 'reject')))
    .orderBy(desc(reportEvents.id))
    .limit(1)
    .get();
  return row ? { reason: row.partnerNote, at: row.createdAt.getTime() } : null;
}

/**
 * The partner's last submission of a report as stored in its 'submission' revision, and whether an
 * editor's correction ('editor_edit') came after it. Null when no submission revision was kept
 * (then the report's current content is what they filed).
 */
function lastSubmission(reportId: number): { content: StoredReportContent; editedSince: boolean } | null {
  const db = getDb();
  const submission = db
    .select({ id: reportRevisions.id, after: reportRevisions.after })
    .from(reportRevisions)
    .where(and(eq(reportRevisions.reportId, reportId), eq(reportRevisions.kind, 'submission')))
    .orderBy(desc(reportRevisions.id))
    .limit(1)
    .get();
  if (!submission) return null;
  const laterEdit = db
    .select({ id: reportRevisions.id })
    .from(reportRevisions)
    .where(and(eq(reportRevisions.reportId, reportId), eq(reportRevisions.kind, 'editor_edit'), gt(reportRevisions.id, submission.id)))
    .limit(1)
    .get();
  // submitReport writes the whole StoredReportContent into every 'submission' revision.
  return { content: submission.after as StoredReportContent, editedSince: laterEdit !== undefined };
}

/**
 * reports.draft_values as the form's values: every key present (missing ones from an older shape
 * are filled empty), the report's own clientId. Null when there are none.
 */
function readDraftValues(stored: unknown, clientId: string): ReportFormValues | null {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return null;
  const values = stored as Partial<ReportFormValues>;
  const empty = emptyReportValues(clientId);
  const text = (key: (typeof REPORT_SCALAR_FIELDS)[number]) => (typeof values[key] === 'string' ? values[key] : empty[key]);
  return {
    ...(Object.fromEntries(REPORT_SCALAR_FIELDS.map((key) => [key, text(key)])) as Omit<ReportFormValues, 'vehicles' | 'goods' | 'agencies'>),
    clientId,
    vehicles: Array.isArray(values.vehicles) ? values.vehicles.map((row) => ({ ...emptyVehicleRow(), ...row })) : [],
    goods: Array.isArray(values.goods) ? values.goods.map((row) => ({ ...emptyGoodsRow(), ...row })) : [],
    agencies: Array.isArray(values.agencies) ? values.agencies.map((row) => ({ ...emptyAgencyRow(), ...row })) : [],
  };
}

/** What the edit page needs: the form's values and the editor's request, if any. */
export type MyReportForEdit = {
  id: number;
  status: ReportStatus;
  version: number;
  updatedAt: number;
  values: ReportFormValues;
  changeRequest: { note: string | null; at: number } | null;
};

/**
 * A report of the caller's as the form's values, for editing. Null when it is not the caller's
 * or does not exist (404); `{ editable: false }` when it is theirs but past the partner's part of
 * the workflow (draft / changes requested only, lib/lifecycle/workflow.ts canPartnerEdit).
 */
export function getMyReportForEdit({
  actor,
  reportId,
}: {
  actor: Actor;
  reportId: unknown;
}): ({ editable: true } & MyReportForEdit) | { editable: false; id: number } | null {
  if (actor.role !== 'partner') return null;
  const access = findReportForActor({ actor, reportId });
  if (!access) return null;
  if (!canPartnerEdit(access.status)) return { editable: false, id: access.id };
  const report = readReport(getDb(), access.id);
  if (!report) return null;
  return {
    editable: true,
    id: access.id,
    status: access.status,
    version: access.version,
    updatedAt: report.updatedAt,
    // The values as last typed, else (sent back for changes, not edited yet) what was submitted.
    values: readDraftValues(report.draftValues, report.clientId) ?? contentToFormValues(report.content, report.clientId),
    changeRequest: access.status === 'changes_requested' ? latestChangeRequest(access.id) : null,
  };
}

