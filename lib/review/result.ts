/**
 * The result shape of the review data layer (docs/style.md habit 4): `{ ok: true, … }` or a refusal
 * (lib/refusal.ts `Refusal`) with a typed code and an i18n message key of the `review` namespace.
 * Pure module.
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
import { refuse, type Outcome, type Refusal } from '@/lib/refusal';

export type ReviewErrorCode = 'forbidden' | 'not_found' | 'stale' | 'invalid_transition' | 'invalid_input' | 'not_editable' | 'conflict';

/** A refusal of the review room (lib/refusal.ts): `messageKey` e.g. 'review.errors.staleVersion'. */
export type ReviewFailure = Refusal<ReviewErrorCode>;

export type ReviewResult<T extends object = object> = Outcome<T, ReviewErrorCode>;

export const STALE: ReviewFailure = refuse('stale', 'review.errors.staleVersion');
export const NOT_FOUND: ReviewFailure = refuse('not_found', 'review.errors.notFound');
export const FORBIDDEN: ReviewFailure = refuse('forbidden', 'review.errors.editorsOnly');
