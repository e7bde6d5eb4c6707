import 'server-only';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb, type DB } from '@/db/client';
import {
  accounts,
  agencies,
  goodsCategories,
  places,
  reportEvents,
  reportRevisions,
  reports,
  type ReportStatus,
  type TimeZoneName,
} from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { listMessages, type ThreadMessage } from '@/lib/messages/thread';
import { findReportForActor } from '@/lib/lifecycle/access';
import { readReport } from '@/lib/reports/content';
import { formatInstantWithOffset, isTimeZoneName } from '@/lib/reports/time';
import { describeSnapshot, diffSnapshots, type DiffLine, type SnapshotView } from './diff';
import { isPossibleDuplicate, type DuplicateCandidate } from './duplicates';
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
    /** The partner replied or resubmitted since the assigned editor last opened this page. */
    isUnreadForHolder: boolean;
    /** The partner's reason of the current rejection (rejected reports), or null. */
    partnerRejectionReason: string | null;
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
  events: {
    id: number;
    action: string;
    fromStatus: ReportStatus | null;
    toStatus: ReportStatus;
    note: string | null;
    /** What the partner was told with this step (a rejection's reason for them), or null. */
    partnerNote: string | null;
    actorCodeName: string;
    at: TimeView;
  }[];
  /** Editor edits, oldest first, each with a readable diff. */
  edits: { id: number; actorCodeName: string; at: TimeView; lines: DiffLine[] }[];
  /**
   * The partner's latest resubmission against the submission before it (issue 19 item 4): what
   * changed after "request changes". Null when the report was submitted once.
   */
  resubmission: { at: TimeView; previousAt: TimeView; lines: DiffLine[] } | null;
  /** The partner's first submission as stored ('submission' revision), or null if none was kept. */
  originalSubmission: { at: TimeView; content: unknown; view: SnapshotView } | null;
  /** Other reports from the same place, places under it or its gazetteer parent, ±3 days. */
  nearby: { id: number; title: string; status: ReportStatus; placeId: string | null; placeNameEn: string | null; observedFrom: TimeView | null; partnerCodeName: string }[];
  /**
   * Reports by the same partner, overlapping observed window, same place tree (lib/review/duplicates.ts),
   * by observed time.
   */
  possibleDuplicates: { id: number; title: string; status: ReportStatus; placeNameEn: string | null; observedFrom: TimeView | null }[];
  links: ReportLinkView[];
  messages: ThreadMessage[];
  /** The account id of the editor who holds the report (the assignment form's choice), or null. */
  holderId: number | null;
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
  const stored = readReport(db, access.id);
  if (!stored) return { ...NOT_FOUND };
  const { content } = stored;
  const zone = content.timeZone;
  const codeNames = codeNamesOf(db, [stored.authorId, ...(stored.claimedBy === null ? [] : [stored.claimedBy])]);

  let place: ReviewPageData['report']['place'] = null;
  if (content.placeId) {
    const parentPlace = alias(places, 'parent_place');
    const p = db
      .select({ id: places.id, nameEn: places.nameEn, nameKo: places.nameKo, parentId: parentPlace.id, parentNameEn: parentPlace.nameEn })
      .from(places)
      .leftJoin(parentPlace, eq(parentPlace.id, places.parentId))
      .where(eq(places.id, content.placeId))
      .get();
    if (p) place = { id: p.id, nameEn: p.nameEn, nameKo: p.nameKo, parent: p.parentId && p.parentNameEn ? { id: p.parentId, nameEn: p.parentNameEn } : null };
  }

  const categoryNames = namesOf(db, goodsCategories, content.goods.map((row) => row.categoryId));
  const agencyNames = namesOf(db, agencies, content.agencies.flatMap((row) => (row.agencyId === null ? [] : [row.agencyId])));
  const vehicles = content.vehicles;
  const goods = content.goods.map(({ categoryId, ...row }) => ({ categoryId, categoryNameEn: categoryNames.get(categoryId) ?? null, ...row }));
  const agencyRows = content.agencies.map(({ agencyId, ...row }, i) => ({
    rowId: stored.rowKeys.agencies[i]!.id,
    agencyId,
    agencyNameEn: agencyId === null ? null : (agencyNames.get(agencyId) ?? null),
    ...row,
  }));

  const actorAccount = alias(accounts, 'actor');
  const events = db
    .select({
      id: reportEvents.id,
      action: reportEvents.action,
      fromStatus: reportEvents.fromStatus,
      toStatus: reportEvents.toStatus,
      note: reportEvents.note,
      partnerNote: reportEvents.partnerNote,
      actorCodeName: actorAccount.codeName,
      createdAt: reportEvents.createdAt,
    })
    .from(reportEvents)
    .innerJoin(actorAccount, eq(actorAccount.id, reportEvents.actorId))
    .where(eq(reportEvents.reportId, stored.id))
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
    .where(eq(reportRevisions.reportId, stored.id))
    .orderBy(asc(reportRevisions.id))
    .all();
  const submissions = revisions.filter((rev) => rev.kind === 'submission');
  const firstSubmission = submissions[0];
  const [previous, latest] = submissions.slice(-2);
  const resubmission =
    submissions.length >= 2 && previous && latest
      ? {
          at: timeView(latest.createdAt.getTime(), zone),
          previousAt: timeView(previous.createdAt.getTime(), zone),
          lines: diffSnapshots(previous.after, latest.after, formatTime),
        }
      : null;
  const lastReject = stored.status === 'rejected' ? [...events].reverse().find((e) => e.action === 'reject') : undefined;
  const edits = revisions
    .filter((rev) => rev.kind === 'editor_edit')
    .map((rev) => ({
      id: rev.id,
      actorCodeName: rev.actorCodeName,
      at: timeView(rev.createdAt.getTime(), zone),
      lines: diffSnapshots(rev.before, rev.after, formatTime),
    }));

  const messages = listMessages({ actor, reportId: stored.id });

  return {
    ok: true,
    page: {
      report: {
        id: stored.id,
        status: stored.status,
        version: stored.version,
        title: content.title,
        narrative: content.narrative,
        sourceType: content.sourceType,
        safetyNote: content.safetyNote,
        timeZone: zone,
        timeNote: content.timeNote,
        observedFrom: content.observedFrom !== null ? timeView(content.observedFrom, zone) : null,
        observedTo: content.observedTo !== null ? timeView(content.observedTo, zone) : null,
        place,
        placeDetail: content.placeDetail,
        placePrecision: content.placePrecision,
        partnerCodeName: codeNames.get(stored.authorId) ?? '',
        submittedAt: stored.submittedAt !== null ? timeView(stored.submittedAt, zone) : null,
        claimedByCodeName: stored.claimedBy === null ? null : (codeNames.get(stored.claimedBy) ?? null),
        isClaimedByMe: stored.claimedBy === actor.id,
        isUnreadForHolder: stored.claimedBy !== null && stored.assigneeUnreadAt !== null,
        partnerRejectionReason: lastReject?.partnerNote ?? null,
        grade:
          stored.sourceReliability && stored.informationCredibility
            ? { sourceReliability: stored.sourceReliability, informationCredibility: stored.informationCredibility, note: stored.gradeNote }
            : null,
      },
      vehicles,
      goods,
      agencies: agencyRows,
      events,
      edits,
      resubmission,
      originalSubmission: firstSubmission
        ? { at: timeView(firstSubmission.createdAt.getTime(), zone), content: firstSubmission.after, view: describeSnapshot(firstSubmission.after, formatTime) }
        : null,
      nearby: findNearbyReports({ reportId: stored.id, placeId: content.placeId, from: content.observedFrom, to: content.observedTo, zone }),
      possibleDuplicates: findPossibleDuplicates({
        id: stored.id,
        authorId: stored.authorId,
        placeId: content.placeId,
        observedFrom: content.observedFrom,
        observedTo: content.observedTo,
        zone,
      }),
      links: listReportLinks(db, stored.id),
      messages: messages.ok ? messages.messages : [],
      holderId: stored.claimedBy,
      decisions: EDITOR_DECISIONS.filter((d) => availableActions(stored.status, actor.role).includes(d)),
      isEditable: EDITOR_EDITABLE_STATUSES.includes(stored.status),
    },
  };
}

