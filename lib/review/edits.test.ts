import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { agencies, reportAgencies, reportLinks, reportMessages, reportRevisions, reportVehicles } from '@/db/schema';
import { mapOtherAgency } from '@/lib/reference/lists';
import { decideReport } from './decisions';
import { editReport, getEditForm, loadReportSnapshot } from './edits';
import { linkReports, unlinkReports } from './links';
import { postEditorMessage } from './notes';
import { getReviewPage } from './review-page';
import { createTestAccount, type TestAccount } from '@/lib/testing/accounts';
import { insertReviewReport, readEvents, readReport } from '@/lib/testing/reports';

let editor: TestAccount;
let partner: TestAccount;

beforeAll(() => {
  editor = createTestAccount('editor');
  partner = createTestAccount('partner');
});

function revisionsOf(reportId: number) {
  return getDb().select().from(reportRevisions).where(eq(reportRevisions.reportId, reportId)).orderBy(reportRevisions.id).all();
}

function formValues(reportId: number) {
  const form = getEditForm({ actor: editor, reportId });
  if (!form.ok) throw new Error(form.messageKey);
  return form;
}

describe('editor edits', () => {
  it('correct a report, keep a revision with before and after, and show a readable diff', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id, vehicles: 2, withSubmission: true });
    const form = formValues(id);
    // Stored 2018-07-12 10:30 UTC is 19:30 in Pyongyang (UTC+9 again from 2018-05-05).
    expect(form.values.observedFrom).toBe('2018-07-12T19:30');
    const values = {
      ...form.values,
      title: 'Trucks and buses cross at night',
      vehicles: [form.values.vehicles[0]!, { ...form.values.vehicles[1]!, count: '45' }, { vehicleType: 'bus', count: '3', isEstimate: true, direction: 'out_of_kp', colours: '', cargo: 'minerals' }],
    };
    const result = editReport({ actor: editor, reportId: id, version: form.version, values });
    expect(result).toMatchObject({ ok: true, version: form.version + 1 });
    expect(readReport(id)).toMatchObject({ title: 'Trucks and buses cross at night', version: 2, status: 'in_review' });
    expect(getDb().select().from(reportVehicles).where(eq(reportVehicles.reportId, id)).all()).toHaveLength(3);

    const revisions = revisionsOf(id);
    expect(revisions.map((r) => r.kind)).toEqual(['submission', 'editor_edit']);
    const edit = revisions[1]!;
    expect(edit.actorId).toBe(editor.id);
    expect(edit.before).toMatchObject({ title: 'Trucks cross at night' });
    expect(edit.after).toMatchObject({ title: 'Trucks and buses cross at night' });
    // The partner's original submission is untouched.
    expect(revisions[0]!.after).toMatchObject({ title: 'Trucks cross at night' });

    const page = getReviewPage({ actor: editor, reportId: id });
    if (!page.ok) throw new Error(page.messageKey);
    expect(page.page.edits[0]!.lines).toEqual([
      { kind: 'changed', label: 'Title', path: 'title', before: 'Trucks cross at night', after: 'Trucks and buses cross at night' },
      { kind: 'changed', label: 'Vehicle sighting 2 · count', path: 'vehicles.1.count', before: '11', after: '45' },
      { kind: 'added', label: 'Vehicle sighting 3', path: 'vehicles.2', after: 'type: bus; count: 3; estimate: yes; direction: out_of_kp; cargo: minerals' },
    ]);
    expect(page.page.originalSubmission?.content).toMatchObject({ title: 'Trucks cross at night' });
  });

  it('saving unchanged values writes nothing', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'verified', goods: 1, agencyIds: ['chonji'] });
    const form = formValues(id);
    expect(editReport({ actor: editor, reportId: id, version: form.version, values: form.values })).toEqual({ ok: true, reportId: id, version: 1, revisionId: null });
    expect(revisionsOf(id)).toHaveLength(0);
    expect(readReport(id).version).toBe(1);
  });

  it('refuses a stale version, invalid values, unknown references and the wrong state — nothing written', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id });
    const form = formValues(id);
    const snapshot = loadReportSnapshot(getDb(), id);
    expect(editReport({ actor: editor, reportId: id, version: form.version + 1, values: { ...form.values, title: 'New' } })).toMatchObject({ ok: false, code: 'stale' });
    const invalid = editReport({ actor: editor, reportId: id, version: form.version, values: { ...form.values, title: '', observedTo: '2018-07-11T00:00' } });
    expect(invalid).toMatchObject({ ok: false, code: 'invalid_input' });
    if (invalid.ok) return;
    expect(invalid.fieldErrors?.title).toEqual(['report.errors.titleRequired']);
    expect(invalid.fieldErrors?.observedTo).toEqual(['report.errors.toBeforeFrom']);
    const unknownPlace = editReport({ actor: editor, reportId: id, version: form.version, values: { ...form.values, placeId: 'kp-atlantis' } });
    expect(unknownPlace).toMatchObject({ ok: false, code: 'invalid_input', fieldErrors: { placeId: ['report.errors.placeInvalid'] } });
    const submitted = insertReviewReport({ authorId: partner.id });
    const submittedForm = formValues(submitted);
    expect(editReport({ actor: editor, reportId: submitted, version: 1, values: { ...submittedForm.values, title: 'x' } })).toMatchObject({
      ok: false,
      code: 'not_editable',
      messageKey: 'review.errors.notEditable',
    });
    expect(editReport({ actor: partner, reportId: id, version: 1, values: form.values })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(loadReportSnapshot(getDb(), id)).toEqual(snapshot);
    expect(readReport(id).version).toBe(1);
    expect(revisionsOf(id)).toHaveLength(0);
  });
});

