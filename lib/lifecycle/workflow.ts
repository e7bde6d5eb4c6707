/**
 * The report workflow as one pure function (docs/style.md habit 5): (status, role, action) → the next
 * status or a refusal. No database, no clock: the data layer loads the report and hands the step
 * to `applyTransition` (transition.ts), which calls `applyAction` and on `ok: true` writes the new
 * status, bumps `version` and appends a `report_events` row (action name = the `WorkflowAction`
 * string) in the caller's transaction.
 *
 * Source of the rules: docs/product.md "Roles" and "Workflow", issue 4.
 *
 * Transitions (action: from → to; who):
 *   submit           draft | changes_requested → submitted          partner, own report only
 *   claim            submitted → in_review                          editor, admin
 *   release          in_review → submitted                          editor, admin
 *   request_changes  in_review → changes_requested                  editor, admin
 *   verify           in_review → verified                           editor, admin
 *   publish          verified → published; published → published    editor, admin (the 2nd is a republish)
 *   retract          published → retracted                          editor, admin
 *   reject           submitted | in_review | changes_requested | verified → rejected   editor, admin
 *   reopen           rejected → submitted                           editor, admin
 *
 * Decisions (not spelled out in docs/product.md, made here):
 * - Nothing is skipped: a submitted report must be claimed (→ in_review) before it can be verified,
 *   sent back for changes, or published.
 * - `reject` is allowed from submitted, in_review, changes_requested and verified — every state an
 *   editor owns before publication. From `submitted` so that bulk rejection in the moderation queue
 *   needs no claim first; from `changes_requested` so a report whose partner never answers can be
 *   closed; from `verified` so a report found wrong before publication can still be stopped. A
 *   published report is never rejected: it is retracted, which keeps its public URL with a notice.
 *   Drafts are the partner's private work and are never touched by editors.
 * - `reopen` takes a rejected report back to `submitted` (unclaimed, into the queue again).
 * - `retracted` is final: it cannot be reopened or republished. A retraction is a public correction
 *   record (the URL keeps its notice and date); republishing would overwrite that record, since a
 *   report has one publication. New information goes into a new report.
 * - `publish` on a published report is a republish (a new snapshot after editor edits).
 * - A refusal for the role is checked before the state, so a caller who may not act learns nothing
 *   about the report's state. A partner acting on a report that is not theirs is refused as
 *   `forbidden`; the data layer should answer 404 in that case (they may not know it exists).
 * - Claim ownership (`claimedBy`) is not a status and is not checked here; the data layer decides
 *   whether another editor may act on a claimed report.
 */
import type { ReportStatus, Role } from '@/db/schema';
import { AREA_ROLES } from '@/lib/auth/roles';
import { refuse, type Outcome } from '@/lib/refusal';

