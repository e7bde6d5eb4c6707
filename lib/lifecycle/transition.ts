import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { preparedQueries, type Queryable, type Tx } from '@/db/client';
import { reportEvents, reports, type ReportStatus } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { refuse, type Outcome } from '@/lib/refusal';
import type { ReportAccessRow } from './access';
import { claimEffectOf, isResubmission } from './assignment';
import { applyAction, WORKFLOW_ACTIONS, type HistoryOnlyAction, type ReviewMessageKey, type WorkflowAction, type WorkflowRefusalCode } from './workflow';

/**
 * The one write of a report's lifecycle (docs/style.md habit 5: one pure workflow function, one
 * data-layer function that applies it in a transaction with its event row). Used by the partner's
 * submission (lib/reports/submit.ts), editors' decisions (lib/review/decisions.ts), publishing and
 * retraction (lib/publishing/publish.ts), and the photo events of lib/photos/photos.ts.
 */

/** What the report looked like when it was read in this transaction (lib/lifecycle/access.ts). */
export type TransitionReport = ReportAccessRow;

/** A transition applied: the report's status and version after it, and its report_events row. */
export type TransitionDone = { status: ReportStatus; version: number; eventId: number };

/**
 * Inside the caller's write transaction, apply `action` to `report` and append its report_events
 * row (actor, action, from status, to status, note, `now`).
 *
 * - A workflow action (WORKFLOW_ACTIONS): decided by `applyAction` (lib/lifecycle/workflow.ts;
 *   `isAuthor` = the actor wrote the report). Refused → `{ ok: false, code: 'forbidden' |
 *   'invalid_transition', messageKey }` (review.errors.*) and NOTHING is written: call it before the
 *   transaction's other writes, so a refusal leaves nothing behind. Allowed → one UPDATE of the
 *   report: the new status, the claim (assignment.ts `claimEffectOf`: `claim` → the actor at
 *   `now`, `release` → nobody, any other step keeps the assigned editor), the unread signal for
 *   that editor on the partner's resubmission (`assigneeUnreadAt` = `now`), the other
 *   columns in `set` (content, grade, submittedAt, …), `version` + 1 and `updatedAt` = `now`,
 *   guarded by the version read in this transaction
 *   (defence in depth: BEGIN IMMEDIATE already serialises writers; docs/product.md "Workflow").
 *   No row matched → throws, which rolls the transaction back.
 * - A history-only action (HISTORY_ONLY_ACTIONS: photo changes after submission): only the event
 *   row, with from = to = the report's status; the report itself, its version included, is not
 *   touched (an open editor's page does not go stale for a photo caption). `set` must be absent.
 *
 * A report created by its own transition (a first post that submits at once) is inserted by the
 * caller as a draft at version 0 and passed here as such: after the transition it is at version 1,
 * like a report created by its first draft save.
 *
 * @param now the instant of the change (Date or UTC ms): `updatedAt` and the event's `createdAt`
 * @returns `{ ok: true, status, version, eventId }` or the workflow's refusal (nothing written)
 */
export function applyTransition(
  tx: Tx,
  {
    actor,
    report,
    action,
    set,
    note = null,
    partnerNote = null,
    now,
  }: {
    actor: Actor;
    report: TransitionReport;
    action: WorkflowAction | HistoryOnlyAction;
    set?: Partial<typeof reports.$inferInsert>;
    note?: string | null;
    /** What the partner is told with this step (a rejection's reason for them); `note` stays the editors'. */
    partnerNote?: string | null;
    now: Date | number;
  },
): Outcome<TransitionDone, WorkflowRefusalCode, ReviewMessageKey> {
  const at = new Date(now);
  let status = report.status;
  let version = report.version;
  if (isWorkflowAction(action)) {
    const step = applyAction({ status: report.status, role: actor.role, action, isAuthor: report.authorId === actor.id });
    if (!step.ok) return refuse(step.code, step.messageKey);
    status = step.next;
    const effect = claimEffectOf(action);
    const claim = effect === 'actor' ? { claimedBy: actor.id, claimedAt: at } : effect === 'clear' ? { claimedBy: null, claimedAt: null } : {};
    // The partner's resubmission is news for the editor who holds the report (assignment.ts).
    const signal = isResubmission(action, report.status) ? { assigneeUnreadAt: at } : {};
    version = bumpVersion(tx, report, { ...set, ...claim, ...signal, status }, at);
  } else if (set !== undefined) {
    throw new Error(`history-only action ${action} cannot change the report`);
  }
  const [event] = preparedWrites(tx).event.all({
    reportId: report.id,
    actorId: actor.id,
    action,
    fromStatus: report.status,
    toStatus: status,
    note: note ?? null,
    partnerNote: partnerNote ?? null,
    createdAt: at,
  });
  if (!event) throw new Error('report event insert returned no row');
  return { ok: true, status, version, eventId: event.id };
}

