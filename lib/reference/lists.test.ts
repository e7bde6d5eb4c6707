import { beforeAll, describe, expect, it } from 'vitest';
import { getPublishingView } from '@/lib/publishing/editor-view';
import { publishReport } from '@/lib/publishing/publish';
import { auditRows, insertTestAccount } from '@/lib/testing/accounts';
import { insertReviewReport, readReport, type ReviewTestReport } from '@/lib/testing/reports';

let lists: typeof import('./lists');
let sqlite: import('better-sqlite3').Database;
let admin: { id: number; role: 'admin' };
let editor: { id: number; role: 'editor' };
let partner: { id: number; role: 'partner' };

beforeAll(async () => {
  lists = await import('./lists');
  sqlite = (await import('@/db/client')).getSqlite();
  admin = { id: (await insertTestAccount({ role: 'admin' })).id, role: 'admin' };
  editor = { id: (await insertTestAccount({ role: 'editor' })).id, role: 'editor' };
  partner = { id: (await insertTestAccount({ role: 'partner' })).id, role: 'partner' };
});

function insertReport(report: Omit<ReviewTestReport, 'authorId'>): number {
  return insertReviewReport({ authorId: partner.id, ...report });
}

/** The id of a report's agency row (the first). */
function agencyRowId(reportId: number): number {
  return sqlite.prepare('SELECT id FROM report_agencies WHERE report_id = ? ORDER BY position').pluck().get(reportId) as number;
}

/** Verify and publish a report at its own place (county_or_city keeps a county), as an editor; the publication's id. */
function publishAtItsPlace(reportId: number): { id: number } {
  const view = getPublishingView({ actor: editor, reportId });
  if (!view) throw new Error('no publishing view');
  const done = publishReport({ actor: editor, reportId, expectedVersion: readReport(reportId).version, choices: { ...view.defaults, placeCoarsening: 'county_or_city' } });
  if (!done.ok) throw new Error(`publish refused: ${done.messageKey}`);
  return { id: sqlite.prepare('SELECT id FROM publications WHERE report_id = ?').pluck().get(reportId) as number };
}

function count(sql: string, ...params: unknown[]): number {
  return (sqlite.prepare(sql).get(...params) as { n: number }).n;
}

