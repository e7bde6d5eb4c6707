'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { applyRowIntent, parseReportFormData, rowErrorsAsPosted, withoutEmptyRows } from '@/lib/reports/form-data';
import type { ReportFormValues } from '@/lib/reports/form-values';
import { assignReport } from '@/lib/review/assignment';
import { isConfirmed } from '@/lib/confirmation';
import { decideReport, gradeReport } from '@/lib/review/decisions';
import { editReport } from '@/lib/review/edits';
import { linkReports, unlinkReports } from '@/lib/review/links';
import { postEditorMessage } from '@/lib/review/notes';
import type { ReviewFailure } from '@/lib/review/result';
import { nextInQueue } from '@/lib/review/queue-next';
import { collectReviewErrors, decisionSchema, formFields, parseQueueContext, QUEUE_CONTEXT_FIELD, reviewHref } from '@/lib/review/schema';
import type { Actor } from '@/lib/accounts/actor';
import type { EditorFormState, EditReportFormState } from '../../_components/form-state';
import { areaStateAction } from '@/lib/http/area-action';
import { emptyReportValues } from '@/lib/reports/form-values';

/**
 * Server Actions of the review page. Each is a public POST endpoint: it checks the caller
 * (areaStateAction: anonymous → sign-in, partner → 403), then hands the form to the review data layer,
 * which validates with zod, checks the report and its version, and writes in one transaction.
 * Success redirects to the review page (fresh version); a refusal returns the form's state with
 * everything the editor typed. A stale refusal (another editor changed the report since the page
 * was opened) also revalidates the page, so it shows the report as it is now while the form keeps
 * what was typed beside it (issue 19 item 7), with scripts on and off.
 */

const ID_FIELDS = new Set(['reportId', 'version', QUEUE_CONTEXT_FIELD, 'then']);

/** The answers to a call our pages never make (lib/http/server-action.ts). */
const REFUSED: EditorFormState = { ok: false, code: 'invalid_input', messageKey: 'review.errors.invalidInput', values: {}, attempt: 0 };
const REFUSED_EDIT: EditReportFormState = { ...REFUSED, values: emptyReportValues('') };

function typedValues(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !ID_FIELDS.has(name)));
}

function refused(prev: { attempt: number }, result: ReviewFailure, fields: Record<string, string>): EditorFormState {
  const isStale = result.code === 'stale';
  if (isStale) revalidatePath('/editor', 'layout');
  return {
    ok: false,
    code: result.code,
    messageKey: isStale ? 'review.errors.staleKept' : result.messageKey,
    fieldErrors: result.fieldErrors,
    values: typedValues(fields),
    attempt: prev.attempt + 1,
  };
}

/**
 * The review page after a change, with its notice (`done`) and the queue it was opened from (the
 * form's `queue` field, read again as the queue reads its URL: nothing unchecked goes back out).
 */
function reviewPath(reportId: number | string, done: string, fields: Record<string, string> = {}): string {
  const id = Number(reportId);
  if (!Number.isSafeInteger(id) || id <= 0) return '/editor';
  return reviewHref(id, parseQueueContext(new URLSearchParams(fields[QUEUE_CONTEXT_FIELD] ?? '')), { done });
}

/**
 * After a decision with "… and next" (`then=next`, issue 19 item 12): the next report of the same
 * queue, with a notice naming the one just decided; when there is none, the decided report's own
 * page saying it was the last.
 */
function afterDecision(actor: Actor, reportId: number, done: string, fields: Record<string, string>): string {
  if (fields.then !== 'next') return reviewPath(reportId, done, fields);
  const context = parseQueueContext(new URLSearchParams(fields[QUEUE_CONTEXT_FIELD] ?? ''));
  const result = nextInQueue({ actor, reportId, context });
  if (!result.ok || !result.next) return reviewHref(reportId, context, { done, last: '1' });
  return reviewHref(result.next.id, { filters: context.filters, at: result.next.at }, { done, decided: String(reportId) });
}

/**
 * A workflow decision (claim, release, request changes, verify, reject, reopen) on one report.
 * Reject cannot be undone by the editor who pressed it (the partner is told at once): its form
 * must carry the ticked confirmation (lib/confirmation.ts), else nothing happens.
 */
export const decideAction = areaStateAction<EditorFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<EditorFormState> => {
  const fields = formFields(formData);
  if (fields.action === 'reject' && !isConfirmed(fields)) {
    // Also say what else is missing (the reason), so one more post is enough.
    const parsed = decisionSchema.safeParse(fields);
    const other = parsed.success ? {} : (collectReviewErrors(parsed.error.issues).fieldErrors ?? {});
    const fieldErrors = { ...other, confirm: ['review.errors.confirmRequired'] };
    return refused(prev, { ok: false, code: 'invalid_input', messageKey: 'review.errors.confirmRequired', fieldErrors }, fields);
  }
  const result = decideReport({ actor, reportId: fields.reportId, version: fields.version, input: fields });
  if (!result.ok) return refused(prev, result, fields);
  revalidatePath('/editor', 'layout');
  redirect(afterDecision(actor, result.reportId, fields.action ?? '', fields));
});