/**
 * Inside a write transaction: update the report's columns in `set`, `version` + 1 and `updatedAt`
 * = `now`, guarded by the version read in the same transaction. The write under every transition,
 * and alone for the writes that change a report without a workflow step (editors' edits and
 * corroboration links, lib/review/). Throws if no row matched, which rolls the transaction back.
 * @returns the new version
 */
export function bumpVersion(tx: Tx, report: Pick<TransitionReport, 'id' | 'version'>, set: Partial<typeof reports.$inferInsert>, now: Date | number): number {
  const next = report.version + 1;
  // drizzle leaves out the columns whose value is undefined; so does the prepared update's shape.
  // (`set` holds plain values by its type, never SQL expressions: every one can be a placeholder.)
  const values: Record<string, unknown> = {};
  for (const [column, value] of Object.entries({ ...set, version: next, updatedAt: new Date(now) })) if (value !== undefined) values[column] = value;
  // A null is written as NULL in the statement's text: a placeholder's value goes through the
  // column's mapping, which a timestamp column cannot apply to null (drizzle skips it for nulls).
  const columns = Object.keys(values).map((column) => (values[column] === null ? `${column}${NULL_SUFFIX}` : column));
  const result = preparedWrites(tx)
    .update(columns)
    .run({ ...values, [ID_PLACEHOLDER]: report.id, [VERSION_PLACEHOLDER]: report.version });
  if (result.changes !== 1) throw new Error(`report ${report.id} changed inside its own write transaction`);
  return next;
}

/** Placeholder names of the prepared update's WHERE (never a column's key in `reports`). */
const ID_PLACEHOLDER = '$id';
const VERSION_PLACEHOLDER = '$version';
/** Marks a column of the prepared update that is set to NULL (written in the SQL, no placeholder). */
const NULL_SUFFIX = '=null';

/**
 * A transition's writes as drizzle prepared queries, per connection (issue 20, budget 1a): drizzle
 * builds a query's SQL from its parts on every call, and the report's UPDATE (a dozen content
 * columns on a submit) and the event's INSERT were among the largest parts of that work in a
 * submission's CPU profile. The UPDATE is prepared once per set of columns (a handful of shapes:
 * each caller sets the same columns every time); its values pass through the columns' mapping as
 * before. They run on the caller's transaction's connection, inside that transaction.
 */
function prepareWrites(db: Queryable) {
  const event = db
    .insert(reportEvents)
    .values({
      reportId: sql.placeholder('reportId'),
      actorId: sql.placeholder('actorId'),
      action: sql.placeholder('action'),
      fromStatus: sql.placeholder('fromStatus'),
      toStatus: sql.placeholder('toStatus'),
      note: sql.placeholder('note'),
      partnerNote: sql.placeholder('partnerNote'),
      createdAt: sql.placeholder('createdAt'),
    })
    .returning({ id: reportEvents.id })
    .prepare();
  const updates = new Map<string, ReturnType<typeof prepareUpdate>>();
  const prepareUpdate = (columns: readonly string[]) =>
    db
      .update(reports)
      .set(
        Object.fromEntries(
          columns.map((column) => (column.endsWith(NULL_SUFFIX) ? [column.slice(0, -NULL_SUFFIX.length), sql`null`] : [column, sql.placeholder(column)])),
        ) as Partial<typeof reports.$inferInsert>,
      )
      .where(and(eq(reports.id, sql.placeholder(ID_PLACEHOLDER)), eq(reports.version, sql.placeholder(VERSION_PLACEHOLDER))))
      .prepare();
  return {
    event,
    /**
     * The UPDATE of these columns (keys of `reports.$inferInsert`; with NULL_SUFFIX: set to NULL),
     * guarded by id and version.
     */
    update(columns: readonly string[]) {
      const key = columns.join(',');
      let prepared = updates.get(key);
      if (!prepared) {
        prepared = prepareUpdate(columns);
        updates.set(key, prepared);
      }
      return prepared;
    },
  };
}

const preparedWrites = preparedQueries(prepareWrites);

function isWorkflowAction(action: string): action is WorkflowAction {
  return (WORKFLOW_ACTIONS as readonly string[]).includes(action);
}
