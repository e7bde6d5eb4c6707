import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';
import { correctAsEditor, demoReportValues, freshDemoReportValues, sendBackForChanges } from '@/lib/testing/reports';
import { emptyGoodsRow, emptyReportValues, emptyVehicleRow, type ReportFormValues } from './form-values';

let accounts: TestAccounts<{ partnerA: 'partner'; partnerB: 'partner'; editor: 'editor' }>;
let drafts: typeof import('./drafts');
let submit: typeof import('./submit');
let queries: typeof import('./queries');
let thread: typeof import('@/lib/messages/thread');
let client: typeof import('@/db/client');
const NOW = Date.UTC(2026, 0, 15, 12, 0);

beforeAll(async () => {
  accounts = await insertTestAccounts({ partnerA: 'partner', partnerB: 'partner', editor: 'editor' });
  drafts = await import('./drafts');
  submit = await import('./submit');
  queries = await import('./queries');
  thread = await import('@/lib/messages/thread');
  client = await import('@/db/client');
});

function row(clientId: string) {
  return client.getSqlite().prepare('SELECT id, status, version, title, narrative FROM reports WHERE client_id = ?').get(clientId) as
    | { id: number; status: string; version: number; title: string; narrative: string }
    | undefined;
}

describe('saveDraft', () => {
  it('creates the draft on the first save and updates the same report, bumping its version, afterwards', () => {
    const values = { ...emptyReportValues(randomUUID()), title: 'Cars by the river' };
    const first = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    expect(first).toMatchObject({ ok: true, created: true, version: 1 });
    const second = drafts.saveDraft({ actor: accounts.partnerA, values: { ...values, narrative: 'They wait until dark.' }, now: NOW + 2_000 });
    expect(second).toMatchObject({ ok: true, created: false, version: 2 });
    if (!first.ok || !second.ok) return;
    expect(second.reportId).toBe(first.reportId);
    expect(row(values.clientId)).toMatchObject({ status: 'draft', version: 2 });
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: first.reportId });
    expect(forEdit?.editable && forEdit.values).toMatchObject({ title: 'Cars by the river', narrative: 'They wait until dark.' });
    expect(queries.listMyReports({ actor: accounts.partnerA }).find((r) => r.id === first.reportId)?.title).toBe('Cars by the river');
  });

  it('keeps the form exactly as typed: a half-filled row and a time that cannot be converted yet', () => {
    const values: ReportFormValues = {
      ...emptyReportValues(randomUUID()),
      timeZone: 'Asia/Pyongyang',
      observedFrom: '2018-05-04T23:45', // in Pyongyang's clock gap: refused only at submit
      vehicles: [{ ...emptyVehicleRow(), vehicleType: 'truck', cargo: 'coal' }],
    };
    const saved = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: saved.reportId });
    expect(forEdit?.editable && forEdit.values).toEqual(values);
    expect(client.getSqlite().prepare('SELECT count(*) AS n FROM report_vehicles WHERE report_id = ?').get(saved.reportId)).toEqual({ n: 0 });

    const submitted = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    expect(submitted).toMatchObject({ ok: false, fieldErrors: { observedFrom: ['report.errors.timeInGap'] } });
  });

  it('gives the edit form back exactly what was saved', () => {
    const values = freshDemoReportValues(2);
    const saved = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: saved.reportId });
    expect(forEdit).toMatchObject({ editable: true, status: 'draft' });
    if (!forEdit?.editable) return;
    expect(forEdit.values).toEqual(values);
  });

  it('shows a report sent back for changes in the form as submitted, times in the entered zone, until the partner edits it', () => {
    const values = { ...demoReportValues(0), clientId: randomUUID(), observedTo: '2015-08-14T23:45', observedToChoice: 'later', observedFrom: '2015-08-14T20:00' };
    const submitted = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    sendBackForChanges(accounts.editor, submitted.reportId);
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: submitted.reportId });
    expect(forEdit?.editable && forEdit.values).toEqual(values);

    const edited = { ...values, title: 'A better title' };
    expect(drafts.saveDraft({ actor: accounts.partnerA, values: edited, now: NOW + 1 }).ok).toBe(true);
    // Editors keep reviewing what was submitted; the partner's edit waits in the draft values.
    expect(row(values.clientId)?.title).toBe(values.title);
    const again = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: submitted.reportId });
    expect(again?.editable && again.values.title).toBe('A better title');
  });

  it("refuses another partner's client id as not found and leaves their draft alone", () => {
    const values = { ...emptyReportValues(randomUUID()), title: 'Mine' };
    drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    const before = row(values.clientId);
    const result = drafts.saveDraft({ actor: accounts.partnerB, values: { ...values, title: 'Theirs now' }, now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'notFound' });
    expect(row(values.clientId)).toEqual(before);
  });

  it('refuses to change a report once it is submitted', () => {
    const values = freshDemoReportValues();
    expect(submit.submitReport({ actor: accounts.partnerA, values, now: NOW }).ok).toBe(true);
    const before = row(values.clientId);
    const result = drafts.saveDraft({ actor: accounts.partnerA, values: { ...values, title: 'Changed later' }, now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'notEditable', messageKey: 'report.outcome.notEditable' });
    expect(row(values.clientId)).toEqual(before);
  });

  it('stores no blank rows (the form keeps them ready, they are not part of the report) and puts problems at the rows as on the page', () => {
    const values: ReportFormValues = {
      ...emptyReportValues(randomUUID()),
      vehicles: [emptyVehicleRow(), { ...emptyVehicleRow(), vehicleType: 'truck', count: 'about 5' }, emptyVehicleRow(), emptyVehicleRow()],
      goods: [emptyGoodsRow(), emptyGoodsRow(), emptyGoodsRow()],
    };
    const saved = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    // Blank rows get no messages; the typed row's stands at its number on the page (row 2).
    expect(saved).toMatchObject({ ok: true, problems: { formErrors: [], fieldErrors: { 'vehicles.1.count': ['report.errors.countNotWholeNumber'] } } });
    if (!saved.ok) return;
    expect(Object.keys(saved.problems?.fieldErrors ?? {})).toEqual(['vehicles.1.count']);
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: saved.reportId });
    expect(forEdit?.editable && forEdit.values.vehicles).toEqual([{ ...emptyVehicleRow(), vehicleType: 'truck', count: 'about 5' }]);
    expect(forEdit?.editable && forEdit.values.goods).toEqual([]);
    // A blank row with a field a partner may not set is still refused, not dropped.
    const hostile = { ...values, vehicles: [{ ...emptyVehicleRow(), status: '' }] };
    expect(drafts.saveDraft({ actor: accounts.partnerA, values: hostile, now: NOW + 1 })).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('keeps values that do not validate yet as typed and answers with their problems', () => {
    const values: ReportFormValues = {
      ...emptyReportValues(randomUUID()),
      observedFrom: '2018-07-12T19:30',
      vehicles: [
        { ...emptyVehicleRow(), vehicleType: 'truck', count: 'about 5' },
        { ...emptyVehicleRow(), vehicleType: 'bus', count: '3' },
      ],
      goods: [{ ...emptyGoodsRow(), description: 'rice', quantity: '-5', value: 'abc' }],
    };
    const saved = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    expect(saved).toMatchObject({
      ok: true,
      created: true,
      problems: {
        formErrors: [],
        fieldErrors: {
          'vehicles.0.count': ['report.errors.countNotWholeNumber'],
          'goods.0.quantity': ['report.errors.quantityInvalid'],
          'goods.0.value': ['report.errors.valueInvalid'],
        },
      },
    });
    if (!saved.ok) return;
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: saved.reportId });
    expect(forEdit?.editable && forEdit.values).toEqual(values);
    expect(client.getSqlite().prepare('SELECT count(*) AS n FROM report_vehicles WHERE report_id = ?').get(saved.reportId)).toEqual({ n: 0 });

    const fixed = { ...values, vehicles: values.vehicles.map((v) => ({ ...v, count: '5' })), goods: [] };
    expect(drafts.saveDraft({ actor: accounts.partnerA, values: fixed, now: NOW + 1 })).toMatchObject({ ok: true, version: 2, problems: null });
  });

  it('refuses a draft with a bad field when it also sets status, and writes nothing', () => {
    const values = { ...emptyReportValues(randomUUID()), vehicles: [{ ...emptyVehicleRow(), count: 'about 5' }], status: 'published' };
    const result = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'invalid', formErrors: ['report.errors.fieldNotAllowed'] });
    expect(row(values.clientId)).toBeUndefined();
  });

  it('refuses values that are not the form’s as typed (a number, a row over the byte cap), writing nothing', () => {
    const base = emptyReportValues(randomUUID());
    const asNumber = { ...base, vehicles: [{ ...emptyVehicleRow(), count: 5 }] };
    expect(drafts.saveDraft({ actor: accounts.partnerA, values: asNumber, now: NOW })).toMatchObject({ ok: false, code: 'invalid' });
    const huge = { ...base, title: 'x'.repeat(200 * 1024) };
    expect(drafts.saveDraft({ actor: accounts.partnerA, values: huge, now: NOW })).toMatchObject({ ok: false, code: 'invalid' });
    expect(row(base.clientId)).toBeUndefined();
  });

  it('keeps the submitted content of a report sent back for changes when an edit does not validate yet', () => {
    const values = freshDemoReportValues();
    const submitted = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    sendBackForChanges(accounts.editor, submitted.reportId);
    const vehiclesBefore = client.getSqlite().prepare('SELECT * FROM report_vehicles WHERE report_id = ?').all(submitted.reportId);
    const edited = { ...values, title: 'Edited', vehicles: [{ ...emptyVehicleRow(), count: 'about 5' }] };
    expect(drafts.saveDraft({ actor: accounts.partnerA, values: edited, now: NOW + 1 })).toMatchObject({ ok: true, problems: { formErrors: [] } });
    expect(row(values.clientId)).toMatchObject({ title: values.title, status: 'changes_requested' });
    expect(client.getSqlite().prepare('SELECT * FROM report_vehicles WHERE report_id = ?').all(submitted.reportId)).toEqual(vehiclesBefore);
    const forEdit = queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: submitted.reportId });
    expect(forEdit?.editable && forEdit.values).toEqual(edited);
  });

  it.each(['status', 'authorId'])('refuses a draft that sets %s', (field) => {
    const values = { ...emptyReportValues(randomUUID()), [field]: field === 'status' ? 'published' : String(accounts.partnerB.id) };
    const result = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    expect(result).toMatchObject({ ok: false, code: 'invalid', formErrors: ['report.errors.fieldNotAllowed'] });
    expect(row(values.clientId as string)).toBeUndefined();
  });

});

