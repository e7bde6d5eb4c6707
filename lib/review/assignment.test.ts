import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, auditRows, type TestAccount } from '@/lib/testing/accounts';
import { demoReportValues, insertReviewReport, readEvents, readReport, sendBackForChanges } from '@/lib/testing/reports';
import { postMessage, listMessages } from '@/lib/messages/thread';
import { getMyReport, listMyReports } from '@/lib/reports/queries';
import { submitReport } from '@/lib/reports/submit';
import { assignReport, countUnreadForAssignee, listAssignableColleagues, markReviewRead } from './assignment';
import { decideReport } from './decisions';
import { postEditorMessage } from './notes';
import { listQueue } from './queue';
import { getReviewPage } from './review-page';
import { EMPTY_QUEUE_FILTERS } from './schema';

let editorA: TestAccount<'editor'>;
let editorB: TestAccount<'editor'>;
let admin: TestAccount<'admin'>;
let gone: TestAccount<'editor'>;
let partner: TestAccount<'partner'>;

beforeAll(() => {
  editorA = createTestAccount('editor');
  editorB = createTestAccount('editor');
  admin = createTestAccount('admin');
  gone = createTestAccount({ role: 'editor', status: 'deactivated' });
  partner = createTestAccount('partner');
});

/** A report the partner submitted through the app, and its values. */
function submitted() {
  const values = { ...demoReportValues(0), clientId: randomUUID(), title: 'Trucks at the bridge' };
  const done = submitReport({ actor: partner, values });
  if (!done.ok) throw new Error(JSON.stringify(done));
  return { id: done.reportId, values };
}

const versionOf = (id: number) => readReport(id).version;

describe('assigning a report', () => {
  it('an editor assigns a report to a colleague: held by them, a history row, audited', () => {
    const id = insertReviewReport({ authorId: partner.id });
    const done = assignReport({ actor: editorA, reportId: String(id), version: '1', assignee: String(editorB.id) });
    expect(done).toMatchObject({ ok: true, reportId: id, version: 2, claimedBy: editorB.id });
    expect(readReport(id)).toMatchObject({ status: 'submitted', claimedBy: editorB.id });
    expect(readEvents(id).at(-1)).toMatchObject({ action: 'assign', actorId: editorA.id, fromStatus: 'submitted', toStatus: 'submitted', note: editorB.codeName });
    expect(auditRows().at(-1)).toEqual({
      kind: 'report_assigned',
      actorId: editorA.id,
      targetAccountId: editorB.id,
      detail: { reportId: id, from: null, to: editorB.codeName, via: 'assign' },
    });
  });

  it('reassigns, takes it oneself ("me") and hands it to nobody — each audited', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'changes_requested', claimedBy: editorA.id });
    expect(assignReport({ actor: admin, reportId: id, version: versionOf(id), assignee: String(editorB.id) })).toMatchObject({ ok: true, claimedBy: editorB.id });
    expect(assignReport({ actor: admin, reportId: id, version: versionOf(id), assignee: 'me' })).toMatchObject({ ok: true, claimedBy: admin.id });
    expect(assignReport({ actor: editorA, reportId: id, version: versionOf(id), assignee: 'nobody' })).toMatchObject({ ok: true, claimedBy: null });
    const mine = auditRows().filter((r) => r.kind === 'report_assigned' && (r.detail as { reportId: number }).reportId === id);
    expect(mine.map((r) => (r.detail as { from: string | null; to: string | null }))).toEqual([
      { reportId: id, from: editorA.codeName, to: editorB.codeName, via: 'assign' },
      { reportId: id, from: editorB.codeName, to: admin.codeName, via: 'assign' },
      { reportId: id, from: admin.codeName, to: null, via: 'assign' },
    ]);
  });

  it('refuses a deactivated colleague, a partner, an unknown account, a stale page and a partner caller — nothing written', () => {
    const id = insertReviewReport({ authorId: partner.id });
    const before = { report: readReport(id), events: readEvents(id), audit: auditRows().length };
    expect(assignReport({ actor: editorA, reportId: id, version: 1, assignee: String(gone.id) })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { assignee: ['review.errors.assigneeDeactivated'] },
    });
    expect(assignReport({ actor: editorA, reportId: id, version: 1, assignee: String(partner.id) })).toMatchObject({ fieldErrors: { assignee: ['review.errors.assigneeNotEditor'] } });
    expect(assignReport({ actor: editorA, reportId: id, version: 1, assignee: '99999999' })).toMatchObject({ fieldErrors: { assignee: ['review.errors.assigneeUnknown'] } });
    expect(assignReport({ actor: editorA, reportId: id, version: 1, assignee: 'someone' })).toMatchObject({ fieldErrors: { assignee: ['review.errors.assigneeUnknown'] } });
    expect(assignReport({ actor: editorA, reportId: id, version: 7, assignee: 'me' })).toMatchObject({ ok: false, code: 'stale' });
    expect(assignReport({ actor: partner, reportId: id, version: 1, assignee: String(editorA.id) })).toMatchObject({ ok: false, code: 'forbidden' });
    expect({ report: readReport(id), events: readEvents(id), audit: auditRows().length }).toEqual(before);
  });

  it('offers only active editors and admins, and nothing to a partner', () => {
    const offered = listAssignableColleagues({ actor: editorA }).map((c) => c.id);
    expect(offered).toEqual(expect.arrayContaining([editorA.id, editorB.id, admin.id]));
    expect(offered).not.toContain(gone.id);
    expect(offered).not.toContain(partner.id);
    expect(listAssignableColleagues({ actor: partner })).toEqual([]);
  });

  it('a claim or release that changes the holder is audited as an assignment', () => {
    const id = insertReviewReport({ authorId: partner.id, claimedBy: editorB.id });
    expect(decideReport({ actor: editorA, reportId: id, version: 1, input: { action: 'claim' } })).toMatchObject({ ok: true });
    expect(auditRows().at(-1)).toMatchObject({ kind: 'report_assigned', detail: { reportId: id, from: editorB.codeName, to: editorA.codeName, via: 'claim' } });
    expect(decideReport({ actor: editorA, reportId: id, version: 2, input: { action: 'release' } })).toMatchObject({ ok: true });
    expect(auditRows().at(-1)).toMatchObject({ kind: 'report_assigned', detail: { reportId: id, from: editorA.codeName, to: null, via: 'release' } });
  });
});

