import { describe, expect, it } from 'vitest';
import { REPORT_STATUSES, ROLES, type ReportStatus, type Role } from '@/db/schema';
import en from '@/lib/i18n/messages/en/review.json';
import ko from '@/lib/i18n/messages/ko/review.json';
import {
  WORKFLOW_ACTIONS,
  actionDoneKey,
  actionLabelKey,
  applyAction,
  availableActions,
  canPartnerEdit,
  isFinalStatus,
  statusLabelKey,
  type WorkflowAction,
} from './workflow';

/**
 * The decision for every (status, action): the status it leads to, or '-' when the action is not
 * possible from that status. Written out in full, independently of workflow.ts, so that a status
 * or action added to the enums without a decision here fails the "decision" tests below.
 */
const EXPECTED: Record<string, Record<string, ReportStatus | '-'>> = {
  draft: {
    submit: 'submitted', claim: '-', release: '-', request_changes: '-', verify: '-',
    publish: '-', retract: '-', reject: '-', reopen: '-',
  },
  submitted: {
    submit: '-', claim: 'in_review', release: '-', request_changes: '-', verify: '-',
    publish: '-', retract: '-', reject: 'rejected', reopen: '-',
  },
  in_review: {
    submit: '-', claim: '-', release: 'submitted', request_changes: 'changes_requested', verify: 'verified',
    publish: '-', retract: '-', reject: 'rejected', reopen: '-',
  },
  changes_requested: {
    submit: 'submitted', claim: '-', release: '-', request_changes: '-', verify: '-',
    publish: '-', retract: '-', reject: 'rejected', reopen: '-',
  },
  verified: {
    submit: '-', claim: '-', release: '-', request_changes: '-', verify: '-',
    publish: 'published', retract: '-', reject: 'rejected', reopen: '-',
  },
  published: {
    submit: '-', claim: '-', release: '-', request_changes: '-', verify: '-',
    publish: 'published', retract: 'retracted', reject: '-', reopen: '-',
  },
  retracted: {
    submit: '-', claim: '-', release: '-', request_changes: '-', verify: '-',
    publish: '-', retract: '-', reject: '-', reopen: '-',
  },
  rejected: {
    submit: '-', claim: '-', release: '-', request_changes: '-', verify: '-',
    publish: '-', retract: '-', reject: '-', reopen: 'submitted',
  },
};

/** Who may take each action: the partner who wrote the report, or editors and admins. */
const WHO: Record<string, 'own-partner' | 'editors'> = {
  submit: 'own-partner',
  claim: 'editors',
  release: 'editors',
  request_changes: 'editors',
  verify: 'editors',
  publish: 'editors',
  retract: 'editors',
  reject: 'editors',
  reopen: 'editors',
};

type Expectation = { ok: true; next: ReportStatus } | { ok: false; code: 'forbidden' | 'invalid_transition' };

function expectedOutcome(status: ReportStatus, role: Role, action: WorkflowAction, isAuthor: boolean): Expectation | undefined {
  const who = WHO[action];
  const target = EXPECTED[status]?.[action];
  if (who === undefined || target === undefined) return undefined;
  const mayAct = who === 'editors' ? role === 'editor' || role === 'admin' : role === 'partner' && isAuthor;
  if (!mayAct) return { ok: false, code: 'forbidden' };
  if (target === '-') return { ok: false, code: 'invalid_transition' };
  return { ok: true, next: target };
}

/** Every message key in a nested message object, as dotted paths. */
function keysOf(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
const EN_KEYS = new Set(keysOf(en, 'review.'));
const KO_KEYS = new Set(keysOf(ko, 'review.'));

describe('the decision table covers every status and action', () => {
  it('has a row for every status in REPORT_STATUSES and no other', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...REPORT_STATUSES].sort());
  });

  it.each(REPORT_STATUSES)('row %s decides every action in WORKFLOW_ACTIONS and no other', (status) => {
    expect(Object.keys(EXPECTED[status] ?? {}).sort()).toEqual([...WORKFLOW_ACTIONS].sort());
  });

  it('says who may take every action and no other', () => {
    expect(Object.keys(WHO).sort()).toEqual([...WORKFLOW_ACTIONS].sort());
  });
});