describe('the partner’s report list and report page', () => {
  it('lists only the partner’s own reports, newest change first, with unread editor messages', () => {
    const older = freshDemoReportValues();
    const newer = { ...emptyReportValues(randomUUID()), title: 'Newer draft' };
    const mine = submit.submitReport({ actor: accounts.partnerB, values: older, now: NOW + 10_000 });
    drafts.saveDraft({ actor: accounts.partnerB, values: newer, now: NOW + 20_000 });
    drafts.saveDraft({ actor: accounts.partnerA, values: { ...emptyReportValues(randomUUID()), title: 'Not B’s' }, now: NOW + 30_000 });
    if (!mine.ok) throw new Error('setup');
    expect(thread.postMessage({ actor: accounts.editor, reportId: mine.reportId, input: { body: 'Which crossing?' } }).ok).toBe(true);

    const list = queries.listMyReports({ actor: accounts.partnerB });
    expect(list.map((item) => item.title)).toEqual(['Newer draft', older.title]);
    expect(list.map((item) => item.status)).toEqual(['draft', 'submitted']);
    expect(list[1]?.unreadMessages).toBe(1);
    expect(list[0]?.unreadMessages).toBe(0);
    expect(queries.listMyReports({ actor: accounts.editor })).toEqual([]);
  });

  it("shows a report to its author with times in the entered zone, and to nobody else", () => {
    const values = freshDemoReportValues();
    const result = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!result.ok) throw new Error('setup');
    const view = queries.getMyReport({ actor: accounts.partnerA, reportId: String(result.reportId), locale: 'ko' });
    expect(view).toMatchObject({ status: 'submitted', isEditable: false, placeName: '압록강' });
    expect(view?.observedFrom?.text).toBe('2018-07-12 19:30 (UTC+9)');
    expect(view?.observedTo?.text).toBe('2018-07-13 04:30 (UTC+9)');
    expect(view?.categoryNames.electronics).toBe('전자제품');
    expect(view?.history.map((h) => [h.action, h.toStatus, h.byPartner])).toEqual([['submit', 'submitted', true]]);

    expect(queries.getMyReport({ actor: accounts.partnerB, reportId: result.reportId, locale: 'en' })).toBeNull();
    expect(queries.getMyReportForEdit({ actor: accounts.partnerB, reportId: result.reportId })).toBeNull();
    expect(queries.getMyReport({ actor: accounts.editor, reportId: result.reportId, locale: 'en' })).toBeNull();
    expect(queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: result.reportId })).toEqual({ editable: false, id: result.reportId });
  });

  it('shows the partner what they filed, not an editor’s later correction, and says a correction was made', () => {
    const values = freshDemoReportValues();
    const result = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!result.ok) throw new Error('setup');
    const before = queries.getMyReport({ actor: accounts.partnerA, reportId: result.reportId, locale: 'en' });
    expect(before?.editedByEditor).toBe(false);
    const vehiclesFiled = before?.content.vehicles.length ?? 0;
    expect(vehiclesFiled).toBeGreaterThan(1);

    // An editor corrects the title and drops a vehicle row (lib/review/edits.ts: new content, an
    // 'editor_edit' revision).
    correctAsEditor(accounts.editor, result.reportId, (filed) => ({ ...filed, title: 'Corrected by the desk', vehicles: filed.vehicles.slice(1) }));

    const view = queries.getMyReport({ actor: accounts.partnerA, reportId: result.reportId, locale: 'en' });
    expect(view?.editedByEditor).toBe(true);
    expect(view?.content.title).toBe(values.title);
    expect(view?.content.vehicles).toHaveLength(vehiclesFiled);
  });
});

