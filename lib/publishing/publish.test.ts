import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { toCsvCell } from './export-rows';
import { EMPTY_FILTERS } from './filters';
import { insertDemoReport, publishingFixture } from '@/lib/testing/reports';
import type { PublishChoices } from './snapshot';

type Db = ReturnType<typeof publishingFixture>;
let db: Db;
// The editor's read model (editor-view.ts) and the writes (publish.ts), as one namespace.
let publishing: typeof import('./publish') & typeof import('./editor-view');
let queries: typeof import('./public-queries');

beforeAll(async () => {
  db = publishingFixture();
  publishing = { ...(await import('./editor-view')), ...(await import('./publish')) };
  queries = await import('./public-queries');
});

function reportRow(reportId: number) {
  return db.client.getDb().select().from(db.schema.reports).where(eq(db.schema.reports.id, reportId)).get()!;
}

function choicesFor(reportId: number, changes: Partial<PublishChoices> = {}): PublishChoices {
  const view = publishing.getPublishingView({ actor: db.editor, reportId })!;
  return { ...view.defaults, ...changes };
}

function publish(reportId: number, changes: Partial<PublishChoices> = {}, now?: number) {
  return publishing.publishReport({
    actor: db.editor,
    reportId,
    expectedVersion: reportRow(reportId).version,
    choices: choicesFor(reportId, changes),
    now,
  });
}

