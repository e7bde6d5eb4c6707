import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { preparedQueries, writeTransaction, type getDb, type Tx } from '@/db/client';
import { reportEvents, reportRevisions, reports, type ReportStatus } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import type { ReportAccessRow } from '@/lib/lifecycle/access';
import { applyTransition } from '@/lib/lifecycle/transition';
import { canPartnerEdit } from '@/lib/lifecycle/workflow';
import { enqueueWrite } from './commit-queue';
import { addReferenceErrors, hasReportErrors, reportContentColumns, writeReportRows, type StoredReportContent } from './content';
import { reportMessage } from './messages';
import { reportOutcome, reportRefusal, type AlreadyFiledRefusal, type FiledReport, type ReportWriteRefusal } from './outcomes';
import { isDeletedDraft } from './drafts';
import type { ReportErrors } from './form-values';
import { parseReportForSubmit, type ValidatedReport } from './validate';

export type SubmitReportResult =
  | {
      ok: true;
      reportId: number;
      /**
       * True when this post found the report already submitted by the same partner (a double click,
       * a retried or resent form): nothing was written and the answer is the first post's.
       */
      alreadySubmitted: boolean;
      /** UTC ms of the (first) submission. */
      submittedAt: number;
    }
  | AlreadyFiledRefusal
  | ReportWriteRefusal;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The clientId of posted values as the schema stores it (trimmed, lower-case), or null. */
function readClientId(values: unknown): string | null {
  if (typeof values !== 'object' || values === null || !Object.hasOwn(values, 'clientId')) return null;
  const raw = (values as { clientId: unknown }).clientId;
  if (typeof raw !== 'string') return null;
  const clientId = raw.trim().toLowerCase();
  return UUID_PATTERN.test(clientId) ? clientId : null;
}

function invalid(errors: Pick<ReportErrors, 'fieldErrors' | 'formErrors'>, timeOptions: ReportWriteRefusal['timeOptions'] = {}): ReportWriteRefusal {
  return {
    ok: false,
    code: 'invalid',
    messageKey: errors.formErrors[0] ?? reportMessage('fixFields'),
    fieldErrors: errors.fieldErrors,
    formErrors: errors.formErrors,
    timeOptions,
  };
}

/**
 * Submits a partner's report: draft → submitted, or changes_requested → submitted (the one
 * lifecycle write, lib/lifecycle/transition.ts applyTransition). In ONE write transaction: the report's
 * content and rows (replaced), the draft's typed values cleared (reports.draft_values), status, `version` + 1, `submittedAt`, a report_events row
 * (action 'submit') and a report_revisions row of kind 'submission' holding exactly what was
 * submitted as JSON (earlier submissions stay as they were; editors' edits are other revisions).
 * The database runs synchronous=FULL, so an `ok: true` answer is on disk.
 *
 * Idempotent by the form's client-generated `clientId` (reports.client_id UNIQUE): a post for a
 * report this partner has already filed (submitted, in review, rejected, published …) whose
 * content is exactly what was last submitted — a double click, a retry, five parallel identical
 * posts, a resent no-script form — writes nothing and answers `{ ok: true, reportId,
 * alreadySubmitted: true }` with the same id. The same post with OTHER content (the partner
 * changed the text in a tab opened before the report was filed, or after it was rejected) is not a
 * retry: it is refused with `code: 'notEditable'`, 'report.outcome.alreadyFiled' and `filed`
 * (what became of the report and when), so the form can say the changes were not sent and keep
 * them (docs/product.md "Nothing lost"). A report the form has never saved is created directly as
 * submitted.
 *
 * Refusals (nothing written): not a partner → 'forbidden'; unknown fields or fields a partner may
 * not set (`status`, `authorId`, `id`, …) → 'invalid' with 'report.errors.fieldNotAllowed' /
 * 'unknownField' (checked first, so such a post is never answered "ok"); another partner's
 * clientId → 'notFound'; anything validate.ts refuses (required parts, limits, enums, instants in
 * a clock gap or ambiguous without a choice, in the future, `to` before `from`) or an unknown or
 * retired place, goods category or agency → 'invalid' with every message beside its field.
 *
 * @param values the form's values (ReportFormValues, from the client or parseReportFormData).
 * @param now UTC ms used for "not in the future" and the timestamps (default: the clock).
 */