/**
 * Assign the report (`assignee`: 'me', 'nobody' or a colleague's account id) — issue 19 item 3.
 * Partners get 403 (areaStateAction); the data layer checks the colleague and audits it.
 */
export const assignAction = areaStateAction<EditorFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<EditorFormState> => {
  const fields = formFields(formData);
  const result = assignReport({ actor, reportId: fields.reportId, version: fields.version, assignee: fields.assignee });
  if (!result.ok) return refused(prev, result, fields);
  revalidatePath('/editor', 'layout');
  redirect(reviewPath(result.reportId, 'assign', fields));
});

/** Grade a report (source reliability, information credibility, note) without verifying it. */
export const gradeAction = areaStateAction<EditorFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<EditorFormState> => {
  const fields = formFields(formData);
  const result = gradeReport({ actor, reportId: fields.reportId, version: fields.version, input: fields });
  if (!result.ok) return refused(prev, result, fields);
  revalidatePath('/editor', 'layout');
  redirect(reviewPath(result.reportId, 'grade', fields));
});

/** An internal note (`kind=note`) or a message to the partner (`kind=message`). */
export const postToThreadAction = areaStateAction<EditorFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<EditorFormState> => {
  const fields = formFields(formData);
  const isInternal = fields.kind !== 'message';
  const result = postEditorMessage({ actor, reportId: fields.reportId, version: fields.version, body: fields.body, isInternal });
  if (!result.ok) {
    const fieldErrors = result.fieldErrors ?? (result.code === 'invalid_input' ? { body: [result.messageKey] } : undefined);
    return refused(prev, { ...result, fieldErrors }, fields);
  }
  revalidatePath('/editor', 'layout');
  redirect(reviewPath(fields.reportId ?? '', isInternal ? 'note' : 'message', fields));
});

/** Link this report to another as corroborating or contradicting. */
export const linkAction = areaStateAction<EditorFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<EditorFormState> => {
  const fields = formFields(formData);
  const result = linkReports({ actor, reportId: fields.reportId, version: fields.version, input: fields });
  if (!result.ok) return refused(prev, result, fields);
  revalidatePath('/editor', 'layout');
  redirect(reviewPath(fields.reportId ?? '', 'link', fields));
});

/** Remove a corroboration link shown on this report's page. */
export const unlinkAction = areaStateAction<EditorFormState>('editor', { refused: REFUSED }, async ({ actor, previous: prev, formData }): Promise<EditorFormState> => {
  const fields = formFields(formData);
  const result = unlinkReports({ actor, reportId: fields.reportId, version: fields.version, linkId: fields.linkId });
  if (!result.ok) return refused(prev, result, fields);
  revalidatePath('/editor', 'layout');
  redirect(reviewPath(fields.reportId ?? '', 'unlink', fields));
});

/**
 * Save an editor's correction (the edit page's form; field names as lib/reports/form-data.ts).
 * Add/remove-row buttons round-trip without saving, so the form works with scripts off.
 */
export const editAction = areaStateAction<EditReportFormState>('editor', { refused: REFUSED_EDIT }, async ({ actor, previous: prev, formData }): Promise<EditReportFormState> => {
  const reportId = formData.get('reportId');
  const version = formData.get('version');
  const reportForm = new FormData();
  for (const [name, value] of formData.entries()) {
    if (!ID_FIELDS.has(name)) reportForm.append(name, value);
  }
  const parsed = parseReportFormData(reportForm);
  const base = { attempt: prev.attempt + 1, values: parsed.values };
  if (!parsed.ok) {
    return { ...base, ok: false, messageKey: parsed.message, fieldErrors: parsed.fieldErrors, formErrors: parsed.formErrors };
  }
  if (parsed.intent.kind === 'add-row' || parsed.intent.kind === 'remove-row') {
    const { values, error } = applyRowIntent(parsed.values, parsed.intent);
    return { ...base, ok: false, values: values satisfies ReportFormValues, messageKey: error ?? undefined, fieldErrors: {}, formErrors: error ? [error] : [] };
  }
  // Rows added but never filled in are not saved; messages go beside the rows as numbered on the page.
  const { values: toSave, positions } = withoutEmptyRows(parsed.values, parsed.emptyRows);
  const result = editReport({ actor, reportId, version, values: toSave });
  if (!result.ok) {
    const { form: formErrors = [], ...fieldErrors } = result.fieldErrors ?? {};
    // A conflict keeps what was typed (base.values) beside the fresh version and its diff.
    const conflict = 'conflict' in result ? result.conflict : undefined;
    if (conflict) revalidatePath('/editor', 'layout');
    return { ...base, ok: false, code: result.code, messageKey: result.messageKey, fieldErrors: rowErrorsAsPosted(fieldErrors, positions), formErrors, conflict };
  }
  revalidatePath('/editor', 'layout');
  redirect(reviewPath(result.reportId, result.revisionId === null ? 'noChange' : 'edit'));
});
