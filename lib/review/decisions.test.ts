import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, reportMessages } from '@/db/schema';
import { bulkDecide, decideReport, gradeReport } from './decisions';
import { snapshotQueueMatch } from './queue';
import { EMPTY_QUEUE_FILTERS, type QueueFilters } from './schema';
import { createTestAccount, type TestAccount } from '@/lib/testing/accounts';
import { insertReviewReport, readEvents, readReport } from '@/lib/testing/reports';
import { getMyReport } from '@/lib/reports/queries';

let editor: TestAccount;
let secondEditor: TestAccount;
let admin: TestAccount;
let partner: TestAccount;

beforeAll(() => {
  editor = createTestAccount('editor');
  secondEditor = createTestAccount('editor');
  admin = createTestAccount('admin');
  partner = createTestAccount('partner');
});

function messagesOf(reportId: number) {
  return getDb().select().from(reportMessages).where(eq(reportMessages.reportId, reportId)).all();
}

/** Everything a refused decision must leave as it was. */
function stateOf(reportId: number) {
  return { report: readReport(reportId), events: readEvents(reportId), messages: messagesOf(reportId) };
}

describe('one decision at a time', () => {
  it('claims: in review, claimed by the editor, version bumped, one event row', () => {
    const id = insertReviewReport({ authorId: partner.id });
    const result = decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'claim' } });
    expect(result).toMatchObject({ ok: true, status: 'in_review', version: 2 });
    const report = readReport(id);
    expect(report).toMatchObject({ status: 'in_review', claimedBy: editor.id, version: 2 });
    expect(report.claimedAt).toBeInstanceOf(Date);
    const events = readEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: editor.id, action: 'claim', fromStatus: 'submitted', toStatus: 'in_review', note: null });
  });

  it('releases: back to submitted and unclaimed', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    expect(decideReport({ actor: editor, reportId: String(id), version: '1', input: { action: 'release' } })).toMatchObject({ ok: true, status: 'submitted' });
    expect(readReport(id)).toMatchObject({ status: 'submitted', claimedBy: null, claimedAt: null });
  });

  it('requests changes with a message the partner receives in the same transaction', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const result = decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'request_changes', message: '  Which crossing exactly?\r\n' } });
    expect(result).toMatchObject({ ok: true, status: 'changes_requested' });
    const messages = messagesOf(id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ body: 'Which crossing exactly?', isInternal: false, authorId: editor.id });
    expect(readEvents(id)[0]).toMatchObject({ action: 'request_changes', note: 'Which crossing exactly?' });
    // The claim survives: the partner's resubmission returns to the same editor (issue 19).
    expect(readReport(id).claimedBy).toBe(editor.id);
  });

  it('verifies with an Admiralty grade and note', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const result = decideReport({
      actor: editor,
      reportId: id,
      version: 1,
      input: { action: 'verify', sourceReliability: 'B', informationCredibility: '2', gradeNote: 'Matches satellite imagery.' },
    });
    expect(result).toMatchObject({ ok: true, status: 'verified' });
    expect(readReport(id)).toMatchObject({ status: 'verified', sourceReliability: 'B', informationCredibility: '2', gradeNote: 'Matches satellite imagery.' });
    expect(readEvents(id)[0]).toMatchObject({ action: 'verify', toStatus: 'verified', note: 'B2 — Matches satellite imagery.' });
  });

  it('rejects with a reason, and an admin reopens it', () => {
    const id = insertReviewReport({ authorId: partner.id });
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'reject', reason: 'Duplicate of #3.' } })).toMatchObject({ ok: true, status: 'rejected' });
    expect(decideReport({ actor: admin, reportId: id, version: 2, input: { action: 'reopen', note: '' } })).toMatchObject({ ok: true, status: 'submitted', version: 3 });
    expect(readEvents(id).map((e) => [e.action, e.actorId, e.note])).toEqual([
      ['reject', editor.id, 'Duplicate of #3.'],
      ['reopen', admin.id, null],
    ]);
  });
});