export function submitReport({ actor, values, now = Date.now() }: { actor: Actor; values: unknown; now?: number }): SubmitReportResult {
  const prepared = prepareSubmission({ actor, values, now });
  return 'write' in prepared ? writeTransaction(prepared.write) : prepared;
}

/**
 * The same as {@link submitReport}, answered asynchronously: the write joins the next group
 * commit (lib/reports/commit-queue.ts) — one transaction and one fsync for every submission that
 * arrives within a few milliseconds, each in its own savepoint — and the promise resolves only
 * after that transaction has committed (synchronous=FULL), so an `ok: true` answer is on disk.
 * Answers, refusals and idempotency are exactly submitReport's (duplicates in one batch included:
 * the later one sees the earlier one's clientId). Rejects only when SQLite fails (the report form
 * then shows Next's error page, as a thrown submitReport would). Used by the report form's Server
 * Action, where many partners post at once.
 */
export async function submitReportGrouped({ actor, values, now = Date.now() }: { actor: Actor; values: unknown; now?: number }): Promise<SubmitReportResult> {
  const prepared = prepareSubmission({ actor, values, now });
  return 'write' in prepared ? enqueueWrite(prepared.write) : prepared;
}

/**
 * The checks that need no database (role, strictness, field validation) and the write to run in a
 * transaction, or the refusal.
 */
function prepareSubmission({ actor, values, now }: { actor: Actor; values: unknown; now: number }): SubmitReportResult | { write: (tx: Tx) => SubmitReportResult } {
  if (actor.role !== 'partner') return reportRefusal('forbidden');
  const parsed = parseReportForSubmit(values, now);
  if (!parsed.ok && parsed.formErrors.length > 0) return invalid(parsed, parsed.timeOptions);
  const clientId = readClientId(values);

  const write = (tx: Tx): SubmitReportResult => {
    const existing = clientId === null ? undefined : submitQueries(tx).reportOfClientId.get({ clientId });
    if (existing && existing.authorId !== actor.id) return reportRefusal('notFound');
    if (existing && !canPartnerEdit(existing.status)) {
      // Past draft means it was submitted before: a retry of that post gets the first post's answer;
      // other content is refused, never silently dropped behind an "ok".
      if (parsed.ok && isLastSubmission(tx, existing.id, contentOf(parsed.data))) {
        return { ok: true, reportId: existing.id, alreadySubmitted: true, submittedAt: existing.submittedAt?.getTime() ?? now };
      }
      return alreadyFiled(describeFiled(tx, existing));
    }
    if (!existing && clientId !== null && isDeletedDraft(tx, clientId)) return reportRefusal('notFound');
    if (!parsed.ok) return invalid(parsed, parsed.timeOptions);

    const content = contentOf(parsed.data);
    const errors: ReportErrors = { fieldErrors: {}, formErrors: [] };
    addReferenceErrors(tx, content, errors);
    if (hasReportErrors(errors)) return invalid(errors);

    // A report this post creates is inserted as a draft at version 0 and submitted by the same
    // transition as a saved draft (version 1 after it). The transition writes the status and the
    // content in one statement, then its event row; the report's rows follow.
    const report = existing ?? insertDraftForSubmission(tx, { actor, clientId: parsed.data.clientId, now });
    const step = applyTransition(tx, {
      actor,
      report,
      action: 'submit',
      set: { ...reportContentColumns(content), submittedAt: new Date(now), draftValues: null },
      now,
    });
    if (!step.ok) {
      // Unreachable for a report this post created (a partner's own draft): never leave it behind.
      if (!existing) throw new Error(`submit refused for a new report: ${step.code}`);
      return reportRefusal('notEditable');
    }
    const reportId = report.id;
    writeReportRows(tx, reportId, content, { replace: existing !== undefined });
    submitQueries(tx).submissionRevision.run({ reportId, actorId: actor.id, after: content, createdAt: new Date(now) });
    return { ok: true, reportId, alreadySubmitted: false, submittedAt: now };
  };
  return { write };
}

