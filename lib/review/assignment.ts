import 'server-only';
import { and, asc, eq, inArray, isNotNull, count } from 'drizzle-orm';
import { getDb, writeTransaction, type Tx } from '@/db/client';
import { accounts, reportEvents, reports } from '@/db/schema';
import { isActorStill, type Actor } from '@/lib/accounts/actor';
import { recordAuditEvent } from '@/lib/audit/record';
import { AREA_ROLES } from '@/lib/auth/roles';
import { findReportForActor } from '@/lib/lifecycle/access';
import { decideAssignment, type AssignableAccount } from '@/lib/lifecycle/assignment';
import { bumpVersion } from '@/lib/lifecycle/transition';
import { refuse } from '@/lib/refusal';
import { loadForEditorWrite, refuseNonEditor } from './guard';
import { FORBIDDEN, NOT_FOUND, STALE, type ReviewResult } from './result';
import { positiveInt } from './schema';

/**
 * Assignment of reports to editors (issue 19 item 3), on top of the claim: `reports.claimedBy` is
 * the assigned editor (lib/lifecycle/assignment.ts has the rules). An editor or admin assigns or
 * reassigns a report to a colleague, takes it, or hands it to nobody; each is a report_events row
 * ('assign', the new holder's code name as its note), a version bump (the form carries the
 * version its page showed) and an audit event 'report_assigned', in one transaction.
 */

/** The report_events action of an assignment (a history entry; the status does not change). */
export const ASSIGN_EVENT_ACTION = 'assign';

/** A colleague the assignment form offers. */
export type Colleague = { id: number; codeName: string; role: 'editor' | 'admin' };

/**
 * Editors and admins with an active account, by code name — whom a report may be assigned to.
 * Deactivated accounts are never offered (nor accepted: {@link assignReport}). Empty for others.
 */
export function listAssignableColleagues({ actor }: { actor: Actor }): Colleague[] {
  if (refuseNonEditor(actor)) return [];
  return getDb()
    .select({ id: accounts.id, codeName: accounts.codeName, role: accounts.role })
    .from(accounts)
    .where(and(inArray(accounts.role, [...AREA_ROLES.editor]), eq(accounts.status, 'active')))
    .orderBy(asc(accounts.codeName))
    .all()
    .map((row) => ({ ...row, role: row.role === 'admin' ? 'admin' : 'editor' }));
}

/**
 * Record in the audit log (lib/audit) that the report's holder changed from `fromId` to `toId`.
 * Detail: report id, the code names before and after (null: nobody), and how (`assign`, `claim`,
 * `release`). Never report content.
 */
export function auditAssignment(
  tx: Tx,
  { actor, reportId, fromId, toId, via }: { actor: Actor; reportId: number; fromId: number | null; toId: number | null; via: 'assign' | 'claim' | 'release' },
): void {
  const names = codeNamesById(tx, [fromId, toId]);
  recordAuditEvent(tx, {
    actorId: actor.id,
    kind: 'report_assigned',
    targetAccountId: toId,
    detail: { reportId, from: fromId === null ? null : (names.get(fromId) ?? null), to: toId === null ? null : (names.get(toId) ?? null), via },
  });
}

/** Who holds the report now (null: nobody), read inside the caller's transaction. */
export function holderOf(tx: Tx, reportId: number): number | null {
  return tx.select({ claimedBy: reports.claimedBy }).from(reports).where(eq(reports.id, reportId)).get()?.claimedBy ?? null;
}

function codeNamesById(tx: Tx, ids: (number | null)[]): Map<number, string> {
  const wanted = ids.filter((id): id is number => id !== null);
  if (wanted.length === 0) return new Map();
  return new Map(tx.select({ id: accounts.id, codeName: accounts.codeName }).from(accounts).where(inArray(accounts.id, wanted)).all().map((r) => [r.id, r.codeName]));
}

export type AssignmentDone = { reportId: number; version: number; claimedBy: number | null };

/**
 * Assign a report: `assignee` is 'me' (take it), 'nobody', or a colleague's account id (form text).
 *
 * @param version the report's version when the editor's page was rendered
 * @returns `{ ok: true, reportId, version, claimedBy }`, or a refusal that wrote nothing:
 *   forbidden (not an editor or admin, also when demoted or deactivated during the request),
 *   not_found (unknown id or a draft), stale (review.errors.staleVersion), invalid_input
 *   (fieldErrors.assignee: review.errors.assigneeUnknown — no such account or malformed;
 *   assigneeNotEditor — a partner; assigneeDeactivated; alreadyAssigned; unassignInReview).
 */
