import 'server-only';
import { eq } from 'drizzle-orm';
import { writeTransaction, type Tx } from '@/db/client';
import { reportRevisions, reports } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import type { ReportAccessRow } from '@/lib/lifecycle/access';
import { applyTransition } from '@/lib/lifecycle/transition';
import { canPartnerEdit } from '@/lib/lifecycle/workflow';
import { enqueueWrite } from './commit-queue';
import { addReferenceErrors, hasReportErrors, reportContentColumns, writeReportRows, type StoredReportContent } from './content';
import { reportMessage } from './messages';
import { reportRefusal, type ReportWriteRefusal } from './outcomes';
import { isDeletedDraft } from './drafts';
import type { ReportErrors } from './form-values';
import { parseReportForSubmit } from './validate';

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
 * report this partner has already submitted — a double click, a retry, five parallel identical
 * posts, a resent no-script form — writes nothing and answers `{ ok: true, reportId,
 * alreadySubmitted: true }` with the same id, whatever the body says (after the strictness check
 * below). A report the form has never saved is created directly as submitted.
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
    const existing =
      clientId === null
        ? undefined
        : tx
            .select({ id: reports.id, authorId: reports.authorId, status: reports.status, version: reports.version, submittedAt: reports.submittedAt })
            .from(reports)
            .where(eq(reports.clientId, clientId))
            .get();
    if (existing && existing.authorId !== actor.id) return reportRefusal('notFound');
    if (existing && !canPartnerEdit(existing.status)) {
      // Past draft means it was submitted before: the retry gets the first post's answer.
      return { ok: true, reportId: existing.id, alreadySubmitted: true, submittedAt: existing.submittedAt?.getTime() ?? now };
    }
    if (!existing && clientId !== null && isDeletedDraft(tx, clientId)) return reportRefusal('notFound');
    if (!parsed.ok) return invalid(parsed, parsed.timeOptions);

    const { clientId: parsedClientId, vehicles, goods, agencies, ...scalars } = parsed.data;
    const content: StoredReportContent = { ...scalars, vehicles: [...vehicles], goods: [...goods], agencies: [...agencies] };
    const errors: ReportErrors = { fieldErrors: {}, formErrors: [] };
    addReferenceErrors(tx, content, errors);
    if (hasReportErrors(errors)) return invalid(errors);

    // A report this post creates is inserted as a draft at version 0 and submitted by the same
    // transition as a saved draft (version 1 after it). The transition writes the status and the
    // content in one statement, then its event row; the report's rows follow.
    const report = existing ?? insertDraftForSubmission(tx, { actor, clientId: parsedClientId, now });
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
    tx.insert(reportRevisions)
      .values({ reportId, actorId: actor.id, kind: 'submission', before: null, after: content, createdAt: new Date(now) })
      .run();
    return { ok: true, reportId, alreadySubmitted: false, submittedAt: now };
  };
  return { write };
}

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
