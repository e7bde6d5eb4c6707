import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import {
  DEMO_SECRETS,
  DEMO_VEHICLE_TOTAL,
  publishThroughEditorUi,
  retractThroughEditorUi,
  seedDemoReportCopy,
  type SeededReport,
} from './publishing-helpers';

/**
 * The public site as an anonymous reader sees it, around one report that an editor publishes
 * (default coarsening) and later retracts. Serial: each step builds on the one before.
 */
test.describe.configure({ mode: 'serial' });

let seeded: SeededReport;
let publicId: string;
let baselineWeekTotal: number;
/** Entity tags of the public answers before the publication (issue 20: they change with it). */
let etagsBeforePublishing: Record<string, string>;

const BASE_URL = process.env.E2E_BASE_URL ?? 'http://localhost:3100';
const LISTS = ['/', '/reports', '/stats', '/feed.xml', '/exports/reports.json', '/exports/reports.csv'];

/** The ETag of each path (plain GETs). */
async function etagsOf(paths: string[]): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for (const path of paths) tags[path] = (await fetch(new URL(path, BASE_URL))).headers.get('etag') ?? '';
  return tags;
}

const RETRACTION_REASON = 'The partner could not confirm the count a second time.';

/** Total vehicles in the week of 2018-07-09 on /stats (0 when the week has no row). */
async function weekTotalOnStats(page: Page): Promise<number> {
  await page.goto('/stats');
  const table = page.getByRole('table', { name: 'Vehicles per week, by direction' });
  if ((await table.count()) === 0) return 0;
  const row = table.getByRole('row', { name: /^Jul 9, 2018/ });
  if ((await row.count()) === 0) return 0;
  return Number(await row.getByRole('cell').last().innerText());
}

/** Every public response a reader (or a scraper) can fetch, raw. */
async function fetchPublicResponses(request: APIRequestContext, id: string): Promise<Record<string, string>> {
  const paths = ['/reports', `/reports/${id}`, '/stats', '/exports/reports.json', '/exports/reports.csv', '/feed.xml', '/feed.xml?lang=ko'];
  const bodies: Record<string, string> = {};
  for (const path of paths) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    bodies[path] = await response.text();
  }
  return bodies;
}

test.beforeAll(async ({ browser }) => {
  seeded = seedDemoReportCopy();
  const page = await browser.newPage();
  baselineWeekTotal = await weekTotalOnStats(page);
  await page.close();
  etagsBeforePublishing = await etagsOf(LISTS);
  publicId = await publishThroughEditorUi(browser, seeded.reportId);
});

test('the publication changes the validators of the lists, statistics, feed and exports', async () => {
  const after = await etagsOf(LISTS);
  for (const path of LISTS.filter((p) => p !== '/')) {
    expect(after[path], path).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(after[path], `${path}: a cache revalidating with the old tag gets the new page`).not.toBe(etagsBeforePublishing[path]);
  }
});

test('an anonymous reader finds the report on /reports and reads it, coarsened', async ({ page }) => {
  await page.goto('/reports');
  await page.getByRole('link', { name: seeded.title }).click();
  await expect(page).toHaveURL(new RegExp(`/reports/${publicId}$`));
  await expect(page).toHaveTitle(new RegExp(`^${seeded.title.replace(/[[\]]/g, '\\$&')}`));
  await expect(page.getByRole('heading', { level: 1, name: seeded.title })).toBeVisible();
  const article = page.getByRole('article');
  await expect(article).toContainText('Yanggang Province');
  await expect(article).toContainText('2018-07-12');
  await expect(article).toContainText('a reporting partner in Yanggang Province');
  const text = await page.locator('body').innerText();
  for (const hidden of [DEMO_SECRETS.placeDetail, DEMO_SECRETS.safetyNote, DEMO_SECRETS.codeName, DEMO_SECRETS.timeNote, 'Hyesan', '19:30', '04:30']) {
    expect(text, hidden).not.toContain(hidden);
  }
});