describe('applyAction for every (status, role, action, authorship)', () => {
  for (const status of REPORT_STATUSES) {
    for (const action of WORKFLOW_ACTIONS) {
      for (const role of ROLES) {
        for (const isAuthor of [true, false]) {
          const expected = expectedOutcome(status, role, action, isAuthor);
          const outcome = expected === undefined ? 'NO DECISION' : expected.ok ? `→ ${expected.next}` : `refused (${expected.code})`;
          it(`${role}${isAuthor ? ' (author)' : ''} ${action} on ${status}: ${outcome}`, () => {
            expect(expected, `no decision recorded for ${action} on ${status}`).toBeDefined();
            const result = applyAction({ status, role, action, isAuthor });
            expect(result.ok).toBe(expected?.ok);
            if (result.ok) {
              expect(expected).toEqual({ ok: true, next: result.next });
            } else {
              expect(expected).toEqual({ ok: false, code: result.code });
              expect(EN_KEYS.has(result.messageKey), `${result.messageKey} missing in en/review.json`).toBe(true);
              expect(KO_KEYS.has(result.messageKey), `${result.messageKey} missing in ko/review.json`).toBe(true);
            }
          });
        }
      }
    }
  }
});

describe('applyAction: rules a user would notice', () => {
  it('refuses to skip claiming: a submitted report cannot be verified, sent back or published', () => {
    for (const action of ['verify', 'request_changes', 'publish'] as const) {
      expect(applyAction({ status: 'submitted', role: 'editor', action })).toEqual({
        ok: false,
        code: 'invalid_transition',
        messageKey: `review.errors.invalidTransition.${action}`,
      });
    }
  });

  it('refuses to publish a report that is only in review', () => {
    expect(applyAction({ status: 'in_review', role: 'admin', action: 'publish' })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
  });

  it('lets a partner resubmit their own report after changes were requested', () => {
    expect(applyAction({ status: 'changes_requested', role: 'partner', action: 'submit', isAuthor: true })).toEqual({
      ok: true,
      next: 'submitted',
    });
  });

  it("treats a partner as not the author unless told so, and refuses another partner's report", () => {
    expect(applyAction({ status: 'draft', role: 'partner', action: 'submit' })).toEqual({
      ok: false,
      code: 'forbidden',
      messageKey: 'review.errors.authorOnly',
    });
  });

  it('tells a partner trying an editor action that only editors may, whatever the status', () => {
    for (const status of REPORT_STATUSES) {
      expect(applyAction({ status, role: 'partner', action: 'verify', isAuthor: true })).toEqual({
        ok: false,
        code: 'forbidden',
        messageKey: 'review.errors.editorsOnly',
      });
    }
  });

  it("refuses an editor submitting a partner's draft", () => {
    expect(applyAction({ status: 'draft', role: 'editor', action: 'submit', isAuthor: true })).toEqual({
      ok: false,
      code: 'forbidden',
      messageKey: 'review.errors.partnersOnly',
    });
  });

  it('allows republishing a published report and retracting it, but never reopening a retraction', () => {
    expect(applyAction({ status: 'published', role: 'editor', action: 'publish' })).toEqual({ ok: true, next: 'published' });
    expect(applyAction({ status: 'published', role: 'editor', action: 'retract' })).toEqual({ ok: true, next: 'retracted' });
    expect(applyAction({ status: 'retracted', role: 'admin', action: 'reopen' })).toEqual({
      ok: false,
      code: 'invalid_transition',
      messageKey: 'review.errors.invalidTransition.reopen',
    });
  });

  it('reopens a rejected report into the queue as submitted', () => {
    expect(applyAction({ status: 'rejected', role: 'editor', action: 'reopen' })).toEqual({ ok: true, next: 'submitted' });
  });

  it('gives admins every action editors have', () => {
    for (const status of REPORT_STATUSES) {
      for (const action of WORKFLOW_ACTIONS) {
        expect(applyAction({ status, role: 'admin', action })).toEqual(applyAction({ status, role: 'editor', action }));
      }
    }
  });

  it('walks the full happy path from draft to retraction, with a round of changes', () => {
    const steps: [Role, WorkflowAction, ReportStatus][] = [
      ['partner', 'submit', 'submitted'],
      ['editor', 'claim', 'in_review'],
      ['editor', 'request_changes', 'changes_requested'],
      ['partner', 'submit', 'submitted'],
      ['editor', 'claim', 'in_review'],
      ['editor', 'verify', 'verified'],
      ['admin', 'publish', 'published'],
      ['editor', 'publish', 'published'],
      ['editor', 'retract', 'retracted'],
    ];
    let status: ReportStatus = 'draft';
    for (const [role, action, next] of steps) {
      const result = applyAction({ status, role, action, isAuthor: role === 'partner' });
      expect(result, `${role} ${action} on ${status}`).toEqual({ ok: true, next });
      status = next;
    }
    expect(isFinalStatus(status)).toBe(true);
  });

  it('reaches every status from a draft', () => {
    const reached = new Set<ReportStatus>(['draft']);
    const queue: ReportStatus[] = ['draft'];
    while (queue.length > 0) {
      const status = queue.shift() as ReportStatus;
      for (const role of ROLES) {
        for (const action of availableActions(status, role, { isAuthor: true })) {
          const result = applyAction({ status, role, action, isAuthor: true });
          if (result.ok && !reached.has(result.next)) {
            reached.add(result.next);
            queue.push(result.next);
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...REPORT_STATUSES].sort());
  });
});

describe('availableActions', () => {
  it('shows an editor claim and reject on a submitted report', () => {
    expect(availableActions('submitted', 'editor')).toEqual(['claim', 'reject']);
  });

  it('shows an editor release, request changes, verify and reject on a report in review', () => {
    expect(availableActions('in_review', 'editor')).toEqual(['release', 'request_changes', 'verify', 'reject']);
  });

  it('shows a partner Submit only on their own draft', () => {
    expect(availableActions('draft', 'partner', { isAuthor: true })).toEqual(['submit']);
    expect(availableActions('draft', 'partner')).toEqual([]);
    expect(availableActions('in_review', 'partner', { isAuthor: true })).toEqual([]);
  });

  it('shows nothing on a retracted report', () => {
    for (const role of ROLES) expect(availableActions('retracted', role, { isAuthor: true })).toEqual([]);
  });

  it('agrees with applyAction for every status and role', () => {
    for (const status of REPORT_STATUSES) {
      for (const role of ROLES) {
        for (const isAuthor of [true, false]) {
          const allowed = WORKFLOW_ACTIONS.filter((action) => applyAction({ status, role, action, isAuthor }).ok);
          expect(availableActions(status, role, { isAuthor })).toEqual(allowed);
        }
      }
    }
  });
});

describe('canPartnerEdit', () => {
  it.each(REPORT_STATUSES)('%s', (status) => {
    expect(canPartnerEdit(status)).toBe(status === 'draft' || status === 'changes_requested');
  });
});

describe('message keys', () => {
  it('has a label for every status and action, and a confirmation for every action, in English and Korean', () => {
    const keys = [
      ...REPORT_STATUSES.map(statusLabelKey),
      ...WORKFLOW_ACTIONS.map((action) => actionLabelKey(action)),
      actionLabelKey('publish', 'published'),
      ...WORKFLOW_ACTIONS.map(actionDoneKey),
      ...WORKFLOW_ACTIONS.map((action) => `review.errors.invalidTransition.${action}`),
    ];
    for (const key of keys) {
      expect(EN_KEYS.has(key), `${key} in en`).toBe(true);
      expect(KO_KEYS.has(key), `${key} in ko`).toBe(true);
    }
  });

  it('labels publishing an already published report as Republish', () => {
    expect(actionLabelKey('publish', 'published')).toBe('review.actions.republish');
    expect(actionLabelKey('publish', 'verified')).toBe('review.actions.publish');
  });

  it('has the same keys in English and Korean, with no empty text', () => {
    expect([...KO_KEYS].sort()).toEqual([...EN_KEYS].sort());
    const texts = (obj: object): string[] =>
      Object.values(obj).flatMap((v) => (typeof v === 'object' && v !== null ? texts(v) : [String(v)]));
    for (const text of [...texts(en), ...texts(ko)]) expect(text.trim()).not.toBe('');
  });
});
