import { beforeAll, describe, expect, it } from 'vitest';
import { countTestRows } from '@/lib/testing/database';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';
import { submitInParallel } from '@/lib/testing/parallel';
import { retireEntry } from '@/lib/testing/reference';
import { freshDemoReportValues, toReportFormData } from '@/lib/testing/reports';

type Modules = {
  submit: typeof import('./submit');
  drafts: typeof import('./drafts');
  client: typeof import('@/db/client');
  formData: typeof import('./form-data');
};

let accounts: TestAccounts<{ partnerA: 'partner'; partnerB: 'partner'; editor: 'editor' }>;
let m: Modules;
const NOW = Date.UTC(2026, 0, 15, 12, 0);

beforeAll(async () => {
  accounts = await insertTestAccounts({ partnerA: 'partner', partnerB: 'partner', editor: 'editor' });
  m = {
    submit: await import('./submit'),
    drafts: await import('./drafts'),
    client: await import('@/db/client'),
    formData: await import('./form-data'),
  };
});

function tableCounts() {
  return {
    reports: countTestRows('reports'),
    vehicles: countTestRows('report_vehicles'),
    goods: countTestRows('report_goods'),
    agencies: countTestRows('report_agencies'),
    events: countTestRows('report_events'),
    revisions: countTestRows('report_revisions'),
  };
}

function reportByClientId(clientId: string) {
  return m.client
    .getSqlite()
    .prepare('SELECT id, status, version, title, author_id AS authorId, submitted_at AS submittedAt FROM reports WHERE client_id = ?')
    .get(clientId) as { id: number; status: string; version: number; title: string; authorId: number; submittedAt: number | null } | undefined;
}

