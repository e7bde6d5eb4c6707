/**
 * Who holds a report at the editors' desk (issue 19 "Own and hand over"), as pure rules beside the
 * workflow (workflow.ts). No database, no clock: safe in a client component.
 *
 * `reports.claimedBy` is the report's assigned editor. It is set by `claim` (the editor who
 * claims) and by an assignment (lib/review/assignment.ts), cleared by `release` (back to the
 * queue) and kept by every other step — so a claim survives "request changes": the partner's
 * resubmission (changes_requested → submitted) returns to the same editor, marked unread for
 * them, and so does a partner's reply after a rejection or a publication.
 *
 * Who may be assigned: an editor or admin whose account is active (docs/product.md "Roles": the
 * moderation queue and review are theirs). Partners never; a deactivated colleague never.
 */
import type { AccountStatus, ReportStatus, Role } from '@/db/schema';
import { canUseArea } from '@/lib/auth/roles';
import { refuse, type Outcome } from '@/lib/refusal';
import type { WorkflowAction } from './workflow';

/** What a workflow step does to the assigned editor: set to the actor, clear, or keep. */
export type ClaimEffect = 'actor' | 'clear' | 'keep';

/**
 * The claim after a workflow step: `claim` → the actor; `release` → nobody; every other step
 * keeps whoever holds the report (request changes, the partner's resubmission, verify, publish,
 * reject, reopen …).
 */
export function claimEffectOf(action: WorkflowAction): ClaimEffect {
  if (action === 'claim') return 'actor';
  if (action === 'release') return 'clear';
  return 'keep';
}

/**
 * Whether a step by the report's partner is news for the assigned editor: the resubmission of a
 * report sent back for changes (a reply in the thread is the other signal; lib/lifecycle/signals.ts).
 */
export function isResubmission(action: WorkflowAction, from: ReportStatus): boolean {
  return action === 'submit' && from === 'changes_requested';
}

/** A colleague as the assignment form lists them. */
export type AssignableAccount = { id: number; role: Role; status: AccountStatus };

/** i18n keys of the `review` namespace for an assignment refused. */
export type AssignmentRefusalKey =
  | 'review.errors.editorsOnly'
  | 'review.errors.assigneeNotEditor'
  | 'review.errors.assigneeDeactivated'
  | 'review.errors.alreadyAssigned'
  | 'review.errors.unassignInReview';

export type AssignmentDecision = Outcome<{ claimedBy: number | null }, 'forbidden' | 'invalid_input', AssignmentRefusalKey>;

/**
 * May an account of `actorRole` hand a report in `status`, now held by `currentId` (null:
 * nobody), to `assignee` (null: nobody)? Pure; the data layer loads the accounts and the report.
 *
 * - only editors and admins assign (`forbidden`, review.errors.editorsOnly);
 * - the assignee must be an editor or admin (assigneeNotEditor) with an active account
 *   (assigneeDeactivated);
 * - assigning the one who already holds it changes nothing and is refused (alreadyAssigned), so
 *   the audit log never records an assignment that did not happen;
 * - a report in review must have an editor: "nobody" is refused there (unassignInReview: release
 *   it to the queue instead, which is the workflow's step for that).
 *
 * @returns `{ ok: true, claimedBy }` — the account id to store, or null for nobody
 */
export function decideAssignment({
  actorRole,
  status,
  currentId,
  assignee,
}: {
  actorRole: Role;
  status: ReportStatus;
  currentId: number | null;
  assignee: AssignableAccount | null;
}): AssignmentDecision {
  if (!canUseArea(actorRole, 'editor')) return refuse('forbidden', 'review.errors.editorsOnly');
  if (assignee === null) {
    if (currentId === null) return refuse('invalid_input', 'review.errors.alreadyAssigned');
    if (status === 'in_review') return refuse('invalid_input', 'review.errors.unassignInReview');
    return { ok: true, claimedBy: null };
  }
  if (!canUseArea(assignee.role, 'editor')) return refuse('invalid_input', 'review.errors.assigneeNotEditor');
  if (assignee.status !== 'active') return refuse('invalid_input', 'review.errors.assigneeDeactivated');
  if (assignee.id === currentId) return refuse('invalid_input', 'review.errors.alreadyAssigned');
  return { ok: true, claimedBy: assignee.id };
}
