import 'server-only';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb } from '@/db/client';
import {
  accounts,
  agencies,
  goodsCategories,
  places,
  reportAgencies,
  reportEvents,
  reportGoods,
  reportRevisions,
  reports,
  reportVehicles,
  type ReportStatus,
  type TimeZoneName,
} from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { listMessages, type ThreadMessage } from '@/lib/messages/thread';
import { findReportForActor } from '@/lib/lifecycle/access';
import { formatInstantWithOffset, isTimeZoneName } from '@/lib/reports/time';
import { describeSnapshot, diffSnapshots, type DiffLine, type SnapshotView } from './diff';
import { EDITOR_EDITABLE_STATUSES } from './edits';
import { refuseNonEditor } from './guard';
import { listReportLinks, type ReportLinkView } from './links';
import { NOT_FOUND, type ReviewResult } from './result';
import { EDITOR_DECISIONS, type EditorDecision } from './schema';
import { availableActions } from '@/lib/lifecycle/workflow';

/** Days either side of a report's observed window in which "nearby" reports are shown (issue 4). */
export const NEARBY_WINDOW_DAYS = 3;
const DAY_MS = 86_400_000;

/** A UTC instant shown twice: in the zone it was entered in, and in UTC. */
export type TimeView = {
  instantMs: number;
  /** e.g. '2018-07-12 19:30 (UTC+9)' in the report's zone. */
  local: string;
  /** e.g. '2018-07-12 10:30 UTC'. */
  utc: string;
};

