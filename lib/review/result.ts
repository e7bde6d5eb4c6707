/**
 * The result shape of the review data layer (docs/style.md habit 4): `{ ok: true, … }` or a refusal
 * with a typed code and an i18n message key of the `review` namespace. Pure module.
 *
 * Codes and how pages answer them:
 * - `forbidden`          the caller is not an editor or admin (403);
 * - `not_found`          no such report, or a draft (404 / "There is no such report.");
 * - `stale`              the report's version is not the one the editor's page showed: nothing was
 *                        written; the editor must reload (docs/product.md "Two editors acting…");
 * - `invalid_transition` the workflow (lib/lifecycle/workflow.ts) does not allow the action from this status;
 * - `invalid_input`      the form failed validation (`fieldErrors` beside each field);
 * - `not_editable`       editor edits are allowed only on reports in review, verified or published;
 * - `conflict`           e.g. a corroboration link that already exists.
 */
import type { ReviewMessageKey } from '@/lib/lifecycle/workflow';

export type ReviewErrorCode = 'forbidden' | 'not_found' | 'stale' | 'invalid_transition' | 'invalid_input' | 'not_editable' | 'conflict';

export type ReviewFailure = {
  ok: false;
  code: ReviewErrorCode;
  /** i18n key, e.g. 'review.errors.staleVersion'. */
  messageKey: string;
  /** Field name → message keys (form fields of the review page). */
  fieldErrors?: Record<string, string[]>;
};

export type ReviewResult<T extends object = object> = ({ ok: true } & T) | ReviewFailure;

/** Build a refusal. */
export function refuse(code: ReviewErrorCode, messageKey: ReviewMessageKey | string, fieldErrors?: Record<string, string[]>): ReviewFailure {
  return fieldErrors ? { ok: false, code, messageKey, fieldErrors } : { ok: false, code, messageKey };
}

export const STALE: ReviewFailure = { ok: false, code: 'stale', messageKey: 'review.errors.staleVersion' };
export const NOT_FOUND: ReviewFailure = { ok: false, code: 'not_found', messageKey: 'review.errors.notFound' };
export const FORBIDDEN: ReviewFailure = { ok: false, code: 'forbidden', messageKey: 'review.errors.editorsOnly' };