/**
 * The submission's fixed-shape reads and writes as drizzle prepared queries, once per connection
 * (issue 20, budget 1a: drizzle otherwise builds each query's SQL on every call). They run in the
 * group commit's transaction, on the same connection.
 */
const submitQueries = preparedQueries((db) => ({
  reportOfClientId: db
    .select({ id: reports.id, authorId: reports.authorId, status: reports.status, version: reports.version, submittedAt: reports.submittedAt })
    .from(reports)
    .where(eq(reports.clientId, sql.placeholder('clientId')))
    .prepare(),
  submissionRevision: db
    .insert(reportRevisions)
    .values({
      reportId: sql.placeholder('reportId'),
      actorId: sql.placeholder('actorId'),
      kind: 'submission',
      before: sql`null`,
      after: sql.placeholder('after'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare(),
}));

/** A new report row for a first post that submits at once: an empty draft at version 0 (see above). */
function insertDraftForSubmission(tx: Tx, { actor, clientId, now }: { actor: Actor; clientId: string; now: number }): ReportAccessRow {
  const [row] = tx
    .insert(reports)
    .values({ clientId, authorId: actor.id, status: 'draft', version: 0, createdAt: new Date(now), updatedAt: new Date(now) })
    .returning({ id: reports.id, authorId: reports.authorId, status: reports.status, version: reports.version })
    .all();
  if (!row) throw new Error('report insert returned no row');
  return row;
}

/** The stored content of validated values (what a submission revision holds: no clientId). */
/** A transaction, or the connection for a read outside one. */
type Db = Tx | ReturnType<typeof getDb>;

function contentOf(data: ValidatedReport): StoredReportContent {
  const { clientId: _clientId, vehicles, goods, agencies, ...scalars } = data;
  return { ...scalars, vehicles: [...vehicles], goods: [...goods], agencies: [...agencies] };
}

/** JSON of a value with object keys sorted and undefined members dropped (as the JSON column keeps it). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * True when `content` is exactly the report's latest submission revision (what the partner last
 * submitted; editors' edits are other revisions and do not count).
 */
export function isLastSubmission(tx: Db, reportId: number, content: StoredReportContent): boolean {
  const last = tx
    .select({ after: reportRevisions.after })
    .from(reportRevisions)
    .where(and(eq(reportRevisions.reportId, reportId), eq(reportRevisions.kind, 'submission')))
    .orderBy(desc(reportRevisions.id))
    .limit(1)
    .get();
  return last !== undefined && canonicalJson(last.after) === canonicalJson(JSON.parse(JSON.stringify(content)));
}

/**
 * True when `values` (the form's values, as posted) are what the report last submitted: the same
 * check a resent Submit gets, for lib/reports/fate.ts. Unreadable values are never the same.
 */
export function isSameAsLastSubmission(tx: Db, reportId: number, values: unknown, now: number): boolean {
  const parsed = parseReportForSubmit(values, now);
  return parsed.ok && isLastSubmission(tx, reportId, contentOf(parsed.data));
}

/**
 * What became of a filed report, for the partner's message: its status and when it reached it
 * (the newest workflow event into that status; else the last update).
 */
export function describeFiled(tx: Db, report: { id: number; status: ReportStatus; submittedAt: Date | null }): FiledReport {
  const event = tx
    .select({ at: reportEvents.createdAt })
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, report.id), eq(reportEvents.toStatus, report.status)))
    .orderBy(desc(reportEvents.id))
    .limit(1)
    .get();
  const submittedAt = report.submittedAt?.getTime() ?? null;
  return { reportId: report.id, status: report.status, at: event?.at.getTime() ?? submittedAt ?? 0, submittedAt };
}

function alreadyFiled(filed: FiledReport): AlreadyFiledRefusal {
  const messageKey = reportOutcome('alreadyFiled');
  return { ok: false, code: 'notEditable', messageKey, fieldErrors: {}, formErrors: [messageKey], timeOptions: {}, filed };
}