/** Every workflow action, in the order buttons are shown. Stored as `report_events.action`. */
export const WORKFLOW_ACTIONS = [
  'submit',
  'claim',
  'release',
  'request_changes',
  'verify',
  'publish',
  'retract',
  'reject',
  'reopen',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/**
 * History entries (report_events.action) that are not workflow steps: written when a partner adds,
 * removes or re-captions a photo of a report that is past draft (changes requested), so editors
 * see what changed since they asked. The report's status does not change (from_status =
 * to_status) and neither does its version (lib/lifecycle/transition.ts).
 */
export const PHOTO_EVENT_ACTIONS = ['photo_added', 'photo_removed', 'photo_caption_changed'] as const;
export type PhotoEventAction = (typeof PHOTO_EVENT_ACTIONS)[number];
/** Every history-only action (today: the photo events). */
export type HistoryOnlyAction = PhotoEventAction;

/** Who may take each action: the partners' area or the editors' (AREA_ROLES: editors and admins). */
const ACTION_ROLES: Record<WorkflowAction, readonly Role[]> = {
  submit: AREA_ROLES.partner,
  claim: AREA_ROLES.editor,
  release: AREA_ROLES.editor,
  request_changes: AREA_ROLES.editor,
  verify: AREA_ROLES.editor,
  publish: AREA_ROLES.editor,
  retract: AREA_ROLES.editor,
  reject: AREA_ROLES.editor,
  reopen: AREA_ROLES.editor,
};

/** Actions a partner may take only on a report they wrote. */
const AUTHOR_ONLY_ACTIONS: ReadonlySet<WorkflowAction> = new Set<WorkflowAction>(['submit']);

/**
 * The transition table: for each status, the actions allowed from it and where they lead. Keyed by
 * status with a full `Record` so that adding a status to REPORT_STATUSES fails to type-check until
 * a decision is written here (an empty object = no action is possible from that status).
 */
const TRANSITIONS: Record<ReportStatus, Partial<Record<WorkflowAction, ReportStatus>>> = {
  draft: { submit: 'submitted' },
  submitted: { claim: 'in_review', reject: 'rejected' },
  in_review: {
    release: 'submitted',
    request_changes: 'changes_requested',
    verify: 'verified',
    reject: 'rejected',
  },
  changes_requested: { submit: 'submitted', reject: 'rejected' },
  verified: { publish: 'published', reject: 'rejected' },
  published: { publish: 'published', retract: 'retracted' },
  retracted: {},
  rejected: { reopen: 'submitted' },
};

/** Statuses in which the partner who wrote the report may still edit it. */
const PARTNER_EDITABLE: ReadonlySet<ReportStatus> = new Set<ReportStatus>(['draft', 'changes_requested']);

export type WorkflowRefusalCode = 'forbidden' | 'invalid_transition';

/** i18n message key (namespace `review`, see lib/i18n/messages/<locale>/review.json). */
export type ReviewMessageKey = `review.${string}`;

/** `{ ok: true, next }` or a refusal (lib/refusal.ts) with a WorkflowRefusalCode. */
export type WorkflowResult = Outcome<{ next: ReportStatus }, WorkflowRefusalCode, ReviewMessageKey>;

export type ApplyActionInput = {
  /** The report's current status. */
  status: ReportStatus;
  /** The caller's role. */
  role: Role;
  action: WorkflowAction;
  /** Whether the caller wrote the report. Only matters for partners; missing means "no". */
  isAuthor?: boolean;
};

/**
 * Decides one workflow step. Pure: changes nothing.
 *
 * Returns `{ ok: true, next }` with the status the report moves to, or `{ ok: false, code,
 * messageKey }`:
 * - `forbidden` — the role may never take this action (`review.errors.editorsOnly`,
 *   `review.errors.partnersOnly`), or a partner acts on a report they did not write
 *   (`review.errors.authorOnly`). Checked before the status. Map to HTTP 403 (404 for a partner
 *   and someone else's report).
 * - `invalid_transition` — the action is not possible from this status
 *   (`review.errors.invalidTransition.<action>`, which says which status it needs).
 */
export function applyAction({ status, role, action, isAuthor = false }: ApplyActionInput): WorkflowResult {
  if (!ACTION_ROLES[action].includes(role)) {
    return refuse('forbidden', role === 'partner' ? 'review.errors.editorsOnly' : 'review.errors.partnersOnly');
  }
  if (role === 'partner' && AUTHOR_ONLY_ACTIONS.has(action) && !isAuthor) {
    return refuse('forbidden', 'review.errors.authorOnly');
  }
  const next = TRANSITIONS[status][action];
  if (next === undefined) {
    return refuse('invalid_transition', `review.errors.invalidTransition.${action}`);
  }
  return { ok: true, next };
}

/**
 * The actions the caller may take on a report in `status`, in WORKFLOW_ACTIONS order — for
 * rendering buttons only; the server re-checks with `applyAction`. `isAuthor` defaults to false,
 * so a partner's own report page must pass `{ isAuthor: true }` to show "Submit".
 */
export function availableActions(
  status: ReportStatus,
  role: Role,
  { isAuthor = false }: { isAuthor?: boolean } = {},
): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((action) => applyAction({ status, role, action, isAuthor }).ok);
}

/**
 * Whether the partner who wrote a report may edit (and autosave) it in this status: `draft` and
 * `changes_requested` only (docs/product.md: everything after submitted belongs to editors). Does not
 * check authorship — the data layer must also check the caller wrote the report.
 */
export function canPartnerEdit(status: ReportStatus): boolean {
  return PARTNER_EDITABLE.has(status);
}

/** Whether a status has no way out (no action by any role applies). Currently only `retracted`. */
export function isFinalStatus(status: ReportStatus): boolean {
  return Object.keys(TRANSITIONS[status]).length === 0;
}

/** Message key of a status's display name, e.g. `review.statuses.in_review` → "In review". */
export function statusLabelKey(status: ReportStatus): ReviewMessageKey {
  return `review.statuses.${status}`;
}

/**
 * Message key of an action's button label, e.g. `review.actions.claim` → "Claim". `publish` on a
 * report that is already published is labelled `review.actions.republish`.
 */
export function actionLabelKey(action: WorkflowAction, status?: ReportStatus): ReviewMessageKey {
  if (action === 'publish' && status === 'published') return 'review.actions.republish';
  return `review.actions.${action}`;
}

/** Message key confirming an applied action, e.g. `review.done.verify` → "Report verified." */
export function actionDoneKey(action: WorkflowAction): ReviewMessageKey {
  return `review.done.${action}`;
}