describe('editor edits after an "other" agency is mapped to the list', () => {
  it('the correction form leaves the partner\'s free-text name out once the row names a listed agency, so saving it unchanged is accepted', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id, otherAgencies: ['Border unit 7'], withSubmission: true });
    const row = getDb().select({ id: reportAgencies.id }).from(reportAgencies).where(eq(reportAgencies.reportId, id)).get();
    const listed = getDb().select({ id: agencies.id }).from(agencies).limit(1).get();
    expect(mapOtherAgency({ actor: editor, reportAgencyRowId: String(row!.id), agencyId: String(listed!.id) })).toMatchObject({ ok: true });

    const form = formValues(id);
    expect(form.values.agencies[0]).toMatchObject({ agencyId: String(listed!.id), otherName: '' });
    expect(editReport({ actor: editor, reportId: id, version: form.version, values: form.values })).toMatchObject({ ok: true });
  });
});

describe('a conflict keeps the second editor\'s work (issue 19 item 7)', () => {
  it('a stale save writes nothing and answers with the fresh version and the diff from it to what was typed', () => {
    const id = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id, vehicles: 1 });
    const opened = formValues(id);
    // The first editor saves a new title.
    expect(editReport({ actor: editor, reportId: id, version: opened.version, values: { ...opened.values, title: 'Trucks at the bridge' } })).toMatchObject({ ok: true, version: 2 });
    const afterFirst = loadReportSnapshot(getDb(), id);
    // The second editor, on the page opened before, typed another narrative and count.
    const typed = { ...opened.values, narrative: 'Forty trucks, not thirty.', vehicles: [{ ...opened.values.vehicles[0]!, count: '40' }] };
    const refused = editReport({ actor: editor, reportId: id, version: opened.version, values: typed });
    expect(refused).toMatchObject({ ok: false, code: 'stale', conflict: { version: 2 } });
    expect(loadReportSnapshot(getDb(), id)).toEqual(afterFirst);
    if (refused.ok || !('conflict' in refused)) throw new Error('no conflict');
    expect(refused.conflict.lines).toEqual([
      { kind: 'changed', label: 'Title', path: 'title', before: 'Trucks at the bridge', after: 'Trucks cross at night' },
      { kind: 'changed', label: 'Narrative', path: 'narrative', before: afterFirst!.narrative, after: 'Forty trucks, not thirty.' },
      { kind: 'changed', label: 'Vehicle sighting 1 · count', path: 'vehicles.0.count', before: '10', after: '40' },
    ]);
    // Saving again with the fresh version applies the typed change over it, knowingly.
    expect(editReport({ actor: editor, reportId: id, version: refused.conflict.version, values: { ...typed, title: 'Trucks at the bridge' } })).toMatchObject({ ok: true, version: 3 });
    expect(readReport(id)).toMatchObject({ title: 'Trucks at the bridge', narrative: 'Forty trucks, not thirty.' });
  });
});