describe('the claim survives "request changes" and the partner\'s news reaches its holder', () => {
  it("the resubmission returns to the same editor, unread for them only, with a diff against the previous submission; opening it marks it read", () => {
    const { id, values } = submitted();
    assignReport({ actor: editorA, reportId: id, version: versionOf(id), assignee: String(editorB.id) });
    sendBackForChanges(editorB, id, 'Which bridge?');
    expect(readReport(id)).toMatchObject({ status: 'changes_requested', claimedBy: editorB.id, assigneeUnreadAt: null });

    const resubmitted = submitReport({ actor: partner, values: { ...values, title: 'Trucks at the north bridge' } });
    expect(resubmitted).toMatchObject({ ok: true });
    expect(readReport(id)).toMatchObject({ status: 'submitted', claimedBy: editorB.id });
    expect(readReport(id).assigneeUnreadAt).toBeInstanceOf(Date);

    expect(countUnreadForAssignee({ actor: editorB })).toBe(1);
    expect(countUnreadForAssignee({ actor: editorA })).toBe(0);
    const rowFor = (actor: TestAccount) => {
      const page = listQueue({ actor, filters: { ...EMPTY_QUEUE_FILTERS, partner: partner.codeName } });
      if (!page.ok) throw new Error(page.messageKey);
      return page.rows.find((r) => r.id === id);
    };
    expect(rowFor(editorB)).toMatchObject({ isClaimedByMe: true, isUnreadForMe: true });
    expect(rowFor(editorA)).toMatchObject({ isClaimedByMe: false, isUnreadForMe: false });

    const review = getReviewPage({ actor: editorB, reportId: id });
    if (!review.ok) throw new Error(review.messageKey);
    expect(review.page.resubmission?.lines).toEqual([
      { kind: 'changed', label: 'Title', path: 'title', before: 'Trucks at the bridge', after: 'Trucks at the north bridge' },
    ]);

    expect(markReviewRead({ actor: editorA, reportId: id })).toBe(false); // not theirs: still unread
    expect(countUnreadForAssignee({ actor: editorB })).toBe(1);
    expect(markReviewRead({ actor: editorB, reportId: id })).toBe(true);
    expect(countUnreadForAssignee({ actor: editorB })).toBe(0);
    expect(readReport(id).version).toBe(versionOf(id)); // reading is no change: no open page goes stale
  });

  it("a partner's reply marks it unread for the holder; an editor's message or note does not", () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editorB.id });
    expect(postEditorMessage({ actor: editorB, reportId: id, version: 1, body: 'Which night?', isInternal: false })).toMatchObject({ ok: true });
    expect(postEditorMessage({ actor: editorA, reportId: id, version: 1, body: 'Source known to us', isInternal: true })).toMatchObject({ ok: true });
    expect(readReport(id).assigneeUnreadAt).toBeNull();
    expect(postMessage({ actor: partner, reportId: id, input: { body: 'The night of the 12th.' } })).toMatchObject({ ok: true });
    expect(readReport(id).assigneeUnreadAt).toBeInstanceOf(Date);
    expect(readReport(id).version).toBe(1);

    const awaiting = listQueue({ actor: editorB, filters: { ...EMPTY_QUEUE_FILTERS, reply: 'awaiting-me' } });
    const replied = listQueue({ actor: editorA, filters: { ...EMPTY_QUEUE_FILTERS, reply: 'partner' } });
    const awaitingA = listQueue({ actor: editorA, filters: { ...EMPTY_QUEUE_FILTERS, reply: 'awaiting-me' } });
    const byName = listQueue({ actor: editorA, filters: { ...EMPTY_QUEUE_FILTERS, claim: `@${editorB.codeName}` } });
    for (const page of [awaiting, replied, awaitingA, byName]) if (!page.ok) throw new Error(page.messageKey);
    expect(awaiting.ok && awaiting.rows.map((r) => r.id)).toContain(id);
    expect(replied.ok && replied.rows.map((r) => r.id)).toContain(id);
    expect(awaitingA.ok && awaitingA.rows.map((r) => r.id)).not.toContain(id);
    expect(byName.ok && byName.rows.every((r) => r.claimedByCodeName === editorB.codeName) && byName.rows.map((r) => r.id)).toContain(id);
  });
});

