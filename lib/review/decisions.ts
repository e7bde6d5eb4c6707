import 'server-only';
import { and, gt, inArray, sql } from 'drizzle-orm';
import { writeTransaction, type Tx } from '@/db/client';
import { reportEvents, reports } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { postMessage } from '@/lib/messages/thread';
import { findReportForActor, type ReportAccessRow } from '@/lib/lifecycle/access';
import { applyTransition } from '@/lib/lifecycle/transition';
import { auditAssignment, holderOf } from './assignment';
import { loadForEditorWrite, refuseNonEditor } from './guard';
import { matchingReportIds } from './queue';
import { recordAuditEvent } from '@/lib/audit/record';
import { bumpVersion } from '@/lib/lifecycle/transition';
import { refuse } from '@/lib/refusal';
import { STALE, NOT_FOUND, type ReviewFailure, type ReviewResult } from './result';
import {
  BULK_MAX_REPORTS,
  canGrade,
  GRADE_EVENT_ACTION,
  gradeSchema,
  gradeText,
  bulkActionSchema,
  collectReviewErrors,
  decisionSchema,
  positiveInt,
  reportRefSchema,
  selectedRowSchema,
  type BulkAction,
  type DecisionInput,
  type QueueFilters,
} from './schema';

/**
 * Editors' decisions on reports: claim, release, request changes, verify (Admiralty grade),
 * reject, reopen — one at a time from the review page, or in bulk from the moderation queue.
 *
 * Every decision goes through lib/lifecycle/transition.ts's `applyTransition` (the workflow's
 * `applyAction`, then the write) in ONE transaction with its report_events row (actor, from, to,
 * note). Every write is guarded by the report's version (optimistic concurrency, docs/product.md
 * "Workflow"): a version other than the one the editor's page showed is refused with `stale` and
 * nothing is written.
 *
 * Claims (applyTransition; rules in lib/lifecycle/assignment.ts): `claimedBy` is the report's
 * assigned editor — set by claim (and by an assignment, ./assignment.ts), cleared by release, kept
 * by every other step, so the partner's resubmission after "request changes" returns to the same
 * editor. A claim or release that changes the holder is audited like an assignment. Any editor
 * may act on a report another editor holds (the queue shows who); the version guard keeps their
 * work from overwriting each other.
 *
 * Rejection: `reason` is the editors' own (the event's note, never shown to the partner);
 * `partnerReason`, optional, is what the partner reads on their report page and list
 * (report_events.partner_note).
 */

export type DecisionDone = {
  reportId: number;
  status: ReportAccessRow['status'];
  /** The report's version after the decision. */
  version: number;
  eventId: number;
};

function eventNote(decision: DecisionInput): string | null {
  switch (decision.action) {
    case 'request_changes':
      return decision.message;
    case 'verify':
      return gradeText(decision);
    case 'reject':
      return decision.reason;
    case 'reopen':
      return decision.note || null;
    default:
      return null;
  }
}

/**
 * Apply one decision to a loaded report inside the caller's transaction: the transition
 * (lib/lifecycle/transition.ts: workflow check, status, claim, version bump, event row), the grade
 * columns for verify, and for request_changes the message to the partner (lib/messages/thread.ts,
 * nested in this transaction so both commit or neither).
 */