describe('adding and renaming', () => {
  it('adds entries with ids made from the English name, and refuses duplicates and bad input', () => {
    const place = lists.addReferenceEntry({ actor: admin, list: 'places', input: { nameEn: 'Hyesan Station', nameKo: '혜산역', kind: 'crossing', country: 'KP', parentId: 'kp-yanggang' } });
    expect(place).toEqual({ ok: true, id: 'kp-hyesan-station' });
    const again = lists.addReferenceEntry({ actor: admin, list: 'places', input: { nameEn: 'hyesan station', nameKo: '혜산역', kind: 'crossing', country: 'KP', parentId: '' } });
    expect(again).toEqual({ ok: false, messageKey: 'reference.errors.summary', fieldErrors: { nameEn: ['reference.errors.nameTaken'] } });
    const goods = lists.addReferenceEntry({ actor: admin, list: 'goods', input: { nameEn: '  Rice  ', nameKo: '쌀' } });
    expect(goods).toEqual({ ok: true, id: 'rice' });
    const bad = lists.addReferenceEntry({ actor: admin, list: 'agencies', input: { nameEn: '', nameKo: 'x'.repeat(121), kind: 'cult' } });
    expect(bad).toEqual({
      ok: false,
      messageKey: 'reference.errors.summary',
      fieldErrors: { nameEn: ['reference.errors.nameEnRequired'], nameKo: ['reference.errors.nameTooLong'], kind: ['reference.errors.kindInvalid'] },
    });
    expect(lists.addReferenceEntry({ actor: editor, list: 'goods', input: { nameEn: 'Salt', nameKo: '소금' } })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
  });

  it('renames in both languages and records it', async () => {
    expect(lists.renameReferenceEntry({ actor: admin, list: 'goods', id: 'rice', input: { nameEn: 'Rice and grain', nameKo: '쌀·곡물' } })).toEqual({ ok: true });
    const got = lists.getReferenceEntry({ actor: admin, list: 'goods', id: 'rice' });
    expect(got.ok && got.entry).toMatchObject({ nameEn: 'Rice and grain', nameKo: '쌀·곡물' });
    expect((await auditRows()).at(-1)).toMatchObject({ kind: 'reference_list_changed', actorId: admin.id, detail: { list: 'goods', action: 'rename', id: 'rice' } });
    expect(lists.renameReferenceEntry({ actor: admin, list: 'goods', id: 'rice', input: { nameEn: 'Rice and grain', nameKo: '쌀·곡물' } })).toEqual({ ok: false, messageKey: 'reference.errors.unchanged' });
    expect(lists.renameReferenceEntry({ actor: admin, list: 'goods', id: 'no-such', input: { nameEn: 'a', nameKo: 'b' } })).toEqual({ ok: false, messageKey: 'reference.errors.notFound' });
  });
});

describe('retiring and merging', () => {
  it('retires an entry: old reports keep it, the form lists stop offering it', async () => {
    const added = lists.addReferenceEntry({ actor: admin, list: 'places', input: { nameEn: 'Old Ferry', nameKo: '옛 나루', kind: 'crossing', country: 'KP' } });
    if (!added.ok) throw new Error('add failed');
    const reportId = insertReport({ placeId: added.id });
    expect(lists.retireReferenceEntry({ actor: admin, list: 'places', id: added.id })).toEqual({ ok: true });
    expect(count('SELECT count(*) AS n FROM reports WHERE id = ? AND place_id = ?', reportId, added.id)).toBe(1);
    const { listPlaceOptions } = await import('@/lib/places/gazetteer');
    expect(listPlaceOptions({ locale: 'en' }).map((p) => p.id)).not.toContain(added.id);
    expect(lists.retireReferenceEntry({ actor: admin, list: 'places', id: added.id })).toEqual({ ok: false, messageKey: 'reference.errors.alreadyRetired' });
    expect(lists.restoreReferenceEntry({ actor: admin, list: 'places', id: added.id })).toEqual({ ok: true });
    expect(listPlaceOptions({ locale: 'en' }).map((p) => p.id)).toContain(added.id);
  });

  it('merges a place: reports, publications and child places move to the survivor in one go', () => {
    const a = lists.addReferenceEntry({ actor: admin, list: 'places', input: { nameEn: 'Kimjongsuk Town', nameKo: '김정숙읍', kind: 'county', country: 'KP', parentId: 'kp-yanggang' } });
    const b = lists.addReferenceEntry({ actor: admin, list: 'places', input: { nameEn: 'Kimjongsuk Old Town', nameKo: '김정숙구읍', kind: 'county', country: 'KP', parentId: 'kp-yanggang' } });
    if (!a.ok || !b.ok) throw new Error('add failed');
    const child = lists.addReferenceEntry({ actor: admin, list: 'places', input: { nameEn: 'Town Ferry', nameKo: '읍 나루', kind: 'crossing', country: 'KP', parentId: a.id } });
    if (!child.ok) throw new Error('add failed');
    const r1 = insertReport({ placeId: a.id, status: 'verified' });
    const r2 = insertReport({ placeId: a.id, status: 'draft' });
    const pub = publishAtItsPlace(r1);
    const result = lists.mergeReferenceEntry({ actor: admin, list: 'places', id: a.id, intoId: b.id });
    expect(result).toEqual({ ok: true, moved: 3 });
    expect(count('SELECT count(*) AS n FROM reports WHERE id IN (?, ?) AND place_id = ?', r1, r2, b.id)).toBe(2);
    expect(count('SELECT count(*) AS n FROM publications WHERE id = ? AND place_id = ?', pub.id, b.id)).toBe(1);
    expect(count('SELECT count(*) AS n FROM places WHERE id = ? AND parent_id = ?', child.id, b.id)).toBe(1);
    const merged = lists.getReferenceEntry({ actor: admin, list: 'places', id: a.id });
    expect(merged.ok && merged.entry.mergedInto).toBe(b.id);
    expect(merged.ok && merged.entry.retiredAt).toBeInstanceOf(Date);
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'places', id: a.id, intoId: b.id })).toEqual({ ok: false, messageKey: 'reference.errors.merged' });
    expect(lists.renameReferenceEntry({ actor: admin, list: 'places', id: a.id, input: { nameEn: 'x', nameKo: 'y' } })).toEqual({ ok: false, messageKey: 'reference.errors.merged' });
  });

  it('merges agencies and goods categories, including published rows', () => {
    const r = insertReport({ placeId: 'kp-yanggang', agencyIds: ['samjiyon'], goods: 1 });
    const added = lists.addReferenceEntry({ actor: admin, list: 'agencies', input: { nameEn: 'Samjiyon Trading', nameKo: '삼지연무역', kind: 'trading_company' } });
    if (!added.ok) throw new Error('add failed');
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'agencies', id: 'samjiyon', intoId: added.id })).toEqual({ ok: true, moved: 1 });
    expect(count("SELECT count(*) AS n FROM report_agencies WHERE agency_id = 'samjiyon'")).toBe(0);
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'goods', id: 'electronics', intoId: 'clothing' })).toEqual({ ok: true, moved: 1 });
    expect(count("SELECT count(*) AS n FROM report_goods WHERE report_id = ? AND category_id = 'clothing'", r)).toBe(1);
  });

  it('refuses merging into itself, into a retired entry, or across unknown ids, changing nothing', () => {
    const before = count('SELECT count(*) AS n FROM audit_events');
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'goods', id: 'clothing', intoId: 'clothing' })).toMatchObject({ fieldErrors: { intoId: ['reference.errors.mergeSelf'] } });
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'goods', id: 'clothing', intoId: 'electronics' })).toMatchObject({ fieldErrors: { intoId: ['reference.errors.mergeTarget'] } });
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'goods', id: 'clothing', intoId: 'no-such' })).toMatchObject({ fieldErrors: { intoId: ['reference.errors.mergeTarget'] } });
    expect(lists.mergeReferenceEntry({ actor: admin, list: 'nonsense', id: 'clothing', intoId: 'fuel' })).toEqual({ ok: false, messageKey: 'reference.errors.notFound' });
    expect(count('SELECT count(*) AS n FROM audit_events')).toBe(before);
  });
});