describe('possible duplicates on the review page (issue 19 item 9)', () => {
  it('flags the same partner\'s report in an overlapping window at a place in the same tree — not another partner\'s, a sibling place, or a later window', () => {
    const author = createTestAccount('partner');
    const other = createTestAccount('partner');
    const t0 = Date.UTC(2019, 2, 3, 12, 0);
    const id = insertReviewReport({ authorId: author.id, placeId: 'kp-manpo', observedFrom: t0, observedTo: t0 + 3_600_000 });
    const inParent = insertReviewReport({ authorId: author.id, placeId: 'kp-chagang', observedFrom: t0 + 1_800_000, observedTo: t0 + 7_200_000 });
    insertReviewReport({ authorId: other.id, placeId: 'kp-manpo', observedFrom: t0, observedTo: t0 + 3_600_000 });
    insertReviewReport({ authorId: author.id, placeId: 'river-amrok-chagang', observedFrom: t0, observedTo: t0 + 3_600_000 });
    insertReviewReport({ authorId: author.id, placeId: 'kp-manpo', observedFrom: t0 + 7_200_000, observedTo: t0 + 9_000_000 });
    insertReviewReport({ authorId: author.id, placeId: 'kp-manpo', observedFrom: t0, status: 'draft' });
    const page = getReviewPage({ actor: editor, reportId: id });
    if (!page.ok) throw new Error(page.messageKey);
    expect(page.page.possibleDuplicates.map((d) => d.id)).toEqual([inParent]);
  });
});