describe('a rejection reason reaches the partner; internal notes never do', () => {
  it("the partner reads the reason written for them, never the editors' own reason or internal notes", () => {
    const { id } = submitted();
    postEditorMessage({ actor: editorA, reportId: id, version: versionOf(id), body: 'INTERNAL: partner seems to copy state media', isInternal: true });
    expect(
      decideReport({
        actor: editorA,
        reportId: id,
        version: versionOf(id),
        input: { action: 'reject', reason: 'INTERNAL: duplicate of #12, source unreliable', partnerReason: 'Another partner already reported this crossing.' },
      }),
    ).toMatchObject({ ok: true, status: 'rejected' });

    const mine = getMyReport({ actor: partner, reportId: id, locale: 'en' });
    expect(mine?.rejection?.reason).toBe('Another partner already reported this crossing.');
    expect(listMyReports({ actor: partner }).find((r) => r.id === id)?.rejectionReason).toBe('Another partner already reported this crossing.');
    const thread = listMessages({ actor: partner, reportId: id });
    const everythingShown = JSON.stringify({ mine, list: listMyReports({ actor: partner }), thread });
    expect(everythingShown).not.toContain('INTERNAL');

    const review = getReviewPage({ actor: editorA, reportId: id });
    expect(review.ok && review.page.report.partnerRejectionReason).toBe('Another partner already reported this crossing.');
  });

  it('a rejection without a reason for the partner shows them none, and reopening clears it', () => {
    const id = insertReviewReport({ authorId: partner.id });
    decideReport({ actor: editorA, reportId: id, version: 1, input: { action: 'reject', reason: 'INTERNAL: spam' } });
    expect(getMyReport({ actor: partner, reportId: id, locale: 'en' })?.rejection).toMatchObject({ reason: null });
    expect(JSON.stringify(getMyReport({ actor: partner, reportId: id, locale: 'en' }))).not.toContain('INTERNAL');
    decideReport({ actor: editorA, reportId: id, version: 2, input: { action: 'reopen' } });
    expect(getMyReport({ actor: partner, reportId: id, locale: 'en' })?.rejection).toBeNull();
    expect(listMyReports({ actor: partner }).find((r) => r.id === id)?.rejectionReason).toBeNull();
  });
});