describe('deleteDraft', () => {
  it('deletes a partner’s own draft for good: a late autosave or a resent submit under its client id is refused', async () => {
    const values = freshDemoReportValues();
    const saved = drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW });
    if (!saved.ok) throw new Error('setup');
    // Another partner, an editor and a junk id change nothing.
    expect(await drafts.deleteDraft({ actor: accounts.partnerB, reportId: saved.reportId })).toMatchObject({ ok: false, code: 'notFound' });
    expect(await drafts.deleteDraft({ actor: accounts.editor, reportId: saved.reportId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await drafts.deleteDraft({ actor: accounts.partnerA, reportId: '1 OR 1=1' })).toMatchObject({ ok: false, code: 'notFound' });
    expect(row(values.clientId)).toMatchObject({ status: 'draft' });

    expect(await drafts.deleteDraft({ actor: accounts.partnerA, reportId: String(saved.reportId) })).toEqual({ ok: true });
    expect(row(values.clientId)).toBeUndefined();
    expect(queries.getMyReportForEdit({ actor: accounts.partnerA, reportId: saved.reportId })).toBeNull();
    const tombstone = client.getSqlite().prepare('SELECT * FROM deleted_drafts WHERE client_id = ?').get(values.clientId) as Record<string, unknown>;
    expect(Object.keys(tombstone).sort()).toEqual(['author_id', 'client_id', 'deleted_at']);

    expect(drafts.saveDraft({ actor: accounts.partnerA, values, now: NOW + 1_000 })).toMatchObject({ ok: false, code: 'notFound' });
    expect(submit.submitReport({ actor: accounts.partnerA, values, now: NOW + 2_000 })).toMatchObject({ ok: false, code: 'notFound' });
    expect(row(values.clientId)).toBeUndefined();
    expect(await drafts.deleteDraft({ actor: accounts.partnerA, reportId: saved.reportId })).toMatchObject({ ok: false, code: 'notFound' });
  });

  it('refuses a report that was ever submitted, even when sent back for changes', async () => {
    const values = freshDemoReportValues();
    const submitted = submit.submitReport({ actor: accounts.partnerA, values, now: NOW });
    if (!submitted.ok) throw new Error('setup');
    expect(await drafts.deleteDraft({ actor: accounts.partnerA, reportId: submitted.reportId })).toMatchObject({ ok: false, code: 'notEditable' });
    sendBackForChanges(accounts.editor, submitted.reportId);
    expect(await drafts.deleteDraft({ actor: accounts.partnerA, reportId: submitted.reportId })).toMatchObject({ ok: false, code: 'notEditable' });
    expect(row(values.clientId)).toMatchObject({ status: 'changes_requested' });
  });
});