/** Code names of accounts by id (the partner and the claiming editor of a report). */
function codeNamesOf(db: DB, ids: number[]): Map<number, string> {
  const rows = db.select({ id: accounts.id, codeName: accounts.codeName }).from(accounts).where(inArray(accounts.id, ids)).all();
  return new Map(rows.map((row) => [row.id, row.codeName]));
}

/** English names of reference entries (goods categories or agencies) by id; unknown ids are absent. */
function namesOf(db: DB, table: typeof goodsCategories | typeof agencies, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db.select({ id: table.id, nameEn: table.nameEn }).from(table).where(inArray(table.id, [...new Set(ids)])).all();
  return new Map(rows.map((row) => [row.id, row.nameEn]));
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
  /** UTC ms. */
  from: number | null;
  to: number | null;
  zone: string;
}): ReviewPageData['nearby'] {
  if (!placeId || from === null) return [];
  const db = getDb();
  const parent = db.select({ parentId: places.parentId }).from(places).where(eq(places.id, placeId)).get()?.parentId ?? null;
  const underRows = db.all<{ id: string }>(sql`
    WITH RECURSIVE under(id) AS (
      SELECT ${placeId}
      UNION SELECT ${places.id} FROM ${places} JOIN under ON ${places.parentId} = under.id
    ) SELECT id FROM under`);
  const placeIds = [...new Set([...underRows.map((p) => p.id), ...(parent ? [parent] : [])])];
  const windowStart = from - NEARBY_WINDOW_DAYS * DAY_MS;
  const windowEnd = (to ?? from) + NEARBY_WINDOW_DAYS * DAY_MS;
  const author = alias(accounts, 'author');
  return db
    .select({
      id: reports.id,
      title: reports.title,
      status: reports.status,
      placeId: reports.placeId,
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

/** A place's gazetteer parents, nearest first (the gazetteer is a tree: no cycles). */
function ancestorsOf(db: DB, placeId: string): string[] {
  return db
    .all<{ id: string }>(
      sql`WITH RECURSIVE up(id, depth) AS (
        SELECT ${places.parentId}, 1 FROM ${places} WHERE ${places.id} = ${placeId}
        UNION ALL SELECT ${places.parentId}, up.depth + 1 FROM ${places} JOIN up ON ${places.id} = up.id WHERE up.depth < 32
      ) SELECT id FROM up WHERE id IS NOT NULL ORDER BY depth`,
    )
    .map((row) => row.id);
}

/**
 * Possible duplicates of a report (issue 19 item 9; the rule: lib/review/duplicates.ts): the same
 * partner's other reports past draft whose observed window overlaps this one's and whose place is
 * in the same place tree. At most 20, by observed time. None without a place or a start time.
 */
function findPossibleDuplicates({
  id,
  authorId,
  placeId,
  observedFrom,
  observedTo,
  zone,
}: {
  id: number;
  authorId: number;
  placeId: string | null;
  /** UTC ms. */
  observedFrom: number | null;
  observedTo: number | null;
  zone: string;
}): ReviewPageData['possibleDuplicates'] {
  if (!placeId || observedFrom === null) return [];
  const db = getDb();
  const self: DuplicateCandidate = { id, authorId, placeId, placeAncestors: ancestorsOf(db, placeId), observedFrom, observedTo };
  const windowEnd = observedTo ?? observedFrom;
  const rows = db
    .select({
      id: reports.id,
      title: reports.title,
      status: reports.status,
      placeId: reports.placeId,
      placeNameEn: places.nameEn,
      observedFrom: reports.observedFrom,
      observedTo: reports.observedTo,
      timeZone: reports.timeZone,
    })
    .from(reports)
    .leftJoin(places, eq(places.id, reports.placeId))
    .where(
      and(
        eq(reports.authorId, authorId),
        ne(reports.id, id),
        ne(reports.status, 'draft'),
        sql`${reports.observedFrom} <= ${windowEnd}`,
        sql`coalesce(${reports.observedTo}, ${reports.observedFrom}) >= ${observedFrom}`,
      ),
    )
    .orderBy(asc(reports.observedFrom), asc(reports.id))
    .limit(200)
    .all();
  const ancestors = new Map<string, string[]>();
  return rows
    .filter((row) => {
      if (row.placeId === null) return false;
      if (!ancestors.has(row.placeId)) ancestors.set(row.placeId, ancestorsOf(db, row.placeId));
      return isPossibleDuplicate(self, {
        id: row.id,
        authorId,
        placeId: row.placeId,
        placeAncestors: ancestors.get(row.placeId) ?? [],
        observedFrom: row.observedFrom?.getTime() ?? null,
        observedTo: row.observedTo?.getTime() ?? null,
      });
    })
    .slice(0, 20)
    .map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      placeNameEn: row.placeNameEn,
      observedFrom: row.observedFrom ? timeView(row.observedFrom.getTime(), row.timeZone ?? zone) : null,
    }));
}