describe("mapping a partner's other agency", () => {
  it('lets editors map an "other" row to a list entry, once; keeps the typed name; hides drafts', async () => {
    const r = insertReport({ placeId: 'kp-yanggang', otherAgencies: ['Border guards, 27th brigade'] });
    const row = { id: agencyRowId(r) };
    expect(lists.mapOtherAgency({ actor: partner, reportAgencyRowId: row.id, agencyId: 'chonji' })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
    expect(lists.mapOtherAgency({ actor: editor, reportAgencyRowId: row.id, agencyId: 'samjiyon' })).toMatchObject({ fieldErrors: { agencyId: ['reference.errors.agencyInvalid'] } });
    expect(lists.mapOtherAgency({ actor: editor, reportAgencyRowId: String(row.id), agencyId: 'chonji' })).toEqual({ ok: true, reportId: r });
    expect(sqlite.prepare('SELECT agency_id AS a, other_name AS o FROM report_agencies WHERE id = ?').get(row.id)).toEqual({ a: 'chonji', o: 'Border guards, 27th brigade' });
    expect((await auditRows()).at(-1)).toMatchObject({ kind: 'reference_list_changed', actorId: editor.id, detail: { action: 'map_other_agency', rowId: row.id, id: 'chonji' } });
    expect(lists.mapOtherAgency({ actor: editor, reportAgencyRowId: row.id, agencyId: 'chonji' })).toEqual({ ok: false, messageKey: 'reference.errors.alreadyMapped' });

    const draft = insertReport({ placeId: null, status: 'draft', otherAgencies: ['x'] });
    const draftRow = { id: agencyRowId(draft) };
    expect(lists.mapOtherAgency({ actor: editor, reportAgencyRowId: draftRow.id, agencyId: 'chonji' })).toEqual({ ok: false, messageKey: 'reference.errors.notFound' });
    expect(lists.mapOtherAgency({ actor: editor, reportAgencyRowId: 'abc', agencyId: 'chonji' })).toEqual({ ok: false, messageKey: 'reference.errors.notFound' });
  });
});
