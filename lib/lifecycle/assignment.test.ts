import { describe, expect, it } from 'vitest';
import { claimEffectOf, decideAssignment, isResubmission } from './assignment';
import { WORKFLOW_ACTIONS } from './workflow';

const editorB = { id: 2, role: 'editor' as const, status: 'active' as const };

describe('who holds a report after a workflow step', () => {
  it('claim takes it, release hands it back, every other step keeps it — request changes included', () => {
    expect(claimEffectOf('claim')).toBe('actor');
    expect(claimEffectOf('release')).toBe('clear');
    for (const action of WORKFLOW_ACTIONS.filter((a) => a !== 'claim' && a !== 'release')) expect(claimEffectOf(action), action).toBe('keep');
  });

  it("only the partner's resubmission after a request for changes is news for the editor", () => {
    expect(isResubmission('submit', 'changes_requested')).toBe(true);
    expect(isResubmission('submit', 'draft')).toBe(false);
    expect(isResubmission('reopen', 'rejected')).toBe(false);
  });
});

describe('who may be assigned', () => {
  it('an editor or admin hands a report to an active editor or admin', () => {
    expect(decideAssignment({ actorRole: 'editor', status: 'submitted', currentId: null, assignee: editorB })).toEqual({ ok: true, claimedBy: 2 });
    expect(decideAssignment({ actorRole: 'admin', status: 'in_review', currentId: 1, assignee: { ...editorB, role: 'admin' } })).toEqual({ ok: true, claimedBy: 2 });
  });

  it('partners never assign, and are never assigned', () => {
    expect(decideAssignment({ actorRole: 'partner', status: 'submitted', currentId: null, assignee: editorB })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decideAssignment({ actorRole: 'editor', status: 'submitted', currentId: null, assignee: { ...editorB, role: 'partner' } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.assigneeNotEditor',
    });
  });

  it('a deactivated colleague cannot be chosen', () => {
    expect(decideAssignment({ actorRole: 'editor', status: 'submitted', currentId: null, assignee: { ...editorB, status: 'deactivated' } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.assigneeDeactivated',
    });
  });

  it('an assignment that changes nothing is refused, and a report in review keeps an editor', () => {
    expect(decideAssignment({ actorRole: 'editor', status: 'in_review', currentId: 2, assignee: editorB })).toMatchObject({ messageKey: 'review.errors.alreadyAssigned' });
    expect(decideAssignment({ actorRole: 'editor', status: 'submitted', currentId: null, assignee: null })).toMatchObject({ messageKey: 'review.errors.alreadyAssigned' });
    expect(decideAssignment({ actorRole: 'editor', status: 'in_review', currentId: 2, assignee: null })).toMatchObject({ messageKey: 'review.errors.unassignInReview' });
    expect(decideAssignment({ actorRole: 'editor', status: 'changes_requested', currentId: 2, assignee: null })).toEqual({ ok: true, claimedBy: null });
  });
});