test('in Korean, place, period and reference names are shown in Korean', async ({ page }) => {
  // The public pages take the language from the URL (one URL, one page for every reader: cacheable).
  await page.goto(`/reports/${publicId}?lang=ko`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  const article = page.getByRole('article');
  await expect(article).toContainText('량강도의 한 취재 협력자');
  await expect(article).toContainText('2018-07-12 ~ 2018-07-13');
  await expect(article).toContainText('목재');
  await expect(article.getByRole('heading', { name: '목격된 차량' })).toBeVisible();
});

test('the filters find it, and junk filters never break the page', async ({ page, request }) => {
  await page.goto('/reports');
  await page.getByLabel('Place (includes the places within it)').selectOption('kp-yanggang');
  await page.getByLabel('Vehicle type').selectOption('bus');
  await page.getByLabel('From date').fill('2018-07-13');
  await page.getByLabel('To date').fill('2018-07-13');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/place=kp-yanggang/);
  await expect(page.getByRole('link', { name: seeded.title })).toBeVisible();

  await page.goto('/reports?place=kp-north-hamgyong');
  await expect(page.getByRole('link', { name: seeded.title })).toHaveCount(0);
  await page.goto('/reports?vehicle=boat&category=lumber');
  await expect(page.getByText('No published reports match.')).toBeVisible();

  for (const junk of [
    '/reports?from=2018-02-30',
    '/reports?to=yesterday',
    '/reports?place=a&place=b',
    '/reports?vehicle=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/reports?cursor=%27%20OR%201%3D1',
    '/reports?agency=nobody',
  ]) {
    const response = await request.get(junk);
    expect(response.status(), junk).toBe(200);
    expect(await response.text(), junk).not.toContain(seeded.title);
  }
  // Pagination is by cursor, so a page number is simply ignored.
  expect((await request.get('/reports?page=99999999999999999999')).status()).toBe(200);
  await page.goto('/reports?from=2018-02-30');
  await expect(page.locator('#filter-errors')).toContainText('Enter a real date as YYYY-MM-DD.');
  for (const junk of ['/exports/reports.json?from=2018-13-01', '/exports/reports.csv?place=a&place=b', '/exports/reports.json?vehicle=tank', '/feed.xml?to=2018-02-30', '/feed.xml?vehicle=tank']) {
    expect((await request.get(junk)).status(), junk).toBe(400);
  }
  expect((await request.get('/exports/reports.json?agency=nobody')).status()).toBe(200);
  expect((await request.get('/reports/not-a-public-id')).status()).toBe(404);
});

test('the statistics count it', async ({ page }) => {
  expect(await weekTotalOnStats(page)).toBe(baselineWeekTotal + DEMO_VEHICLE_TOTAL);
  await expect(page.getByRole('img', { name: /Vehicles per week, by direction/ })).toBeVisible();
  // Goods: quantities per unit; the demo's lumber has no quantity and is counted as a row.
  await expect(page.getByRole('table', { name: 'Goods by category, unit and direction' }).getByRole('row', { name: /^Lumber/ }).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Observations and the reports they come from' }).getByRole('rowheader', { name: 'Vehicle sightings' })).toBeVisible();
});

test('the JSON and CSV exports and the feed hold it; no raw response holds a secret', async ({ request }) => {
  const bodies = await fetchPublicResponses(request, publicId);

  const json = JSON.parse(bodies['/exports/reports.json']!) as { rows: Record<string, unknown>[] };
  const rows = json.rows.filter((row) => row.publication_id === publicId);
  expect(rows.map((row) => row.row_type)).toEqual(['vehicle', 'vehicle', 'vehicle', 'vehicle', 'goods', 'goods', 'goods', 'goods']);
  expect(rows[0]).toMatchObject({ title: seeded.title, place_name_en: 'Yanggang Province', period_start: '2018-07-12T00:00+09:00' });

  const csvResponse = await request.get('/exports/reports.csv');
  expect(csvResponse.headers()['content-type']).toContain('text/csv; charset=utf-8');
  const csvBytes = await csvResponse.body();
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bodies['/exports/reports.csv']!.split('\r\n').filter((line) => line.includes(publicId))).toHaveLength(8);
  expect(bodies['/exports/reports.csv']).toContain('량강도');

  expect(bodies['/feed.xml']).toContain(`/reports/${publicId}</id>`);
  expect((await request.get('/exports/reports.schema.json')).status()).toBe(200);

  for (const [path, body] of Object.entries(bodies)) {
    for (const secret of [DEMO_SECRETS.safetyNote, DEMO_SECRETS.codeName, DEMO_SECRETS.placeDetail]) {
      expect(body.includes(secret), `${path} contains "${secret}"`).toBe(false);
    }
  }
  expect(bodies[`/reports/${publicId}`]).not.toMatch(/og:|twitter:/);
});