function applyDecisionInTx(
  tx: Tx,
  { actor, report, decision, now }: { actor: Actor; report: ReportAccessRow; decision: DecisionInput; now: Date },
): DecisionDone | ReviewFailure {
  const set: Partial<typeof reports.$inferInsert> =
    decision.action === 'verify'
      ? { sourceReliability: decision.sourceReliability, informationCredibility: decision.informationCredibility, gradeNote: decision.gradeNote || null }
      : {};
  const holdsBefore = decision.action === 'claim' || decision.action === 'release' ? holderOf(tx, report.id) : null;
  const partnerNote = decision.action === 'reject' ? decision.partnerReason || null : null;
  const done = applyTransition(tx, { actor, report, action: decision.action, set, note: eventNote(decision), partnerNote, now });
  if (!done.ok) return refuse(done.code, done.messageKey);
  // Claiming and releasing hand the report over: audited as assignments (issue 19 item 3).
  if (decision.action === 'claim' && holdsBefore !== actor.id) auditAssignment(tx, { actor, reportId: report.id, fromId: holdsBefore, toId: actor.id, via: 'claim' });
  if (decision.action === 'release' && holdsBefore !== null) auditAssignment(tx, { actor, reportId: report.id, fromId: holdsBefore, toId: null, via: 'release' });

  if (decision.action === 'request_changes') {
    const posted = postMessage({ actor, reportId: report.id, input: { body: decision.message } });
    // The message was validated with the same limits above; a refusal here is a bug: roll back.
    if (!posted.ok) throw new Error(`request_changes message refused: ${posted.messageKey}`);
  }
  return { reportId: report.id, status: done.status, version: done.version, eventId: done.eventId };
}

/**
 * One editor decision on one report (the review page's action forms).
 *
 * @param reportId the report (form text or number)
 * @param version the report's version when the editor's page was rendered
 * @param input `{ action, … }` as {@link decisionSchema}: claim | release | request_changes
 *   (message) | verify (sourceReliability A–F, informationCredibility 1–6, gradeNote) | reject
 *   (reason: internal, required; partnerReason: shown to the partner, optional) | reopen (note)
 * @returns `{ ok: true, reportId, status, version, eventId }`, or a refusal that changed nothing:
 *   forbidden (not an editor/admin), invalid_input (fieldErrors: review.errors.invalidGrade,
 *   reasonRequired, messageRequired, textTooLong), not_found (unknown id or a draft), stale
 *   (review.errors.staleVersion), invalid_transition (review.errors.invalidTransition.<action>).
 */
export function decideReport({
  actor,
  reportId,
  version,
  input,
}: {
  actor: Actor;
  reportId: unknown;
  version: unknown;
  input: unknown;
}): ReviewResult<DecisionDone> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  if (!id.success) return { ...NOT_FOUND };
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) {
    const { messageKey, fieldErrors } = collectReviewErrors(parsed.error.issues);
    return refuse('invalid_input', messageKey, fieldErrors);
  }
  const ref = reportRefSchema.safeParse({ reportId: id.data, version });
  if (!ref.success) {
    // A missing or malformed version cannot match: treat like a stale page, after the existence check.
    return findReportForActor({ actor, reportId: id.data }) ? { ...STALE } : { ...NOT_FOUND };
  }
  return writeTransaction((tx): ReviewResult<DecisionDone> => {
    const loaded = loadForEditorWrite(tx, { actor, reportId: ref.data.reportId, version: ref.data.version });
    if (!loaded.ok) return loaded;
    const done = applyDecisionInTx(tx, { actor, report: loaded.report, decision: parsed.data, now: new Date() });
    return 'ok' in done ? done : { ok: true, ...done };
  });
}

export type GradeDone = { reportId: number; version: number; eventId: number };

/**
 * Grade a report without verifying it (issue 19 item 6): the Admiralty grade and its note are
 * written to the report (version + 1, guarded by `version`), with a report_events row (action
 * GRADE_EVENT_ACTION, from = to = the status, note 'B2 — note') and an audit event
 * ('report_graded', ids and the grade letters only — never the note) in one transaction.
 * Verifying still requires its own grade (decisionSchema `verify`).
 *
 * @param input `{ sourceReliability: 'A'–'F', informationCredibility: '1'–'6', gradeNote? }`
 * @returns `{ ok: true, reportId, version, eventId }`, or a refusal that changed nothing:
 *   forbidden, not_found, invalid_input (review.errors.invalidGrade, textTooLong), stale,
 *   not_editable (review.errors.notGradeable: only in review, verified or published).
 */
