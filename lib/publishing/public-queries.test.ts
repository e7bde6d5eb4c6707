import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import crypto from 'node:crypto';
import path from 'node:path';
import { EMPTY_FILTERS, type PublicFilters } from './filters';
import { EXPORT_COLUMNS } from './export-rows';
import { filtersOf, publishDemoReport, TEST_FEED_LABELS, publishingFixture, SECRETS, type DemoReportOverrides } from '@/lib/testing/reports';

type Db = ReturnType<typeof publishingFixture>;
let db: Db;
let publishing: typeof import('./publish');
let queries: typeof import('./public-queries');
let exportsModule: typeof import('./exports');

const ORIGIN = 'https://reports.example.org';
const FEED_LABELS = TEST_FEED_LABELS;

beforeAll(async () => {
  db = publishingFixture();
  publishing = await import('./publish');
  queries = await import('./public-queries');
  exportsModule = await import('./exports');
});

let clock = Date.UTC(2019, 0, 1);
/** Insert and publish a report with default choices; returns its public id and report id. */
function publishNew(overrides: DemoReportOverrides = {}) {
  clock += 60_000;
  return publishDemoReport(db, { overrides, now: clock });
}

const filters = filtersOf;

function listIds(query = '', limit = 1000): string[] {
  return queries.listPublications({ filters: filters(query), limit }).items.map((i) => i.publicId);
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

describe('public lists', () => {
  it('filters by place including the places under it, dates, vehicle type, goods category and agency', () => {
    const hyesan = publishNew({ placeId: 'kp-hyesan' });
    const musan = publishNew({
      placeId: 'kp-musan',
      observedFrom: '2018-08-20T10:00',
      observedTo: '2018-08-20T11:00',
      agencies: [{ agencyId: 'police', role: 'enforcement' }],
    });

    expect(listIds('place=kp-yanggang')).toContain(hyesan.publicId);
    expect(listIds('place=kp-yanggang')).not.toContain(musan.publicId);
    expect(listIds('place=kp-north-hamgyong')).toContain(musan.publicId);
    // Published at province level, so a reader filtering by the city does not find it.
    expect(listIds('place=kp-hyesan')).not.toContain(hyesan.publicId);

    expect(listIds('from=2018-07-13&to=2018-07-13')).toContain(hyesan.publicId);
    expect(listIds('from=2018-07-14')).not.toContain(hyesan.publicId);
    expect(listIds('to=2018-07-11')).not.toContain(hyesan.publicId);
    expect(listIds('from=2018-08-01&to=2018-08-31')).toEqual(expect.arrayContaining([musan.publicId]));
    expect(listIds('from=2018-08-01&to=2018-08-31')).not.toContain(hyesan.publicId);

    expect(listIds('vehicle=bus')).toContain(hyesan.publicId);
    expect(listIds('vehicle=boat')).toEqual([]);
    expect(listIds('category=lumber')).toContain(hyesan.publicId);
    expect(listIds('category=seafood')).toEqual([]);
    expect(listIds('agency=police')).toEqual([musan.publicId]);
    expect(listIds('agency=police&place=kp-yanggang')).toEqual([]);
  });

  it('gives an empty result for unknown ids', () => {
    for (const query of ['place=nowhere', 'category=%3Cscript%3E', 'agency=%27%20OR%201%3D1--', 'place=%25']) {
      expect(listIds(query)).toEqual([]);
    }
  });

  it('pages newest first with a cursor, every publication once', () => {
    for (let i = 0; i < 5; i += 1) publishNew({ placeId: 'cn-dandong' });
    const seen: string[] = [];
    let page = queries.listPublications({ filters: filters('place=cn-liaoning'), limit: 2 });
    seen.push(...page.items.map((i) => i.publicId));
    while (page.nextCursor) {
      page = queries.listPublications({ filters: { ...filters('place=cn-liaoning'), cursor: page.nextCursor }, limit: 2 });
      seen.push(...page.items.map((i) => i.publicId));
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toEqual(listIds('place=cn-liaoning'));
    const publishedAts = queries.listPublications({ filters: filters('place=cn-liaoning'), limit: 10 }).items.map((i) => i.publishedAt);
    expect([...publishedAts].sort((a, b) => b - a)).toEqual(publishedAts);
  });

  it('answers junk report ids with nothing', () => {
    for (const junk of ['', 'x', '../etc/passwd', '1', 'A'.repeat(17), null, 42, ['a']]) {
      expect(queries.getPublicReport({ publicId: junk })).toBeNull();
    }
    expect(queries.getPublicReport({ publicId: 'AAAAAAAAAAAAAAAA' })).toBeNull();
  });
});

describe('statistics', () => {
  it('sums published rows, follows publications and retractions at once, and ignores other connections only until they commit', async () => {
    const before = queries.getPublicStats();
    const weekOf = (stats: ReturnType<typeof queries.getPublicStats>) =>
      stats.vehiclesByDirection.weeks.find((w) => w.weekOf === '2018-07-09');
    const intoBefore = weekOf(before)?.counts.into_kp ?? 0;

    const { reportId, publicId, version } = publishNew({ agencies: [{ agencyId: null, otherName: 'Unlisted Co', role: 'operator' }] });
    const after = queries.getPublicStats();
    expect(after.publications).toBe(before.publications + 1);
    expect(weekOf(after)?.counts.into_kp).toBe(intoBefore + 37);
    expect(after.vehiclesByType.weeks.find((w) => w.weekOf === '2018-07-09')?.counts.bus).toBeGreaterThanOrEqual(12);
    // Goods: rows counted beside the reports they come from; quantities summed per unit.
    expect(after.observations.goods.rows).toBe(before.observations.goods.rows + 4);
    expect(after.observations.goods.reports).toBe(before.observations.goods.reports + 1);
    expect(after.observations.vehicles.reports).toBe(before.observations.vehicles.reports + 1);
    const rowsOf = (stats: typeof after, categoryId: string) => stats.goods.groups.filter((g) => g.categoryId === categoryId).reduce((n, g) => n + g.rows, 0);
    expect(rowsOf(after, 'lumber')).toBe(rowsOf(before, 'lumber') + 1);
    expect(after.agencies.find((a) => a.name === 'Unlisted Co')).toEqual({ agencyId: null, name: 'Unlisted Co', publications: 1 });

    const retracted = publishing.retractReport({ actor: db.editor, reportId, expectedVersion: version, reason: 'Wrong week.' });
    expect(retracted.ok).toBe(true);
    const afterRetraction = queries.getPublicStats();
    expect(afterRetraction.publications).toBe(before.publications);
    expect(weekOf(afterRetraction)?.counts.into_kp ?? 0).toBe(intoBefore);
    expect(afterRetraction.agencies.find((a) => a.name === 'Unlisted Co')).toBeUndefined();
    expect(JSON.stringify(afterRetraction)).not.toContain(publicId);

    // A write by another connection (a script, another process) shows on the next read too.
    const { openSqlite } = await import('@/db/client');
    const other = openSqlite(path.join(db.dir, 'field-reports.db'));
    other.prepare("UPDATE publications SET status = 'retracted' WHERE status = 'published'").run();
    other.close();
    expect(queries.getPublicStats().publications).toBe(0);
  });

  it('takes the filters of /reports and agrees with the pure sums of stats.ts', async () => {
    const { sumGoodsQuantities } = await import('./stats');
    publishNew({ placeId: 'kp-hoeryong' });
    publishNew({ placeId: 'kp-hyesan' });
    publishNew({ placeId: 'kp-hyesan', observedFrom: '2018-08-20T10:00', observedTo: '2018-08-20T11:00' });
    const yanggang = queries.getPublicStats({ filters: filters('place=kp-yanggang') });
    const all = queries.getPublicStats();
    expect(yanggang.publications).toBe(2);
    expect(all.publications).toBeGreaterThanOrEqual(3);
    expect(yanggang.observations.vehicles).toEqual({ rows: 8, reports: 2 });
    expect(queries.getPublicStats({ filters: filters('place=kp-yanggang&from=2018-08-01') }).publications).toBe(1);
    expect(queries.getPublicStats({ filters: filters('place=no-such-place') }).publications).toBe(0);

    // The SQL path gives what the pure function gives for the same rows.
    const { publishedGoods, publications } = db.schema;
    const { eq } = await import('drizzle-orm');
    const rows = db.client
      .getDb()
      .select({ publicationId: publishedGoods.publicationId, categoryId: publishedGoods.categoryId, direction: publishedGoods.direction, quantity: publishedGoods.quantity, unit: publishedGoods.unit })
      .from(publishedGoods)
      .innerJoin(publications, eq(publications.id, publishedGoods.publicationId))
      .where(eq(publications.status, 'published'))
      .all();
    expect(all.goods).toEqual(sumGoodsQuantities(rows));
  });
});

describe('exports and feed', () => {
  it('JSON rows, CSV and feed hold the publication, never a secret, and drop it after retraction', async () => {
    // Published at noon UTC: the publication's own instants then hold no hour the observation had
    // (this test failed from 19:00 to 19:59 and 04:00 to 04:59 UTC, when "now" is one of them).
    vi.useFakeTimers({ now: new Date('2026-03-02T12:00:00Z'), toFake: ['Date'], shouldAdvanceTime: true });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { reportId, publicId, version } = publishNew({ title: 'Export me <b>&</b> 압록강', sourceReliability: 'C' });
    const all: PublicFilters = { ...EMPTY_FILTERS };

    const page = exportsModule.getExportPage({ filters: all, origin: ORIGIN });
    const rows = page.rows.filter((r) => r.publication_id === publicId);
    expect(rows.map((r) => r.row_type)).toEqual(['vehicle', 'vehicle', 'vehicle', 'vehicle', 'goods', 'goods', 'goods', 'goods', 'agency']);
    expect(rows[0]).toMatchObject({
      url: `${ORIGIN}/reports/${publicId}`,
      place_name_en: 'Yanggang Province',
      place_name_ko: '량강도',
      period_start: '2018-07-12T00:00+09:00',
      period_end: '2018-07-14T00:00+09:00',
      period_precision: 'day',
      vehicle_type: 'bus',
      vehicle_count: 12,
      vehicle_count_is_estimate: true,
      source_reliability: null,
    });
    for (const row of page.rows) expect(Object.keys(row)).toEqual([...EXPORT_COLUMNS]);

    const csv = await readStream(exportsModule.streamCsvExport({ filters: all, origin: ORIGIN }));
    expect(csv.startsWith('\uFEFFpublication_id,url,title,')).toBe(true);
    expect(csv).toContain(publicId);
    expect(csv).toContain('Export me <b>&</b> 압록강'); // Hangul intact
    expect(csv.split('\r\n').filter((line) => line.includes(publicId))).toHaveLength(9);

    const feed = exportsModule.buildAtomFeed({ origin: ORIGIN, locale: 'en', labels: FEED_LABELS });
    expect(feed).toContain(`<id>${ORIGIN}/reports/${publicId}</id>`);
    expect(feed).toContain('Export me &lt;b&gt;&amp;&lt;/b&gt; 압록강');
    expect(feed).not.toContain('<b>');

    const snapshotJson = JSON.stringify(queries.getPublicReport({ publicId }));
    for (const output of [JSON.stringify(page), csv, feed, snapshotJson]) {
      for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
      expect(output).not.toMatch(/"reportId"|"authorId"|"report_id"/);
    }
    // Observed 19:30–04:30 local (10:30–19:30 UTC): no hour finer than the day may appear in this
    // publication's rows, lines, feed entry or page (other tests' publications carry their own
    // instants of publishing, at the real time).
    const entry = new RegExp(`<entry>(?:(?!</entry>).)*${publicId}(?:(?!</entry>).)*</entry>`, 's').exec(feed)?.[0];
    expect(entry).toBeTruthy();
    const ours = [JSON.stringify(rows), csv.split('\r\n').filter((line) => line.includes(publicId)).join('\n'), entry!, snapshotJson];
    for (const output of ours) for (const hour of ['19:30', '04:30', '10:30', 'T19', 'T04']) expect(output).not.toContain(hour);

    const retracted = publishing.retractReport({ actor: db.editor, reportId, expectedVersion: version, reason: 'Withdrawn.' });
    expect(retracted.ok).toBe(true);
    expect(JSON.stringify(exportsModule.getExportPage({ filters: all, origin: ORIGIN }))).not.toContain(publicId);
    expect(await readStream(exportsModule.streamCsvExport({ filters: all, origin: ORIGIN }))).not.toContain(publicId);
    // The feed keeps the entry (same id), now holding only the notice (issue 20 item 6).
    const after = exportsModule.buildAtomFeed({ origin: ORIGIN, locale: 'ko', labels: FEED_LABELS });
    expect(after).toContain(`<id>${ORIGIN}/reports/${publicId}</id>`);
    expect(after).toContain('Reason: Withdrawn.');
    expect(after).not.toContain('Export me');
  });

  it('CSV export keeps the public id byte-for-byte equal to the JSON export and the URL', async () => {
    // The first two 12-byte draws would make ids starting with '-' and '_' (the CSV guard touches '-').
    const real = crypto.randomBytes;
    const forced = [0xf8, 0xfc];
    vi.spyOn(crypto, 'randomBytes').mockImplementation(((size: number) => {
      const bytes = real(size);
      const first = size === 12 ? forced.shift() : undefined;
      if (first !== undefined) bytes[0] = first;
      return bytes;
    }) as typeof crypto.randomBytes);
    let published: ReturnType<typeof publishNew>;
    try {
      published = publishNew({ title: 'CSV id check' });
    } finally {
      vi.restoreAllMocks();
    }
    const others = [publishNew({ title: 'CSV id check' }), publishNew({ title: 'CSV id check' })];
    const all: PublicFilters = { ...EMPTY_FILTERS };
    const csv = await readStream(exportsModule.streamCsvExport({ filters: all, origin: ORIGIN }));
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]!.split(',').slice(0, 2)).toEqual(['publication_id', 'url']);
    const jsonRows = exportsModule.getExportPage({ filters: all, origin: ORIGIN }).rows;
    for (const { publicId } of [published, ...others]) {
      const jsonIds = jsonRows.filter((r) => r.publication_id === publicId);
      expect(jsonIds.length).toBeGreaterThan(0);
      const csvRows = lines.filter((line) => line.includes(`/reports/${publicId},`)).map((line) => line.split(','));
      expect(csvRows).toHaveLength(jsonIds.length);
      for (const [id, url] of csvRows) {
        expect(Buffer.from(id!)).toEqual(Buffer.from(publicId));
        expect(url).toBe(`${ORIGIN}/reports/${publicId}`);
      }
    }
  });

  it('pages the JSON export by publications with a cursor', () => {
    for (let i = 0; i < 3; i += 1) publishNew({ placeId: 'kp-chongjin' });
    const first = exportsModule.getExportPage({ filters: filters('place=kp-north-hamgyong&vehicle=bus'), origin: ORIGIN });
    expect(new Set(first.rows.map((r) => r.publication_id)).size).toBeGreaterThanOrEqual(3);
    expect(first.nextCursor).toBeNull();
  });
});