/** Format a UTC instant as 'YYYY-MM-DD HH:mm UTC'. */
export function formatUtc(instantMs: number): string {
  return `${new Date(instantMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An instant in `timeZone` (with its offset) and in UTC. */
export function timeView(instantMs: number, timeZone: string): TimeView {
  const local = isTimeZoneName(timeZone) ? formatInstantWithOffset({ instantMs, timeZone }) : formatUtc(instantMs);
  return { instantMs, local, utc: formatUtc(instantMs) };
}

export type ReviewPageData = {
  report: {
    id: number;
    status: ReportStatus;
    version: number;
    title: string;
    narrative: string;
    sourceType: string | null;
    safetyNote: string;
    timeZone: TimeZoneName;
    timeNote: string;
    observedFrom: TimeView | null;
    observedTo: TimeView | null;
    place: { id: string; nameEn: string; nameKo: string; parent: { id: string; nameEn: string } | null } | null;
    placeDetail: string;
    placePrecision: string | null;
    partnerCodeName: string;
    submittedAt: TimeView | null;
    claimedByCodeName: string | null;
    isClaimedByMe: boolean;
    grade: { sourceReliability: string; informationCredibility: string; note: string | null } | null;
  };
  vehicles: { vehicleType: string; count: number; isEstimate: boolean; direction: string; colours: string; cargo: string }[];
  goods: {
    categoryId: string;
    categoryNameEn: string | null;
    description: string;
    direction: string;
    quantity: number | null;
    unit: string | null;
    value: number | null;
    currency: string | null;
  }[];
  agencies: { rowId: number; agencyId: string | null; agencyNameEn: string | null; otherName: string | null; role: string; note: string }[];
  /** report_events, oldest first. */
  events: { id: number; action: string; fromStatus: ReportStatus | null; toStatus: ReportStatus; note: string | null; actorCodeName: string; at: TimeView }[];
  /** Editor edits, oldest first, each with a readable diff. */
  edits: { id: number; actorCodeName: string; at: TimeView; lines: DiffLine[] }[];
  /** The partner's first submission as stored ('submission' revision), or null if none was kept. */
  originalSubmission: { at: TimeView; content: unknown; view: SnapshotView } | null;
  /** Other reports from the same place, places under it or its gazetteer parent, ±3 days. */
  nearby: { id: number; title: string; status: ReportStatus; placeNameEn: string | null; observedFrom: TimeView | null; partnerCodeName: string }[];
  links: ReportLinkView[];
  messages: ThreadMessage[];
  /** Decisions the workflow allows the caller now (buttons; the server re-checks). */
  decisions: EditorDecision[];
  isEditable: boolean;
};

function formatTime(instantMs: number, timeZone: string): string {
  return timeView(instantMs, timeZone).local;
}

/**
 * Everything the review page shows about one report. Editors and admins only (forbidden
 * otherwise); not_found for unknown ids and drafts.
 */
export function getReviewPage({ actor, reportId }: { actor: Actor; reportId: unknown }): ReviewResult<{ page: ReviewPageData }> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const access = findReportForActor({ actor, reportId });
  if (!access) return { ...NOT_FOUND };
  const db = getDb();
  const author = alias(accounts, 'author');
  const claimer = alias(accounts, 'claimer');
  const r = db
    .select({
      id: reports.id,
      status: reports.status,
      version: reports.version,
      title: reports.title,
      narrative: reports.narrative,
      sourceType: reports.sourceType,
      safetyNote: reports.safetyNote,
      timeZone: reports.timeZone,
      timeNote: reports.timeNote,
      observedFrom: reports.observedFrom,
      observedTo: reports.observedTo,
      placeId: reports.placeId,
      placeDetail: reports.placeDetail,
      placePrecision: reports.placePrecision,
      partnerCodeName: author.codeName,
      submittedAt: reports.submittedAt,
      claimedBy: reports.claimedBy,
      claimedByCodeName: claimer.codeName,
      sourceReliability: reports.sourceReliability,
      informationCredibility: reports.informationCredibility,
      gradeNote: reports.gradeNote,
    })
    .from(reports)
    .innerJoin(author, eq(author.id, reports.authorId))
    .leftJoin(claimer, eq(claimer.id, reports.claimedBy))
    .where(eq(reports.id, access.id))
    .get();
  if (!r) return { ...NOT_FOUND };
  const zone = r.timeZone;

  let place: ReviewPageData['report']['place'] = null;
  if (r.placeId) {
    const parentPlace = alias(places, 'parent_place');
    const p = db
      .select({ id: places.id, nameEn: places.nameEn, nameKo: places.nameKo, parentId: parentPlace.id, parentNameEn: parentPlace.nameEn })
      .from(places)
      .leftJoin(parentPlace, eq(parentPlace.id, places.parentId))
      .where(eq(places.id, r.placeId))
      .get();
    if (p) place = { id: p.id, nameEn: p.nameEn, nameKo: p.nameKo, parent: p.parentId && p.parentNameEn ? { id: p.parentId, nameEn: p.parentNameEn } : null };
  }

  const vehicles = db
    .select({
      vehicleType: reportVehicles.vehicleType,
      count: reportVehicles.count,
      isEstimate: reportVehicles.isEstimate,
      direction: reportVehicles.direction,
      colours: reportVehicles.colours,
      cargo: reportVehicles.cargo,
    })
    .from(reportVehicles)
    .where(eq(reportVehicles.reportId, r.id))
    .orderBy(asc(reportVehicles.position), asc(reportVehicles.id))
    .all();
  const goods = db
    .select({
      categoryId: reportGoods.categoryId,
      categoryNameEn: goodsCategories.nameEn,
      description: reportGoods.description,
      direction: reportGoods.direction,
      quantity: reportGoods.quantity,
      unit: reportGoods.unit,
      value: reportGoods.value,
      currency: reportGoods.currency,
    })
    .from(reportGoods)
    .leftJoin(goodsCategories, eq(goodsCategories.id, reportGoods.categoryId))
    .where(eq(reportGoods.reportId, r.id))
    .orderBy(asc(reportGoods.position), asc(reportGoods.id))
    .all();
  const agencyRows = db
    .select({
      rowId: reportAgencies.id,
      agencyId: reportAgencies.agencyId,
      agencyNameEn: agencies.nameEn,
      otherName: reportAgencies.otherName,
      role: reportAgencies.role,
      note: reportAgencies.note,
    })
    .from(reportAgencies)
    .leftJoin(agencies, eq(agencies.id, reportAgencies.agencyId))
    .where(eq(reportAgencies.reportId, r.id))
    .orderBy(asc(reportAgencies.position), asc(reportAgencies.id))
    .all();

  const actorAccount = alias(accounts, 'actor');
  const events = db
    .select({
      id: reportEvents.id,
      action: reportEvents.action,
      fromStatus: reportEvents.fromStatus,
      toStatus: reportEvents.toStatus,
      note: reportEvents.note,
      actorCodeName: actorAccount.codeName,
      createdAt: reportEvents.createdAt,
    })
    .from(reportEvents)
    .innerJoin(actorAccount, eq(actorAccount.id, reportEvents.actorId))
    .where(eq(reportEvents.reportId, r.id))
    .orderBy(asc(reportEvents.id))
    .all()
    .map(({ createdAt, ...e }) => ({ ...e, at: timeView(createdAt.getTime(), zone) }));

  const revisions = db
    .select({
      id: reportRevisions.id,
      kind: reportRevisions.kind,
      before: reportRevisions.before,
      after: reportRevisions.after,
      actorCodeName: actorAccount.codeName,
      createdAt: reportRevisions.createdAt,
    })
    .from(reportRevisions)
    .innerJoin(actorAccount, eq(actorAccount.id, reportRevisions.actorId))
    .where(eq(reportRevisions.reportId, r.id))
    .orderBy(asc(reportRevisions.id))
    .all();
  const firstSubmission = revisions.find((rev) => rev.kind === 'submission');
  const edits = revisions
    .filter((rev) => rev.kind === 'editor_edit')
    .map((rev) => ({
      id: rev.id,
      actorCodeName: rev.actorCodeName,
      at: timeView(rev.createdAt.getTime(), zone),
      lines: diffSnapshots(rev.before, rev.after, formatTime),
    }));

  const messages = listMessages({ actor, reportId: r.id });

  return {
    ok: true,
    page: {
      report: {
        id: r.id,
        status: r.status,
        version: r.version,
        title: r.title,
        narrative: r.narrative,
        sourceType: r.sourceType,
        safetyNote: r.safetyNote,
        timeZone: zone,
        timeNote: r.timeNote,
        observedFrom: r.observedFrom ? timeView(r.observedFrom.getTime(), zone) : null,
        observedTo: r.observedTo ? timeView(r.observedTo.getTime(), zone) : null,
        place,
        placeDetail: r.placeDetail,
        placePrecision: r.placePrecision,
        partnerCodeName: r.partnerCodeName,
        submittedAt: r.submittedAt ? timeView(r.submittedAt.getTime(), zone) : null,
        claimedByCodeName: r.claimedByCodeName,
        isClaimedByMe: r.claimedBy === actor.id,
        grade:
          r.sourceReliability && r.informationCredibility
            ? { sourceReliability: r.sourceReliability, informationCredibility: r.informationCredibility, note: r.gradeNote }
            : null,
      },
      vehicles,
      goods,
      agencies: agencyRows,
      events,
      edits,
      originalSubmission: firstSubmission
        ? { at: timeView(firstSubmission.createdAt.getTime(), zone), content: firstSubmission.after, view: describeSnapshot(firstSubmission.after, formatTime) }
        : null,
      nearby: findNearbyReports({ reportId: r.id, placeId: r.placeId, from: r.observedFrom, to: r.observedTo, zone }),
      links: listReportLinks(db, r.id),
      messages: messages.ok ? messages.messages : [],
      decisions: EDITOR_DECISIONS.filter((d) => availableActions(r.status, actor.role).includes(d)),
      isEditable: EDITOR_EDITABLE_STATUSES.includes(r.status),
    },
  };
}

/**
 * Reports (past draft, not this one) at the same place, any place under it, or its gazetteer
 * parent, whose observed window overlaps this one's widened by NEARBY_WINDOW_DAYS each side.
 * At most 20, by observed time.
 */
function findNearbyReports({
  reportId,
  placeId,
  from,
  to,
  zone,
}: {
  reportId: number;
  placeId: string | null;
  from: Date | null;
  to: Date | null;
  zone: string;
}): ReviewPageData['nearby'] {
  if (!placeId || !from) return [];
  const db = getDb();
  const parent = db.select({ parentId: places.parentId }).from(places).where(eq(places.id, placeId)).get()?.parentId ?? null;
  const underRows = db.all<{ id: string }>(sql`
    WITH RECURSIVE under(id) AS (
      SELECT ${placeId}
      UNION SELECT ${places.id} FROM ${places} JOIN under ON ${places.parentId} = under.id
    ) SELECT id FROM under`);
  const placeIds = [...new Set([...underRows.map((p) => p.id), ...(parent ? [parent] : [])])];
  const windowStart = from.getTime() - NEARBY_WINDOW_DAYS * DAY_MS;
  const windowEnd = (to ?? from).getTime() + NEARBY_WINDOW_DAYS * DAY_MS;
  const author = alias(accounts, 'author');
  return db
    .select({
      id: reports.id,
      title: reports.title,
      status: reports.status,
      placeNameEn: places.nameEn,
      observedFrom: reports.observedFrom,
      timeZone: reports.timeZone,
      partnerCodeName: author.codeName,
    })
    .from(reports)
    .innerJoin(author, eq(author.id, reports.authorId))
    .leftJoin(places, eq(places.id, reports.placeId))
    .where(
      and(
        ne(reports.id, reportId),
        ne(reports.status, 'draft'),
        inArray(reports.placeId, placeIds),
        sql`${reports.observedFrom} <= ${windowEnd}`,
        sql`coalesce(${reports.observedTo}, ${reports.observedFrom}) >= ${windowStart}`,
      ),
    )
    .orderBy(asc(reports.observedFrom), asc(reports.id))
    .limit(20)
    .all()
    .map(({ observedFrom, timeZone, ...n }) => ({ ...n, observedFrom: observedFrom ? timeView(observedFrom.getTime(), timeZone ?? zone) : null }));
}