export function assignReport({
  actor,
  reportId,
  version,
  assignee,
}: {
  actor: Actor;
  reportId: unknown;
  version: unknown;
  assignee: unknown;
}): ReviewResult<AssignmentDone> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  if (!id.success) return { ...NOT_FOUND };
  const raw = typeof assignee === 'string' ? assignee.trim() : '';
  const wanted = raw === 'me' ? actor.id : raw === 'nobody' ? null : positiveInt('review.errors.assigneeUnknown').safeParse(raw).data;
  const invalid = (messageKey: string) => refuse('invalid_input', messageKey, { assignee: [messageKey] });
  if (wanted === undefined) return invalid('review.errors.assigneeUnknown');
  const ver = positiveInt('review.errors.staleVersion').safeParse(version);
  if (!ver.success) return findReportForActor({ actor, reportId: id.data }) ? { ...STALE } : { ...NOT_FOUND };

  return writeTransaction((tx): ReviewResult<AssignmentDone> => {
    if (!isActorStill(tx, actor, AREA_ROLES.editor)) return { ...FORBIDDEN };
    const loaded = loadForEditorWrite(tx, { actor, reportId: id.data, version: ver.data });
    if (!loaded.ok) return loaded;
    const { report } = loaded;
    let target: (AssignableAccount & { codeName: string }) | null = null;
    if (wanted !== null) {
      target = tx.select({ id: accounts.id, role: accounts.role, status: accounts.status, codeName: accounts.codeName }).from(accounts).where(eq(accounts.id, wanted)).get() ?? null;
      if (!target) return invalid('review.errors.assigneeUnknown');
    }
    const fromId = holderOf(tx, report.id);
    const decision = decideAssignment({ actorRole: actor.role, status: report.status, currentId: fromId, assignee: target });
    if (!decision.ok) return decision.code === 'forbidden' ? { ...FORBIDDEN } : invalid(decision.messageKey);
    const now = new Date();
    const next = bumpVersion(tx, report, { claimedBy: decision.claimedBy, claimedAt: decision.claimedBy === null ? null : now }, now);
    tx.insert(reportEvents)
      .values({ reportId: report.id, actorId: actor.id, action: ASSIGN_EVENT_ACTION, fromStatus: report.status, toStatus: report.status, note: target?.codeName ?? null, createdAt: now })
      .run();
    auditAssignment(tx, { actor, reportId: report.id, fromId, toId: decision.claimedBy, via: 'assign' });
    return { ok: true, reportId: report.id, version: next, claimedBy: decision.claimedBy };
  });
}

/**
 * The review page was opened by `actor`: if they hold the report and it is unread for them (the
 * partner replied or resubmitted since), mark it read. Anyone else opening it changes nothing.
 * No version bump (lib/lifecycle/signals.ts). @returns whether it was unread for them
 */
export function markReviewRead({ actor, reportId }: { actor: Actor; reportId: number }): boolean {
  if (refuseNonEditor(actor)) return false;
  const row = getDb().select({ claimedBy: reports.claimedBy, unreadAt: reports.assigneeUnreadAt }).from(reports).where(eq(reports.id, reportId)).get();
  if (!row || row.claimedBy !== actor.id || row.unreadAt === null) return false;
  writeTransaction((tx) => {
    tx.update(reports).set({ assigneeUnreadAt: null }).where(and(eq(reports.id, reportId), eq(reports.claimedBy, actor.id))).run();
  });
  return true;
}

/**
 * How many reports assigned to `actor` are unread for them (the partner replied or resubmitted
 * since they last opened the review page) — the count in the site header. 0 for non-editors.
 */
export function countUnreadForAssignee({ actor }: { actor: Actor }): number {
  if (refuseNonEditor(actor)) return 0;
  // Served by reports_claimed (claimed_by): an editor holds tens of reports, not thousands.
  const row = getDb()
    .select({ n: count() })
    .from(reports)
    .where(and(eq(reports.claimedBy, actor.id), isNotNull(reports.assigneeUnreadAt)))
    .get();
  return row?.n ?? 0;
}