describe('bad input changes nothing', () => {
  it('an action in the wrong state', () => {
    const id = insertReviewReport({ authorId: partner.id });
    const before = stateOf(id);
    const result = decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'verify', sourceReliability: 'A', informationCredibility: '1', gradeNote: '' } });
    expect(result).toEqual({ ok: false, code: 'invalid_transition', messageKey: 'review.errors.invalidTransition.verify' });
    expect(stateOf(id)).toEqual(before);
  });

  it('a stale version', () => {
    const id = insertReviewReport({ authorId: partner.id });
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'claim' } }).ok).toBe(true);
    const before = stateOf(id);
    const result = decideReport({ actor: secondEditor, reportId: id, version: 1, input: { action: 'reject', reason: 'Not credible.' } });
    expect(result).toEqual({ ok: false, code: 'stale', messageKey: 'review.errors.staleVersion' });
    expect(stateOf(id)).toEqual(before);
  });

  it('a stale version on request changes posts no message either', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id, });
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'release' } }).ok).toBe(true);
    const result = decideReport({ actor: secondEditor, reportId: id, version: 1, input: { action: 'request_changes', message: 'Please add times.' } });
    expect(result).toMatchObject({ ok: false, code: 'stale' });
    expect(messagesOf(id)).toHaveLength(0);
  });

  it('an unknown report id, or a draft', () => {
    const draft = insertReviewReport({ authorId: partner.id, status: 'draft' });
    for (const reportId of [999_999, 'abc', -1, draft]) {
      expect(decideReport({ actor: editor, reportId, version: 1, input: { action: 'claim' } })).toEqual({
        ok: false,
        code: 'not_found',
        messageKey: 'review.errors.notFound',
      });
    }
    expect(readReport(draft)).toMatchObject({ status: 'draft', version: 1 });
  });

  it('a grade outside A–F / 1–6', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const before = stateOf(id);
    for (const [sourceReliability, informationCredibility] of [['G', '2'], ['B', '7'], ['b', '2'], ['', ''], ['B', '0']]) {
      const result = decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'verify', sourceReliability, informationCredibility, gradeNote: '' } });
      expect(result).toMatchObject({ ok: false, code: 'invalid_input', messageKey: 'review.errors.invalidGrade' });
    }
    expect(stateOf(id)).toEqual(before);
  });

  it('an empty rejection reason, or no message with request changes', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const before = stateOf(id);
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'reject', reason: '   \n ' } })).toEqual({
      ok: false,
      code: 'invalid_input',
      messageKey: 'review.errors.reasonRequired',
      fieldErrors: { reason: ['review.errors.reasonRequired'] },
    });
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'request_changes' } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.messageRequired',
    });
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'reject', reason: 'x'.repeat(5001) } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.textTooLong',
    });
    expect(decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'publish' } })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(stateOf(id)).toEqual(before);
  });

  it('a partner, even on their own report', () => {
    const id = insertReviewReport({ authorId: partner.id });
    const before = stateOf(id);
    expect(decideReport({ actor: partner, reportId: id, version: 1, input: { action: 'claim' } })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(stateOf(id)).toEqual(before);
  });
});