export function gradeReport({ actor, reportId, version, input }: { actor: Actor; reportId: unknown; version: unknown; input: unknown }): ReviewResult<GradeDone> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const id = positiveInt('review.errors.notFound').safeParse(reportId);
  if (!id.success) return { ...NOT_FOUND };
  const parsed = gradeSchema.safeParse(input);
  if (!parsed.success) {
    const { messageKey, fieldErrors } = collectReviewErrors(parsed.error.issues);
    return refuse('invalid_input', messageKey, fieldErrors);
  }
  const ref = reportRefSchema.safeParse({ reportId: id.data, version });
  if (!ref.success) return findReportForActor({ actor, reportId: id.data }) ? { ...STALE } : { ...NOT_FOUND };
  const grade = parsed.data;
  return writeTransaction((tx): ReviewResult<GradeDone> => {
    const loaded = loadForEditorWrite(tx, { actor, reportId: ref.data.reportId, version: ref.data.version });
    if (!loaded.ok) return loaded;
    const { report } = loaded;
    if (!canGrade(report.status)) return refuse('not_editable', 'review.errors.notGradeable');
    const now = new Date();
    const nextVersion = bumpVersion(
      tx,
      report,
      { sourceReliability: grade.sourceReliability, informationCredibility: grade.informationCredibility, gradeNote: grade.gradeNote || null },
      now,
    );
    const [event] = tx
      .insert(reportEvents)
      .values({ reportId: report.id, actorId: actor.id, action: GRADE_EVENT_ACTION, fromStatus: report.status, toStatus: report.status, note: gradeText(grade), createdAt: now })
      .returning({ id: reportEvents.id })
      .all();
    if (!event) throw new Error('report event insert returned no row');
    recordAuditEvent(tx, {
      actorId: actor.id,
      kind: 'report_graded',
      detail: { reportId: report.id, sourceReliability: grade.sourceReliability, informationCredibility: grade.informationCredibility },
    });
    return { ok: true, reportId: report.id, version: nextVersion, eventId: event.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Bulk actions
// ---------------------------------------------------------------------------------------------

/** Why a report in a bulk action was left alone. */
export type BulkSkipReason = 'stale' | 'invalid_transition' | 'not_found';

export type BulkDone = {
  action: BulkAction;
  /** Reports the action was applied to (each has its own event row). */
  applied: number[];
  skipped: { reportId: number; reason: BulkSkipReason }[];
};

/**
 * Which reports a bulk action covers:
 * - `rows`: the queue rows the editor ticked, each as 'id:version' (the version the queue showed);
 * - `filter`: every report the filter matched when the editor confirmed — the confirmation form
 *   carries `maxId` and `asOf` from {@link snapshotQueueMatch} (lib/review/queue.ts). Reports with
 *   a larger id arrived later and are never touched; reports changed after `asOf` (updatedAt or a
 *   newer event) are skipped as stale, because the editor did not see them in that state.
 */
export type BulkSelection =
  | { kind: 'rows'; rows: unknown[] }
  | { kind: 'filter'; filters: QueueFilters; maxId: unknown; asOf: unknown };

/**
 * Apply claim, release or reject (with one reason) to many reports in one transaction, each with
 * its own event row. Reports whose state does not allow the action, or that changed since the
 * editor saw them, are skipped and listed.
 *
 * @param input `{ action: 'claim' | 'release' | 'reject', reason, partnerReason }` — reason (the
 *   editors' own) required for reject; partnerReason optional, what each partner reads (as for one report)
 * @returns `{ ok: true, action, applied, skipped }`, or forbidden / invalid_input (reasonRequired,
 *   unknownAction, invalidSelection, nothingSelected, tooManyReports) with nothing written.
 */
export function bulkDecide({ actor, input, selection }: { actor: Actor; input: unknown; selection: BulkSelection }): ReviewResult<BulkDone> {
  const refusal = refuseNonEditor(actor);
  if (refusal) return refusal;
  const parsed = bulkActionSchema.safeParse(input);
  if (!parsed.success) {
    const { messageKey, fieldErrors } = collectReviewErrors(parsed.error.issues);
    return refuse('invalid_input', messageKey, fieldErrors);
  }
  const { action, reason, partnerReason } = parsed.data;
  const decision: DecisionInput = action === 'reject' ? { action, reason, partnerReason } : { action };

  let wanted: Map<number, number | null>; // id → version the editor saw (null: check asOf instead)
  let asOf: number | null = null;
  let snapshot: { filters: QueueFilters; maxId: number } | null = null;
  if (selection.kind === 'rows') {
    wanted = new Map();
    for (const raw of selection.rows) {
      const row = selectedRowSchema.safeParse(raw);
      if (!row.success) return refuse('invalid_input', 'review.errors.invalidSelection', { reports: ['review.errors.invalidSelection'] });
      wanted.set(row.data.id, row.data.version);
    }
    if (wanted.size === 0) return refuse('invalid_input', 'review.errors.nothingSelected', { reports: ['review.errors.nothingSelected'] });
    if (wanted.size > BULK_MAX_REPORTS) return refuse('invalid_input', 'review.errors.tooManyReports');
  } else {
    const maxId = typeof selection.maxId === 'string' && /^\d{1,15}$/.test(selection.maxId) ? Number(selection.maxId) : selection.maxId;
    const at = typeof selection.asOf === 'string' && /^\d{1,15}$/.test(selection.asOf) ? Number(selection.asOf) : selection.asOf;
    if (typeof maxId !== 'number' || !Number.isSafeInteger(maxId) || maxId < 0 || typeof at !== 'number' || !Number.isSafeInteger(at) || at <= 0) {
      return refuse('invalid_input', 'review.errors.invalidSelection');
    }
    asOf = at;
    snapshot = { filters: selection.filters, maxId };
    wanted = new Map();
  }

  return writeTransaction((tx): ReviewResult<BulkDone> => {
    if (snapshot) {
      const ids = matchingReportIds(tx, { filters: snapshot.filters, actorId: actor.id, maxId: snapshot.maxId });
      if (ids.length > BULK_MAX_REPORTS) return refuse('invalid_input', 'review.errors.tooManyReports');
      for (const id of ids) wanted.set(id, null);
    }
    const changedSinceSnapshot = asOf === null ? new Set<number>() : changedAfter(tx, [...wanted.keys()], asOf);
    const now = new Date();
    const applied: number[] = [];
    const skipped: BulkDone['skipped'] = [];
    for (const [reportId, seenVersion] of wanted) {
      const report = findReportForActor({ actor, reportId, tx });
      if (!report) {
        skipped.push({ reportId, reason: 'not_found' });
        continue;
      }
      if ((seenVersion !== null && report.version !== seenVersion) || changedSinceSnapshot.has(reportId)) {
        skipped.push({ reportId, reason: 'stale' });
        continue;
      }
      const done = applyDecisionInTx(tx, { actor, report, decision, now });
      if ('ok' in done) skipped.push({ reportId, reason: done.code === 'stale' ? 'stale' : 'invalid_transition' });
      else applied.push(reportId);
    }
    return { ok: true, action, applied, skipped };
  });
}

/** Of `ids`, those changed after `asOf` (UTC ms): a newer updatedAt or a newer event row. */
function changedAfter(tx: Tx, ids: number[], asOf: number): Set<number> {
  const changed = new Set<number>();
  const asOfDate = new Date(asOf);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of tx.select({ id: reports.id }).from(reports).where(and(inArray(reports.id, chunk), gt(reports.updatedAt, asOfDate))).all()) {
      changed.add(r.id);
    }
    for (const r of tx
      .select({ id: reportEvents.reportId })
      .from(reportEvents)
      .where(and(inArray(reportEvents.reportId, chunk), sql`${reportEvents.createdAt} > ${asOf}`))
      .all()) {
      changed.add(r.id);
    }
  }
  return changed;
}