test('the map shows it at its published place only — on /reports, its page and /stats — each with a table', async ({ page }) => {
  await page.goto(`/reports/${publicId}`);
  await expect(page.getByRole('img', { name: 'Map of the place this report is published for' })).toBeVisible();
  const own = page.getByRole('table', { name: 'Map of the place this report is published for' });
  // Published at the default coarsening: the province, never Hyesan where the partner was.
  await expect(own.getByRole('rowheader')).toHaveText(['Yanggang Province (this report)']);
  await expect(own.getByRole('row').nth(1).getByRole('cell')).toHaveText(['province', '1', 'yes']);

  await page.goto('/reports?place=kp-yanggang');
  await expect(page.getByRole('img', { name: 'Map of the published reports listed, at their published places' })).toBeVisible();
  const listed = page.getByRole('table', { name: 'Map of the published reports listed, at their published places' });
  await expect(listed.getByRole('rowheader', { name: 'Yanggang Province' })).toBeVisible();

  await page.goto('/stats?place=kp-yanggang');
  await expect(page.getByText('Figures for the selected reports only.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Map of published reports per province' })).toBeVisible();
  const perProvince = page.getByRole('table', { name: 'Map of published reports per province' });
  await expect(perProvince.getByRole('rowheader')).toHaveText(['Yanggang Province']);
  expect(Number(await perProvince.getByRole('row').nth(1).getByRole('cell').nth(1).innerText())).toBeGreaterThanOrEqual(1);

  // The front page advertises the feed, in the head and as a link.
  await page.goto('/');
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', /\/feed\.xml$/);
  await expect(page.getByRole('link', { name: 'Subscribe to the Atom feed' })).toHaveAttribute('href', '/feed.xml');
});

test('retraction removes it from lists, statistics, exports and the feed, and leaves a notice at its URL', async ({ browser, page, request }) => {
  const published = await etagsOf([`/reports/${publicId}`, ...LISTS]);
  const feedModified = async () => Date.parse((await fetch(new URL('/feed.xml', BASE_URL))).headers.get('last-modified') ?? '');
  const feedModifiedBefore = await feedModified();
  await retractThroughEditorUi(browser, seeded.reportId, RETRACTION_REASON);
  // The feed's entry is updated with the notice: its Last-Modified moves on with its ETag (below).
  expect(await feedModified()).toBeGreaterThan(feedModifiedBefore);
  // Every validator moves: a cache revalidating its copy gets the notice, not a 304 for the report.
  const retracted = await etagsOf([`/reports/${publicId}`, ...LISTS]);
  for (const path of Object.keys(published).filter((p) => p !== '/')) expect(retracted[path], `${path} after the retraction`).not.toBe(published[path]);
  const revalidation = await request.get(`/reports/${publicId}`, { headers: { 'if-none-match': published[`/reports/${publicId}`]! } });
  expect(revalidation.status()).toBe(200);
  expect(await revalidation.text()).toContain('Retracted report');

  const response = await page.goto(`/reports/${publicId}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Retracted report' })).toBeVisible();
  await expect(page.getByText(/This report was retracted on [A-Z][a-z]{2} \d{1,2}, \d{4}\./)).toBeVisible();
  await expect(page.getByText(RETRACTION_REASON)).toBeVisible();
  await expect(page.getByText(seeded.title)).toHaveCount(0);
  await expect(page).not.toHaveTitle(new RegExp(seeded.title.slice(0, 20)));

  await page.goto('/reports');
  await expect(page.getByRole('link', { name: seeded.title })).toHaveCount(0);
  expect(await weekTotalOnStats(page)).toBe(baselineWeekTotal);

  const bodies = await fetchPublicResponses(request, publicId);
  for (const path of ['/reports', '/stats', '/exports/reports.json', '/exports/reports.csv']) {
    expect(bodies[path]!.includes(publicId), `${path} still lists the retracted report`).toBe(false);
    expect(bodies[path]!.includes(seeded.title), `${path} still shows its title`).toBe(false);
  }
  // The feed updates the entry readers already hold (same id) with the notice, not the old text.
  const feed = bodies['/feed.xml']!;
  const entry = new RegExp(`<entry>(?:(?!</entry>)[\\s\\S])*<id>[^<]*/reports/${publicId}</id>(?:(?!</entry>)[\\s\\S])*</entry>`).exec(feed)?.[0] ?? '';
  expect(entry).toContain('Retracted report');
  expect(entry).toContain(RETRACTION_REASON);
  expect(feed.includes(seeded.title), '/feed.xml still shows its title').toBe(false);
});