describe('bulk actions', () => {
  it('act on the selected rows, each with its own event row, skipping rows changed since the queue was shown', () => {
    const a = insertReviewReport({ authorId: partner.id });
    const b = insertReviewReport({ authorId: partner.id });
    const c = insertReviewReport({ authorId: partner.id, status: 'verified' });
    const d = insertReviewReport({ authorId: partner.id });
    decideReport({ actor: secondEditor, reportId: d, version: 1, input: { action: 'claim' } }); // d is now version 2
    const result = bulkDecide({ actor: editor, input: { action: 'claim', reason: '' }, selection: { kind: 'rows', rows: [`${a}:1`, `${b}:1`, `${c}:1`, `${d}:1`] } });
    expect(result).toEqual({
      ok: true,
      action: 'claim',
      applied: [a, b],
      skipped: [
        { reportId: c, reason: 'invalid_transition' },
        { reportId: d, reason: 'stale' },
      ],
    });
    for (const id of [a, b]) expect(readEvents(id).map((e) => e.action)).toEqual(['claim']);
    expect(readEvents(c)).toHaveLength(0);
    expect(readReport(d).claimedBy).toBe(secondEditor.id);
  });

  it('reject every report the filter matched when the editor confirmed — none that arrived after', () => {
    const author = createTestAccount('partner', 'bulk-filter-partner');
    const filters: QueueFilters = { ...EMPTY_QUEUE_FILTERS, partner: author.codeName, status: 'submitted' };
    const matched = [insertReviewReport({ authorId: author.id }), insertReviewReport({ authorId: author.id }), insertReviewReport({ authorId: author.id })];
    const otherStatus = insertReviewReport({ authorId: author.id, status: 'verified' });
    const snapshot = snapshotQueueMatch({ actor: editor, filters });
    if (!snapshot.ok) throw new Error(snapshot.messageKey);
    expect(snapshot.count).toBe(3);
    // Arrives after the editor saw the confirmation, and matches the filter:
    const late = insertReviewReport({ authorId: author.id });

    const result = bulkDecide({
      actor: editor,
      input: { action: 'reject', reason: 'Duplicates of the July report.' },
      selection: { kind: 'filter', filters, maxId: String(snapshot.maxId), asOf: String(snapshot.asOf) },
    });
    expect(result).toEqual({ ok: true, action: 'reject', applied: matched, skipped: [] });
    for (const id of matched) {
      expect(readReport(id).status).toBe('rejected');
      const events = readEvents(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'reject', note: 'Duplicates of the July report.', actorId: editor.id });
    }
    expect(readReport(late)).toMatchObject({ status: 'submitted', version: 1 });
    expect(readEvents(late)).toHaveLength(0);
    expect(readReport(otherStatus)).toMatchObject({ status: 'verified', version: 1 });
  });

  it("a bulk reject carries the partners' reason, which each partner reads on their report; the internal reason stays with the editors", () => {
    const [a, b] = [insertReviewReport({ authorId: partner.id }), insertReviewReport({ authorId: partner.id })];
    const result = bulkDecide({
      actor: editor,
      input: { action: 'reject', reason: 'INTERNAL: duplicates of #12', partnerReason: 'Another partner reported this crossing already.' },
      selection: { kind: 'rows', rows: [`${a}:1`, `${b}:1`] },
    });
    expect(result).toMatchObject({ ok: true, applied: [a, b] });
    for (const id of [a, b]) {
      const mine = getMyReport({ actor: partner, reportId: id, locale: 'en' });
      expect(mine?.rejection?.reason).toBe('Another partner reported this crossing already.');
      expect(JSON.stringify(mine)).not.toContain('INTERNAL');
    }
    // Without one, the partner is told only that it was rejected.
    const c = insertReviewReport({ authorId: partner.id });
    bulkDecide({ actor: editor, input: { action: 'reject', reason: 'Spam.' }, selection: { kind: 'rows', rows: [`${c}:1`] } });
    expect(getMyReport({ actor: partner, reportId: c, locale: 'en' })?.rejection?.reason).toBeNull();
  });

  it('skip a matched report another editor changed after the confirmation was shown', async () => {
    const author = createTestAccount('partner', 'bulk-changed-partner');
    const filters: QueueFilters = { ...EMPTY_QUEUE_FILTERS, partner: author.codeName };
    const kept = insertReviewReport({ authorId: author.id });
    const changed = insertReviewReport({ authorId: author.id, status: 'in_review', claimedBy: secondEditor.id });
    const snapshot = snapshotQueueMatch({ actor: editor, filters });
    if (!snapshot.ok) throw new Error(snapshot.messageKey);
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (Date.now() <= snapshot.asOf) await new Promise<void>((resolve) => setImmediate(resolve)); // next millisecond
    decideReport({ actor: secondEditor, reportId: changed, version: 1, input: { action: 'release' } }); // now submitted
    const result = bulkDecide({
      actor: editor,
      input: { action: 'claim' },
      selection: { kind: 'filter', filters, maxId: snapshot.maxId, asOf: snapshot.asOf },
    });
    expect(result).toEqual({ ok: true, action: 'claim', applied: [kept], skipped: [{ reportId: changed, reason: 'stale' }] });
    expect(readReport(changed)).toMatchObject({ status: 'submitted', claimedBy: null });
  });

  it('refuse reject without a reason, junk selections and partners — nothing written', () => {
    const id = insertReviewReport({ authorId: partner.id });
    const before = stateOf(id);
    expect(bulkDecide({ actor: editor, input: { action: 'reject', reason: ' ' }, selection: { kind: 'rows', rows: [`${id}:1`] } })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      messageKey: 'review.errors.reasonRequired',
    });
    expect(bulkDecide({ actor: editor, input: { action: 'claim' }, selection: { kind: 'rows', rows: [`${id}`] } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.invalidSelection',
    });
    expect(bulkDecide({ actor: editor, input: { action: 'claim' }, selection: { kind: 'rows', rows: [] } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.nothingSelected',
    });
    expect(bulkDecide({ actor: editor, input: { action: 'verify' }, selection: { kind: 'rows', rows: [`${id}:1`] } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.unknownAction',
    });
    expect(
      bulkDecide({ actor: editor, input: { action: 'claim' }, selection: { kind: 'filter', filters: EMPTY_QUEUE_FILTERS, maxId: 'x', asOf: '1' } }),
    ).toMatchObject({ ok: false, messageKey: 'review.errors.invalidSelection' });
    expect(bulkDecide({ actor: partner, input: { action: 'claim' }, selection: { kind: 'rows', rows: [`${id}:1`] } })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(stateOf(id)).toEqual(before);
  });
});

describe('grading without verifying (issue 19 item 6)', () => {
  const auditOf = (reportId: number) =>
    getDb()
      .select({ kind: auditEvents.kind, actorId: auditEvents.actorId, detail: auditEvents.detail })
      .from(auditEvents)
      .all()
      .filter((row) => row.kind === 'report_graded' && (row.detail as { reportId?: number } | null)?.reportId === reportId);

  it('grades a report in review: the grade and note are stored, the status stays, one history row and one audit row', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const result = gradeReport({ actor: editor, reportId: String(id), version: '1', input: { sourceReliability: 'C', informationCredibility: '3', gradeNote: ' One source, not yet seen again. ' } });
    expect(result).toMatchObject({ ok: true, reportId: id, version: 2 });
    expect(readReport(id)).toMatchObject({ status: 'in_review', claimedBy: editor.id, sourceReliability: 'C', informationCredibility: '3', gradeNote: 'One source, not yet seen again.', version: 2 });
    expect(readEvents(id)).toMatchObject([{ action: 'grade', fromStatus: 'in_review', toStatus: 'in_review', actorId: editor.id, note: 'C3 — One source, not yet seen again.' }]);
    // The audit row names the report and the grade letters, never the note.
    expect(auditOf(id)).toEqual([{ kind: 'report_graded', actorId: editor.id, detail: { reportId: id, sourceReliability: 'C', informationCredibility: '3' } }]);
    // The partner's history of the report never shows that it was graded.
    expect(getMyReport({ actor: partner, reportId: id, locale: 'en' })?.history.map((step) => step.action)).not.toContain('grade');
  });

  it('a regrade of a verified report keeps it verified', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'verified' });
    expect(gradeReport({ actor: admin, reportId: id, version: 1, input: { sourceReliability: 'B', informationCredibility: '2' } })).toMatchObject({ ok: true });
    expect(readReport(id)).toMatchObject({ status: 'verified', sourceReliability: 'B', informationCredibility: '2', gradeNote: null });
  });

  it('refuses a bad grade, a stale page, a report not held by an editor, and a partner — nothing written', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const before = stateOf(id);
    expect(gradeReport({ actor: editor, reportId: id, version: 1, input: { sourceReliability: 'G', informationCredibility: '3' } })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { sourceReliability: ['review.errors.invalidGrade'] },
    });
    expect(gradeReport({ actor: editor, reportId: id, version: 2, input: { sourceReliability: 'A', informationCredibility: '1' } })).toMatchObject({ ok: false, code: 'stale' });
    expect(gradeReport({ actor: partner, reportId: id, version: 1, input: { sourceReliability: 'A', informationCredibility: '1' } })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(stateOf(id)).toEqual(before);
    expect(auditOf(id)).toEqual([]);
    const submitted = insertReviewReport({ authorId: partner.id });
    expect(gradeReport({ actor: editor, reportId: submitted, version: 1, input: { sourceReliability: 'A', informationCredibility: '1' } })).toMatchObject({
      ok: false,
      code: 'not_editable',
      messageKey: 'review.errors.notGradeable',
    });
    expect(readReport(submitted)).toMatchObject({ status: 'submitted', version: 1, sourceReliability: null });
  });

  it('verifying still requires a grade of its own, even on a graded report', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    expect(gradeReport({ actor: editor, reportId: id, version: 1, input: { sourceReliability: 'B', informationCredibility: '2' } })).toMatchObject({ ok: true, version: 2 });
    expect(decideReport({ actor: editor, reportId: id, version: 2, input: { action: 'verify' } })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { sourceReliability: ['review.errors.invalidGrade'], informationCredibility: ['review.errors.invalidGrade'] },
    });
    expect(readReport(id)).toMatchObject({ status: 'in_review', version: 2 });
    expect(decideReport({ actor: editor, reportId: id, version: 2, input: { action: 'verify', sourceReliability: 'B', informationCredibility: '2' } })).toMatchObject({ ok: true, status: 'verified' });
  });
});