describe('the weekly window of /stats', () => {
  const week = (i: number, total: number) => ({ weekOf: `w${String(i).padStart(3, '0')}`, counts: { into_kp: total }, total });
  const series = (totals: number[]) => ({ keys: ['into_kp' as const], weeks: totals.map((total, i) => week(i, total)), total: totals.reduce((a, b) => a + b, 0) });

  it('starts at the first week with a sighting inside the latest 104, and counts only older weeks with sightings as left out', () => {
    // One old report, then 300 empty weeks, then 20 weeks of sightings with a gap.
    const totals = [5, ...Array<number>(300).fill(0), ...Array.from({ length: 20 }, (_, i) => (i === 7 ? 0 : i + 1))];
    const s = series(totals);
    const shown = queries.lastWeeks(s);
    expect(shown.weeks.map((w) => w.total)).toEqual(totals.slice(-20));
    expect(shown.total).toBe(totals.slice(-20).reduce((a, b) => a + b, 0));
    expect(queries.weeksWithSightingsBefore(s)).toBe(1);
  });

  it('keeps a short series whole and shows nothing for a series of zeros', () => {
    const short = series([3, 0, 4]);
    expect(queries.lastWeeks(short)).toBe(short);
    expect(queries.weeksWithSightingsBefore(short)).toBe(0);
    expect(queries.lastWeeks(series([0, 0, 0])).weeks).toEqual([]);
  });
});