describe('publishReport', () => {
  it('stores a coarsened snapshot, the picked rows, the status, an event and an audit entry', () => {
    const reportId = insertDemoReport(db.partner.id);
    const result = publish(reportId, { vehicleRows: [0, 2], goodsRows: [3] }, Date.UTC(2018, 7, 1));
    expect(result).toMatchObject({ ok: true, version: 2, isRepublish: false });
    if (!result.ok) return;
    expect(result.publicId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // A random id, not the internal one (a random 16-character id may contain the digit by chance).
    expect(result.publicId).not.toBe(String(reportId));

    const page = queries.getPublicReport({ publicId: result.publicId });
    expect(page?.status).toBe('published');
    if (page?.status !== 'published') return;
    const { snapshot } = page;
    expect(snapshot.title).toEqual({ en: reportRow(reportId).title, ko: '' });
    // Hyesan coarsened to its province (default), the night of 12–13 July to days in Pyongyang.
    expect(snapshot.place).toMatchObject({ id: 'kp-yanggang', nameEn: 'Yanggang Province', nameKo: '량강도' });
    expect(snapshot.attribution.en).toBe('a reporting partner in Yanggang Province');
    expect(snapshot.period.label.en).toBe('2018-07-12 to 2018-07-13');
    expect(snapshot.vehicles.map((v) => [v.vehicleType, v.count, v.direction])).toEqual([
      ['bus', 12, 'into_kp'],
      ['truck', 18, 'out_of_kp'],
    ]);
    expect(snapshot.goods.map((g) => g.categoryId)).toEqual(['lumber']);
    expect(snapshot.grading).toBeNull();

    const { publications, publishedVehicles, publishedGoods, publishedAgencies, reportEvents, auditEvents } = db.schema;
    const d = db.client.getDb();
    const publication = d.select().from(publications).where(eq(publications.reportId, reportId)).get()!;
    expect(publication).toMatchObject({ status: 'published', placeId: 'kp-yanggang', publishedBy: db.editor.id });
    expect(publication.periodStart.toISOString()).toBe('2018-07-11T15:00:00.000Z');
    expect(publication.periodEnd.toISOString()).toBe('2018-07-13T15:00:00.000Z');
    const vehicles = d.select().from(publishedVehicles).where(eq(publishedVehicles.publicationId, publication.id)).all();
    expect(vehicles.map((v) => v.count)).toEqual([12, 18]);
    // Monday 2018-07-09 00:00 in Pyongyang (UTC+9).
    expect(vehicles[0]!.weekStart.toISOString()).toBe('2018-07-08T15:00:00.000Z');
    expect(d.select().from(publishedGoods).where(eq(publishedGoods.publicationId, publication.id)).all()).toHaveLength(1);
    expect(d.select().from(publishedAgencies).where(eq(publishedAgencies.publicationId, publication.id)).all()).toMatchObject([
      { agencyId: 'border-guards', name: 'Border guards', role: 'protection' },
    ]);

    expect(reportRow(reportId)).toMatchObject({ status: 'published', version: 2 });
    const events = d.select().from(reportEvents).where(eq(reportEvents.reportId, reportId)).all();
    expect(events).toMatchObject([{ action: 'publish', fromStatus: 'verified', toStatus: 'published', actorId: db.editor.id }]);
    const audits = d.select().from(auditEvents).where(eq(auditEvents.kind, 'report_published')).all();
    expect(audits.some((a) => (a.detail as { reportId?: number }).reportId === reportId)).toBe(true);
  });

  it('refuses text that names a place or a time finer than the coarsening until each flag is confirmed, changing nothing', () => {
    const reportId = insertDemoReport(db.partner.id);
    const summary = { en: 'Trucks waited at the Hyesan bridge until 23:40.', ko: '혜산에서 오후 11시에' };
    const choices = choicesFor(reportId, { summary, placeCoarsening: 'province', timeCoarsening: 'day' });
    const flags = publishing.checkPublicText({ actor: db.editor, reportId, choices })!;
    expect(flags.map((flag) => flag.key)).toEqual([
      'summaryEn|place|kp-hyesan',
      'summaryEn|time|23:40',
      'summaryKo|place|kp-hyesan',
      'summaryKo|time|오후 11시',
    ]);
    const attempt = (confirmedLeaks: string[]) =>
      publishing.publishReport({ actor: db.editor, reportId, expectedVersion: reportRow(reportId).version, choices, confirmedLeaks });
    expect(attempt(flags.slice(1).map((flag) => flag.key))).toEqual({
      ok: false,
      code: 'invalid',
      messageKey: 'publishing.errors.unconfirmedLeaks',
      fieldErrors: { summaryEn: ['publishing.errors.leakUnconfirmed'] },
    });
    expect(reportRow(reportId)).toMatchObject({ status: 'verified', version: 1 });
    expect(db.client.getDb().select().from(db.schema.publications).where(eq(db.schema.publications.reportId, reportId)).all()).toEqual([]);

    // At the county the city is no longer finer; the times still need their confirmation.
    const county = { ...choices, placeCoarsening: 'county_or_city' as const };
    expect(publishing.checkPublicText({ actor: db.editor, reportId, choices: county })!.map((flag) => flag.key)).toEqual([
      'summaryEn|time|23:40',
      'summaryKo|time|오후 11시',
    ]);
    expect(attempt(flags.map((flag) => flag.key))).toMatchObject({ ok: true, version: 2 });
    expect(publishing.checkPublicText({ actor: db.partner, reportId, choices })).toBeNull();
  });

  it("refuses a row whose published text names a finer place until its flag is confirmed or the row is left out", () => {
    const reportId = insertDemoReport(db.partner.id);
    const vehicles = db.schema.reportVehicles;
    const [first] = db.client.getDb().select().from(vehicles).where(eq(vehicles.reportId, reportId)).orderBy(vehicles.position).all();
    db.client.getDb().update(vehicles).set({ cargo: 'picked up behind the Hyesan market' }).where(eq(vehicles.id, first!.id)).run();
    const choices = choicesFor(reportId, { summary: { en: '', ko: '' } });
    const field = `vehicleRows-${first!.position}-cargo`;
    const flags = publishing.checkPublicText({ actor: db.editor, reportId, choices })!;
    expect(flags.map((flag) => flag.key)).toEqual([`${field}|place|kp-hyesan`]);
    const attempt = (changes: Partial<PublishChoices>, confirmedLeaks: string[] = []) =>
      publishing.publishReport({ actor: db.editor, reportId, expectedVersion: reportRow(reportId).version, choices: { ...choices, ...changes }, confirmedLeaks });
    expect(attempt({})).toMatchObject({ ok: false, messageKey: 'publishing.errors.unconfirmedLeaks', fieldErrors: { [field]: ['publishing.errors.leakUnconfirmed'] } });
    expect(reportRow(reportId)).toMatchObject({ status: 'verified', version: 1 });
    // Leaving the row out publishes without it; confirming would have published it as written.
    expect(attempt({ vehicleRows: choices.vehicleRows.filter((p) => p !== first!.position) })).toMatchObject({ ok: true });
  });

  it('republishing keeps the public id and replaces the snapshot and rows', () => {
    const reportId = insertDemoReport(db.partner.id);
    const first = publish(reportId, {}, Date.UTC(2018, 7, 2));
    if (!first.ok) throw new Error(first.messageKey);
    const second = publish(reportId, { title: { en: 'Corrected title', ko: '' }, vehicleRows: [1], goodsRows: [], agencyRows: [] }, Date.UTC(2018, 7, 3));
    expect(second).toMatchObject({ ok: true, publicId: first.publicId, isRepublish: true, version: 3 });
    const page = queries.getPublicReport({ publicId: first.publicId });
    if (page?.status !== 'published') throw new Error('not published');
    expect(page.snapshot.title).toEqual({ en: 'Corrected title', ko: '' });
    expect(page.snapshot.vehicles).toHaveLength(1);
    expect(page.snapshot.agencies).toHaveLength(0);
    expect(page.snapshot.firstPublishedAt).toBe(Date.UTC(2018, 7, 2));
    expect(page.publishedAt).toBe(Date.UTC(2018, 7, 3));
    const { publications, publishedVehicles, publishedGoods } = db.schema;
    const d = db.client.getDb();
    const publication = d.select().from(publications).where(eq(publications.reportId, reportId)).get()!;
    expect(d.select().from(publishedVehicles).where(eq(publishedVehicles.publicationId, publication.id)).all()).toHaveLength(1);
    expect(d.select().from(publishedGoods).where(eq(publishedGoods.publicationId, publication.id)).all()).toHaveLength(0);
  });

  it('a republish starts from the rows that are public now: withheld rows stay unticked', () => {
    const reportId = insertDemoReport(db.partner.id);
    const all = choicesFor(reportId);
    expect(all.vehicleRows.length).toBeGreaterThanOrEqual(3);
    expect(all.goodsRows.length).toBeGreaterThanOrEqual(2);
    const keptVehicles = all.vehicleRows.filter((_, i) => i !== 1);
    const keptGoods = all.goodsRows.slice(0, 1);
    const first = publish(reportId, { vehicleRows: keptVehicles, goodsRows: keptGoods, agencyRows: [] });
    if (!first.ok) throw new Error(first.messageKey);

    const again = publishing.getPublishingView({ actor: db.editor, reportId })!.defaults;
    expect(again.vehicleRows).toEqual(keptVehicles);
    expect(again.goodsRows).toEqual(keptGoods);
    expect(again.agencyRows).toEqual([]);

    // Republishing to fix a typo, touching nothing else, publishes no withheld row.
    const second = publish(reportId, { title: { en: 'Typo fixed', ko: '' } });
    if (!second.ok) throw new Error(second.messageKey);
    const page = queries.getPublicReport({ publicId: first.publicId });
    if (page?.status !== 'published') throw new Error('not published');
    expect(page.snapshot.vehicles).toHaveLength(keptVehicles.length);
    expect(page.snapshot.goods).toHaveLength(1);
    expect(page.snapshot.agencies).toHaveLength(0);

    // A row edited after publication matches nothing public: it starts unticked.
    const { reportVehicles } = db.schema;
    db.client
      .getDb()
      .update(reportVehicles)
      .set({ cargo: 'changed after publication' })
      .where(eq(reportVehicles.reportId, reportId))
      .run();
    expect(publishing.getPublishingView({ actor: db.editor, reportId })!.defaults.vehicleRows).toEqual([]);
  });

  it('later edits to the report do not change what is public', () => {
    const reportId = insertDemoReport(db.partner.id);
    const result = publish(reportId);
    if (!result.ok) throw new Error(result.messageKey);
    const d = db.client.getDb();
    const { reports, reportVehicles } = db.schema;
    d.update(reports).set({ title: 'Edited after publication', narrative: 'new text', placeId: 'cn-dandong' }).where(eq(reports.id, reportId)).run();
    d.update(reportVehicles).set({ count: 999 }).where(eq(reportVehicles.reportId, reportId)).run();
    const page = queries.getPublicReport({ publicId: result.publicId });
    if (page?.status !== 'published') throw new Error('not published');
    expect(page.snapshot.title.en).not.toBe('Edited after publication');
    expect(page.snapshot.place.nameEn).toBe('Yanggang Province');
    expect(page.snapshot.vehicles.map((v) => v.count)).not.toContain(999);
  });

  it('shows the grading only when the editor asks', () => {
    const reportId = insertDemoReport(db.partner.id);
    const result = publish(reportId, { showGrading: true });
    if (!result.ok) throw new Error(result.messageKey);
    const page = queries.getPublicReport({ publicId: result.publicId });
    expect(page?.status === 'published' && page.snapshot.grading).toEqual({ sourceReliability: 'B', informationCredibility: '2' });
  });

  it('refuses an unverified report, changing nothing', () => {
    const reportId = insertDemoReport(db.partner.id, { status: 'in_review' });
    const result = publish(reportId);
    expect(result).toMatchObject({ ok: false, code: 'invalid_transition', messageKey: 'review.errors.invalidTransition.publish' });
    expect(reportRow(reportId)).toMatchObject({ status: 'in_review', version: 1 });
    const d = db.client.getDb();
    expect(d.select().from(db.schema.publications).where(eq(db.schema.publications.reportId, reportId)).get()).toBeUndefined();
  });

  it('refuses a stale version with a clear message, changing nothing', () => {
    const reportId = insertDemoReport(db.partner.id);
    const choices = choicesFor(reportId);
    const result = publishing.publishReport({ actor: db.editor, reportId, expectedVersion: 7, choices });
    expect(result).toMatchObject({ ok: false, code: 'stale', messageKey: 'publishing.errors.staleVersion' });
    expect(reportRow(reportId)).toMatchObject({ status: 'verified', version: 1 });
  });

  it('refuses partners: another partner gets not found, the author forbidden', () => {
    const reportId = insertDemoReport(db.partner.id);
    const choices = choicesFor(reportId);
    expect(publishing.publishReport({ actor: db.otherPartner, reportId, expectedVersion: 1, choices })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(publishing.publishReport({ actor: db.partner, reportId, expectedVersion: 1, choices })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(publishing.getPublishingView({ actor: db.partner, reportId })).toBeNull();
    expect(reportRow(reportId).status).toBe('verified');
  });

  it('refuses rows that are not in the report and junk report ids', () => {
    const reportId = insertDemoReport(db.partner.id);
    expect(publish(reportId, { vehicleRows: [0, 40] })).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { vehicleRows: ['publishing.errors.unknownRow'] },
    });
    for (const junk of ['abc', '-1', '1.5', 0, null, '99999999']) {
      expect(publishing.publishReport({ actor: db.editor, reportId: junk, expectedVersion: 1, choices: choicesFor(reportId) })).toMatchObject({
        code: 'not_found',
      });
    }
    expect(reportRow(reportId).status).toBe('verified');
  });

  it('refuses a report without a place', () => {
    const reportId = insertDemoReport(db.partner.id, { placeId: null });
    const view = publishing.getPublishingView({ actor: db.editor, reportId })!;
    expect(view.canPublish).toBe(false);
    expect(publish(reportId)).toMatchObject({ ok: false, code: 'invalid', messageKey: 'publishing.errors.incomplete' });
  });

  it('publishReportWithDefaults publishes as an editor who changes nothing', () => {
    const reportId = insertDemoReport(db.partner.id);
    const result = publishing.publishReportWithDefaults({ actor: db.admin, reportId });
    if (!result.ok) throw new Error(result.messageKey);
    const page = queries.getPublicReport({ publicId: result.publicId });
    if (page?.status !== 'published') throw new Error('not published');
    expect(page.snapshot).toMatchObject({ placeCoarsening: 'province', period: { choice: 'day' }, grading: null });
    expect(page.snapshot.vehicles).toHaveLength(4);
    expect(page.snapshot.goods).toHaveLength(4);
  });
});

describe('previewPublication', () => {
  it('builds exactly the snapshot that publishing stores, and stores nothing', () => {
    const reportId = insertDemoReport(db.partner.id);
    const choices = choicesFor(reportId, { placeCoarsening: 'county_or_city', timeCoarsening: 'week', summary: { en: 'Edited summary', ko: '' } });
    const preview = publishing.previewPublication({ actor: db.editor, reportId, choices });
    if (!preview.ok) throw new Error(preview.messageKey);
    expect(preview.snapshot.place.nameEn).toBe('Hyesan');
    expect(preview.snapshot.period.label.en).toBe('week of 2018-07-09');
    expect(reportRow(reportId).status).toBe('verified');
    const result = publishing.publishReport({ actor: db.editor, reportId, expectedVersion: 1, choices });
    if (!result.ok) throw new Error(result.messageKey);
    const page = queries.getPublicReport({ publicId: result.publicId });
    if (page?.status !== 'published') throw new Error('not published');
    expect(page.snapshot).toEqual({ ...preview.snapshot, firstPublishedAt: page.publishedAt });
  });
});

describe('retractReport', () => {
  it('keeps the URL with a notice and takes the report out of lists', () => {
    const reportId = insertDemoReport(db.partner.id, { title: 'To be retracted' });
    const published = publish(reportId);
    if (!published.ok) throw new Error(published.messageKey);
    const inList = () =>
      queries.listPublications({ filters: EMPTY_FILTERS, limit: 1000 }).items.some((i) => i.publicId === published.publicId);
    expect(inList()).toBe(true);

    expect(
      publishing.retractReport({ actor: db.editor, reportId, expectedVersion: published.version, reason: '   ' }),
    ).toMatchObject({ ok: false, code: 'invalid', messageKey: 'publishing.errors.reasonRequired' });
    expect(publishing.retractReport({ actor: db.editor, reportId, expectedVersion: 1, reason: 'Wrong' })).toMatchObject({
      ok: false,
      code: 'stale',
    });

    const now = Date.UTC(2018, 8, 1, 12);
    const result = publishing.retractReport({ actor: db.editor, reportId, expectedVersion: published.version, reason: 'Facts could not be confirmed.', now });
    expect(result).toMatchObject({ ok: true, publicId: published.publicId, version: published.version + 1 });
    expect(queries.getPublicReport({ publicId: published.publicId })).toEqual({
      status: 'retracted',
      publicId: published.publicId,
      retractedAt: now,
      reason: 'Facts could not be confirmed.',
    });
    expect(inList()).toBe(false);
    expect(reportRow(reportId).status).toBe('retracted');
    // A retraction is final: the report cannot be published again.
    expect(publish(reportId)).toMatchObject({ ok: false, code: 'invalid_transition' });
    const d = db.client.getDb();
    const events = d.select().from(db.schema.reportEvents).where(eq(db.schema.reportEvents.reportId, reportId)).all();
    expect(events.map((e) => [e.action, e.toStatus])).toEqual([
      ['publish', 'published'],
      ['retract', 'retracted'],
    ]);
  });

  it('refuses to retract a report that is not published', () => {
    const reportId = insertDemoReport(db.partner.id);
    expect(publishing.retractReport({ actor: db.editor, reportId, expectedVersion: 1, reason: 'x' })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
  });
});

describe('publishedRowChoices', () => {
  it('matches each public row to one report row by content, duplicates and typed agencies included', async () => {
    const { publishedRowChoices } = await import('./snapshot');
    const truck = { vehicleType: 'truck', count: 3, isEstimate: false, direction: 'into_kp', colours: '', cargo: '' } as const;
    const source = {
      vehicles: [
        { ...truck, position: 0 },
        { ...truck, position: 1 },
        { ...truck, count: 4, position: 2 },
      ],
      goods: [],
      agencies: [
        { position: 0, agencyId: null, otherName: ' Local traders ', role: 'protection' as const },
        { position: 1, agencyId: 'mss', otherName: null, role: 'protection' as const },
      ],
    };
    const snapshot = {
      vehicles: [truck],
      goods: [],
      agencies: [{ agencyId: null, nameEn: 'Local traders', nameKo: 'Local traders', role: 'protection' as const }],
    };
    expect(publishedRowChoices(source, snapshot)).toEqual({ vehicleRows: [0], goodsRows: [], agencyRows: [0] });
  });
});

describe('newPublicId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never starts with a character the CSV formula guard touches, in 10,000 ids', () => {
    const ids = Array.from({ length: 10_000 }, () => publishing.newPublicId());
    const firsts = new Set<string>();
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/); // still what the routes accept
      expect(toCsvCell(id)).toBe(id);
      firsts.add(id[0]!);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // The first character still ranges over all 62 letters and digits (missing one by chance: < 1e-68).
    expect(firsts.size).toBe(62);
  });

  it('draws again when the random bytes would start the id with - or _', () => {
    const real = crypto.randomBytes;
    // First base64url characters '-' (62), '_' (63), then 'A' (0): the third draw is fixed too, so
    // it cannot start with '-' or '_' by chance (1 in 32) and make a fourth draw.
    const forced = [0xf8, 0xfc, 0x00];
    const spy = vi.spyOn(crypto, 'randomBytes').mockImplementation(((size: number) => {
      const bytes = real(size);
      const first = forced.shift();
      if (first !== undefined) bytes[0] = first;
      return bytes;
    }) as typeof crypto.randomBytes);
    const id = publishing.newPublicId();
    expect(spy).toHaveBeenCalledTimes(3);
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/);
  });
});