describe('submitReport', () => {
  it('files the first demo report with every row, its event and its submission revision in one go', () => {
    const values = freshDemoReportValues();
    const result = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.alreadySubmitted).toBe(false);

    const report = reportByClientId(values.clientId);
    expect(report).toMatchObject({ id: result.reportId, status: 'submitted', authorId: accounts.partnerA.id, submittedAt: NOW });
    expect(countTestRows('report_vehicles', 'report_id = ?', result.reportId)).toBe(4);
    expect(countTestRows('report_goods', 'report_id = ?', result.reportId)).toBe(4);
    const event = m.client.getSqlite().prepare('SELECT action, from_status AS fromStatus, to_status AS toStatus, actor_id AS actorId FROM report_events WHERE report_id = ?').all(result.reportId);
    expect(event).toEqual([{ action: 'submit', fromStatus: 'draft', toStatus: 'submitted', actorId: accounts.partnerA.id }]);
    const revision = m.client.getSqlite().prepare("SELECT kind, after FROM report_revisions WHERE report_id = ?").get(result.reportId) as { kind: string; after: string };
    expect(revision.kind).toBe('submission');
    const after = JSON.parse(revision.after);
    expect(after.title).toBe(values.title);
    // 2018-07-12 19:30 in Pyongyang (UTC+9) is 10:30 UTC.
    expect(after.observedFrom).toBe(Date.UTC(2018, 6, 12, 10, 30));
    expect(after.vehicles).toHaveLength(4);
    expect(after.vehicles[0]).toMatchObject({ vehicleType: 'bus', count: 12, isEstimate: true, direction: 'into_kp' });
  });

  it('answers a sequential retry exactly like the first post and writes nothing more', () => {
    const values = freshDemoReportValues();
    const first = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    const before = tableCounts();
    const retry = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW + 5_000 });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry.reportId).toBe(first.reportId);
    expect(retry.submittedAt).toBe(first.submittedAt);
    expect(retry.alreadySubmitted).toBe(true);
    expect(tableCounts()).toEqual(before);
  });

  // Five processes, each with its own connection, released together: their write transactions
  // really contend (inside one process the synchronous submitReport would run them in turn).
  it('turns five parallel identical posts into one report', { timeout: 60_000 }, async () => {
    const values = freshDemoReportValues();
    const before = tableCounts();
    const results = await submitInParallel(5, { actor: accounts.partnerA, values, now: NOW });
    const ids = new Set(results.map((r) => (r.ok ? r.reportId : null)));
    expect(ids.size).toBe(1);
    expect(ids.has(null)).toBe(false);
    expect(results.filter((r) => r.ok && !r.alreadySubmitted)).toHaveLength(1);
    const after = tableCounts();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.events).toBe(before.events + 1);
    expect(after.revisions).toBe(before.revisions + 1);
    expect(after.vehicles).toBe(before.vehicles + 4);
  });

  it('submits a saved draft with the same client id: draft → submitted, the draft row reused', () => {
    const values = freshDemoReportValues();
    const draft = m.drafts.saveDraft({ actor: accounts.partnerA, values: { ...values, vehicles: [] }, now: NOW - 60_000 });
    if (!draft.ok) throw new Error(JSON.stringify(draft));
    const result = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.reportId).toBe(draft.reportId);
    expect(reportByClientId(values.clientId)).toMatchObject({ status: 'submitted', version: draft.version + 1 });
    expect(countTestRows('report_vehicles', 'report_id = ?', result.reportId)).toBe(4);
  });

  it.each([
    ['status', 'published'],
    ['authorId', '2'],
    ['id', '1'],
  ])('refuses a post that sets %s, and changes nothing', (field, value) => {
    const values = freshDemoReportValues();
    const before = tableCounts();
    const result = m.submit.submitReport({ actor: accounts.partnerA, values: { ...values, [field]: value }, now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.formErrors).toContain('report.errors.fieldNotAllowed');
    expect(tableCounts()).toEqual(before);
    expect(reportByClientId(values.clientId)).toBeUndefined();
  });

  it('refuses `status` on a retry of an already submitted report instead of answering ok', () => {
    const values = freshDemoReportValues();
    const first = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    expect(first.ok).toBe(true);
    const result = m.submit.submitReport({ actor: accounts.partnerA, values: { ...values, status: 'verified' }, now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'invalid' });
    expect(reportByClientId(values.clientId)?.status).toBe('submitted');
  });

  it('refuses OTHER text for a report filed already (rejected here): nothing written, the answer says what became of it and when', () => {
    const values = freshDemoReportValues();
    const first = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!first.ok) throw new Error('setup');
    const sqlite = m.client.getSqlite();
    sqlite.prepare("UPDATE reports SET status = 'rejected' WHERE id = ?").run(first.reportId);
    sqlite
      .prepare("INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, created_at) VALUES (?, ?, 'reject', 'in_review', 'rejected', ?)")
      .run(first.reportId, accounts.editor.id, NOW + 60_000);
    const before = tableCounts();

    const changed = m.submit.submitReport({ actor: accounts.partnerA, values: { ...values, narrative: `${values.narrative} Corrected.` }, now: NOW + 120_000 });
    expect(changed).toEqual({
      ok: false,
      code: 'notEditable',
      messageKey: 'report.outcome.alreadyFiled',
      fieldErrors: {},
      formErrors: ['report.outcome.alreadyFiled'],
      timeOptions: {},
      filed: { reportId: first.reportId, status: 'rejected', at: NOW + 60_000, submittedAt: NOW },
    });
    // Text that no longer validates is not the filed text either: refused the same way, never "ok".
    const emptied = m.submit.submitReport({ actor: accounts.partnerA, values: { ...values, title: '' }, now: NOW + 120_000 });
    expect(emptied).toMatchObject({ ok: false, messageKey: 'report.outcome.alreadyFiled' });
    // The filed text again is a retry: the first answer.
    const retry = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW + 120_000 });
    expect(retry).toEqual({ ok: true, reportId: first.reportId, alreadySubmitted: true, submittedAt: NOW });
    expect(tableCounts()).toEqual(before);
    expect(reportByClientId(values.clientId)).toMatchObject({ status: 'rejected', title: values.title });
  });

  it('compares with the LAST submission: after a resubmission the first text is no longer a retry', () => {
    const values = freshDemoReportValues();
    const first = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!first.ok) throw new Error('setup');
    const sqlite = m.client.getSqlite();
    sqlite.prepare("UPDATE reports SET status = 'changes_requested' WHERE id = ?").run(first.reportId);
    const edited = { ...values, title: 'Buses and trucks cross at night' };
    expect(m.submit.submitReport({ actor: accounts.partnerA, values: edited, now: NOW + 1_000 })).toMatchObject({ ok: true, alreadySubmitted: false });
    expect(m.submit.submitReport({ actor: accounts.partnerA, values: edited, now: NOW + 2_000 })).toMatchObject({ ok: true, alreadySubmitted: true });
    expect(m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW + 2_000 })).toMatchObject({
      ok: false,
      messageKey: 'report.outcome.alreadyFiled',
      filed: { status: 'submitted', at: NOW + 1_000, submittedAt: NOW + 1_000 },
    });
  });

  it('refuses the same FormData with a `status` field through the HTML form parser', () => {
    const formData = toReportFormData(freshDemoReportValues());
    formData.append('status', 'published');
    const parsed = m.formData.parseReportFormData(formData);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.formErrors).toContain('report.errors.fieldNotAllowed');
  });

  it("answers 'notFound' for another partner's client id and leaves their report as it was", () => {
    const values = freshDemoReportValues();
    const theirs = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!theirs.ok) throw new Error('setup');
    const before = reportByClientId(values.clientId);
    const result = m.submit.submitReport({ actor: accounts.partnerB, values: { ...values, title: 'Overwritten by B' }, now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'notFound', messageKey: 'report.outcome.notFound' });
    expect(reportByClientId(values.clientId)).toEqual(before);
  });

  it('refuses editors: only partners file reports', () => {
    const result = m.submit.submitReport({ actor: accounts.editor, values: freshDemoReportValues(), now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses `to` before `from` and a future time beside their fields, writing nothing', () => {
    const before = tableCounts();
    const backwards = m.submit.submitReport({
      actor: accounts.partnerA,
      values: { ...freshDemoReportValues(), observedFrom: '2018-07-13T04:30', observedTo: '2018-07-12T19:30' },
      now: NOW,
    });
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.fieldErrors.observedTo).toContain('report.errors.toBeforeFrom');
    const future = m.submit.submitReport({
      actor: accounts.partnerA,
      values: { ...freshDemoReportValues(), observedTo: '2026-02-01T10:00' },
      now: NOW,
    });
    expect(future.ok).toBe(false);
    if (!future.ok) expect(future.fieldErrors.observedTo).toContain('report.errors.timeInFuture');
    expect(tableCounts()).toEqual(before);
  });

  it('refuses a retired place and an unknown goods category', () => {
    retireEntry('places', 'kp-nampo');
    const values = freshDemoReportValues();
    values.placeId = 'kp-nampo';
    const first = values.goods[0];
    if (!first) throw new Error('demo report has goods');
    values.goods[0] = { ...first, categoryId: 'no-such-category' };
    const before = tableCounts();
    const result = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.placeId).toEqual(['report.errors.placeInvalid']);
    expect(result.fieldErrors['goods.0.categoryId']).toEqual(['report.errors.categoryInvalid']);
    expect(tableCounts()).toEqual(before);
  });

  it('resubmits after changes were requested, keeping the first submission revision as it was', () => {
    const values = freshDemoReportValues();
    const first = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!first.ok) throw new Error('setup');
    // An editor sends it back (the editor domain does this through the workflow; here by hand).
    const sqlite = m.client.getSqlite();
    sqlite.prepare("UPDATE reports SET status = 'changes_requested' WHERE id = ?").run(first.reportId);
    sqlite
      .prepare("INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, note) VALUES (?, ?, 'request_changes', 'in_review', 'changes_requested', 'Which night?')")
      .run(first.reportId, accounts.editor.id);

    const edited = { ...values, title: 'Buses and trucks cross the upper Amrok on 12 July', vehicles: values.vehicles.slice(0, 1) };
    const saved = m.drafts.saveDraft({ actor: accounts.partnerA, values: edited, now: NOW + 1_000 });
    expect(saved.ok).toBe(true);
    expect(reportByClientId(values.clientId)?.status).toBe('changes_requested');
    const resubmitted = m.submit.submitReport({ actor: accounts.partnerA, values: edited, now: NOW + 2_000 });
    expect(resubmitted).toMatchObject({ ok: true, reportId: first.reportId, alreadySubmitted: false });
    expect(reportByClientId(values.clientId)).toMatchObject({ status: 'submitted', title: edited.title, submittedAt: NOW + 2_000 });
    // The rows are replaced, not added to: one vehicle row now, the goods rows as before.
    const rowCount = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE report_id = ?`).get(first.reportId) as { n: number }).n;
    expect(values.vehicles.length).toBeGreaterThan(1);
    expect(rowCount('report_vehicles')).toBe(1);
    expect(rowCount('report_goods')).toBe(values.goods.length);

    const revisions = sqlite
      .prepare("SELECT after FROM report_revisions WHERE report_id = ? AND kind = 'submission' ORDER BY id")
      .all(first.reportId) as { after: string }[];
    expect(revisions.map((r) => JSON.parse(r.after).title)).toEqual([values.title, edited.title]);
    const events = sqlite.prepare('SELECT action, from_status AS fromStatus FROM report_events WHERE report_id = ? ORDER BY id').all(first.reportId);
    expect(events).toEqual([
      { action: 'submit', fromStatus: 'draft' },
      { action: 'request_changes', fromStatus: 'in_review' },
      { action: 'submit', fromStatus: 'changes_requested' },
    ]);
  });
});

describe('oversized and malformed input', () => {
  it('refuses a 10 MB text field through the HTML form before anything is written', () => {
    const before = tableCounts();
    const formData = toReportFormData(freshDemoReportValues());
    formData.set('narrative', 'x'.repeat(10 * 1024 * 1024));
    const parsed = m.formData.parseReportFormData(formData);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.formErrors).toContain('report.errors.valueTooLarge');
      expect(parsed.fieldErrors.narrative).toEqual(['report.errors.valueTooLarge']);
      expect(parsed.values.narrative).toBe('');
    }
    expect(tableCounts()).toEqual(before);
  });

  it('refuses a 10 MB narrative sent as values (the autosave path) with its limit message', () => {
    const before = tableCounts();
    const values = { ...freshDemoReportValues(), narrative: 'x'.repeat(10 * 1024 * 1024) };
    const draft = m.drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    const submitted = m.submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    for (const result of [draft, submitted]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fieldErrors.narrative).toEqual(['report.errors.narrativeTooLong']);
    }
    expect(tableCounts()).toEqual(before);
  });

  it('refuses 10,000 vehicle rows both as FormData and as values, writing nothing', () => {
    const before = tableCounts();
    const values = freshDemoReportValues();
    const row = values.vehicles[0];
    if (!row) throw new Error('demo report has vehicles');
    const huge = { ...values, vehicles: Array.from({ length: 10_000 }, () => ({ ...row })) };

    const parsed = m.formData.parseReportFormData(toReportFormData(huge));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.formErrors.length).toBeGreaterThan(0);

    const draft = m.drafts.saveDraft({ actor: accounts.partnerA, values: huge, now: NOW });
    const submitted = m.submit.submitReport({ actor: accounts.partnerA, values: huge, now: NOW });
    for (const result of [draft, submitted]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fieldErrors.vehicles).toContain('report.errors.tooManyVehicles');
    }
    expect(tableCounts()).toEqual(before);
  });

  it.each([null, 'a string', 42, [], { clientId: 7 }])('refuses a malformed body (%j) without throwing', (body) => {
    const before = tableCounts();
    expect(m.submit.submitReport({ actor: accounts.partnerA, values: body, now: NOW }).ok).toBe(false);
    expect(m.drafts.saveDraft({ actor: accounts.partnerA, values: body, now: NOW }).ok).toBe(false);
    expect(tableCounts()).toEqual(before);
  });
});