describe('corroboration links', () => {
  it('link two reports and show the link on both review pages; refuse duplicates and stale pages', () => {
    const a = insertReviewReport({ authorId: partner.id, status: 'in_review', claimedBy: editor.id, title: 'Report A' });
    const b = insertReviewReport({ authorId: partner.id, title: 'Report B' });
    const linked = linkReports({ actor: editor, reportId: a, version: 1, input: { otherReportId: String(b), kind: 'corroborates' } });
    expect(linked).toMatchObject({ ok: true, version: 2 });
    const pageA = getReviewPage({ actor: editor, reportId: a });
    const pageB = getReviewPage({ actor: editor, reportId: b });
    if (!pageA.ok || !pageB.ok) throw new Error('no page');
    expect(pageA.page.links).toMatchObject([{ kind: 'corroborates', isOutgoing: true, other: { id: b, title: 'Report B' } }]);
    expect(pageB.page.links).toMatchObject([{ kind: 'corroborates', isOutgoing: false, other: { id: a, title: 'Report A' } }]);

    expect(linkReports({ actor: editor, reportId: b, version: 1, input: { otherReportId: a, kind: 'contradicts' } })).toMatchObject({
      ok: false,
      code: 'conflict',
      messageKey: 'review.errors.alreadyLinked',
    });
    expect(linkReports({ actor: editor, reportId: a, version: 1, input: { otherReportId: b, kind: 'contradicts' } })).toMatchObject({ ok: false, code: 'stale' });
    expect(linkReports({ actor: editor, reportId: a, version: 2, input: { otherReportId: a, kind: 'contradicts' } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.selfLink',
    });
    expect(linkReports({ actor: editor, reportId: a, version: 2, input: { otherReportId: 987654, kind: 'contradicts' } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.otherReportNotFound',
    });
    expect(linkReports({ actor: editor, reportId: a, version: 2, input: { otherReportId: b, kind: 'supports' } })).toMatchObject({
      ok: false,
      messageKey: 'review.errors.invalidLinkKind',
    });
    expect(getDb().select().from(reportLinks).where(eq(reportLinks.reportId, a)).all()).toHaveLength(1);

    const linkId = pageB.page.links[0]!.linkId;
    expect(unlinkReports({ actor: editor, reportId: b, version: 1, linkId })).toMatchObject({ ok: true, version: 2 });
    expect(getDb().select().from(reportLinks).where(eq(reportLinks.id, linkId)).all()).toHaveLength(0);
  });
});

describe('review page', () => {
  it('shows times in the entered zone and in UTC, history, and nearby reports from the place and its parent within ±3 days', () => {
    // 2016: Pyongyang was on UTC+8:30 (2015-08-15 to 2018-05-04).
    const base = Date.UTC(2016, 6, 12, 10, 30);
    const id = insertReviewReport({ authorId: partner.id, placeId: 'kp-hyesan', observedFrom: base, observedTo: base + 3600_000 });
    const sameProvince = insertReviewReport({ authorId: partner.id, placeId: 'kp-yanggang', observedFrom: base + 2 * 86_400_000 });
    const underPlace = insertReviewReport({ authorId: partner.id, placeId: 'crossing-hyesan-changbai', observedFrom: base - 3 * 86_400_000 });
    insertReviewReport({ authorId: partner.id, placeId: 'kp-hyesan', observedFrom: base + 5 * 86_400_000 }); // too late
    insertReviewReport({ authorId: partner.id, placeId: 'kp-musan', observedFrom: base }); // elsewhere
    insertReviewReport({ authorId: partner.id, placeId: 'kp-hyesan', observedFrom: base, status: 'draft' }); // a draft
    decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'claim' } });

    const result = getReviewPage({ actor: editor, reportId: id });
    if (!result.ok) throw new Error(result.messageKey);
    const { page } = result;
    expect(page.report.observedFrom).toEqual({ instantMs: base, local: '2016-07-12 19:00 (UTC+8:30)', utc: '2016-07-12 10:30 UTC' });
    expect(page.report.place).toMatchObject({ id: 'kp-hyesan', parent: { id: 'kp-yanggang', nameEn: 'Yanggang Province' } });
    expect(page.report.isClaimedByMe).toBe(true);
    expect(page.events.map((e) => [e.action, e.fromStatus, e.toStatus, e.actorCodeName])).toEqual([['claim', 'submitted', 'in_review', editor.codeName]]);
    expect(page.nearby.map((n) => n.id).sort((x, y) => x - y)).toEqual([sameProvince, underPlace].sort((x, y) => x - y));
    expect(page.decisions).toEqual(['release', 'request_changes', 'verify', 'reject']);
    expect(page.isEditable).toBe(true);
    expect(getReviewPage({ actor: partner, reportId: id })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(getReviewPage({ actor: editor, reportId: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('internal notes and messages', () => {
  it('post an internal note or a message, guarded by the version, without bumping it', () => {
    const id = insertReviewReport({ authorId: partner.id });
    expect(postEditorMessage({ actor: editor, reportId: id, version: 1, body: 'Check with the other Hyesan source.', isInternal: true })).toMatchObject({ ok: true });
    expect(readReport(id).version).toBe(1);
    decideReport({ actor: editor, reportId: id, version: 1, input: { action: 'claim' } });
    expect(postEditorMessage({ actor: editor, reportId: id, version: 1, body: 'Stale note', isInternal: true })).toMatchObject({ ok: false, code: 'stale' });
    expect(postEditorMessage({ actor: editor, reportId: id, version: 2, body: '  ', isInternal: false })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      messageKey: 'messages.errors.invalid',
    });
    expect(postEditorMessage({ actor: partner, reportId: id, version: 2, body: 'hi', isInternal: true })).toMatchObject({ ok: false, code: 'forbidden' });
    const rows = getDb().select().from(reportMessages).where(eq(reportMessages.reportId, id)).all();
    expect(rows.map((m) => [m.body, m.isInternal])).toEqual([['Check with the other Hyesan source.', true]]);
    expect(readEvents(id)).toHaveLength(1);
  });
});
