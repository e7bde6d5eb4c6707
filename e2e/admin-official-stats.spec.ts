import { test, expect } from './fixtures';

/**
 * Issue 21: an admin imports official monthly trade figures; a month whose figures disagree is
 * stored but flagged and kept off /stats and the export until corrected; a bad file changes nothing.
 * The rules themselves are unit-tested (lib/official/*.test.ts); this is what an admin and a reader see.
 */
const HEADER = 'month,authority,flow,value,unit,yoy_change_pct,source_name,source_url';
const SOURCE = 'E2E customs table';
const csv = (...lines: string[]) => Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`);
const row = (month: string, flow: string, value: string) => `${month},cn_customs,${flow},${value},usd_million,,${SOURCE},https://example.org/customs`;

type ExportRow = { month: string; flow: string; value: number; revision: number; check: string };

test.describe('admin: official statistics beside what partners saw', () => {
  test.use({ signedInAs: 'admin' });

  test('a flagged month stays off /stats and the export until corrected; a bad file changes nothing', async ({ page, request }) => {
    const exported = async () => ((await (await request.get('/exports/official-trade.json')).json()) as { rows: ExportRow[] }).rows.filter((r) => r.month.startsWith('2016-'));
    const upload = async (file: Buffer) => {
      await page.goto('/admin/official');
      await page.getByLabel('CSV file (UTF-8, at most 1 MiB)').setInputFiles({ name: 'figures.csv', mimeType: 'text/csv', buffer: file });
      await page.getByRole('button', { name: 'Upload and preview' }).click();
    };

    // A bad file: its message, and nothing changes.
    const before = await exported();
    await upload(csv(row('2016-03', 'kp_to_mars', '10')));
    const refusal = page.getByRole('region', { name: 'Import a file' }).getByRole('alert');
    await expect(refusal).toContainText('Line 2, column “flow”: “kp_to_mars” is not a known flow');
    await expect(refusal).toContainText('nothing was stored');
    expect(await exported()).toEqual(before);

    // One good month (10 + 20 = 30) and one whose total is not the sum of its parts (25).
    await upload(csv(row('2016-03', 'exports_from_kp_to_cn', '10'), row('2016-03', 'imports_to_kp_from_cn', '20'), row('2016-03', 'total', '30'), row('2016-04', 'exports_from_kp_to_cn', '10'), row('2016-04', 'imports_to_kp_from_cn', '20'), row('2016-04', 'total', '25')));
    await expect(page.getByRole('heading', { level: 1, name: 'Preview of an import' })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('1 month fails a check (2016-04)');
    await expect(page.getByRole('region', { name: /2016-04 · cn_customs · FLAGGED/ })).toContainText('Total ≠ sum of parts: the total is 25 but the parts add up to 30');
    await page.getByRole('button', { name: 'Confirm and store' }).click();
    await expect(page.getByRole('status')).toContainText('Stored.');
    await expect(page.getByRole('heading', { level: 3, name: '2016-04 · cn_customs · FLAGGED: not public' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: '2016-03 · cn_customs · checks pass' })).toBeVisible();

    // Public: March is charted and exported; April is not.
    expect((await exported()).map((r) => `${r.month} ${r.flow} ${r.value}`)).toEqual(['2016-03 exports_from_kp_to_cn 10', '2016-03 imports_to_kp_from_cn 20', '2016-03 total 30']);
    await page.goto('/stats');
    const table = page.getByRole('table', { name: 'Official trade and observations per month' });
    await expect(table.getByRole('row', { name: /^Mar 2016/ })).toContainText('30');
    await expect(table.getByRole('row', { name: /^Apr 2016/ })).toHaveCount(0);
    await expect(page.getByText(/months? of official figures (is|are) not shown/)).toBeVisible();
    await expect(page.getByRole('img', { name: /Official monthly trade, million US dollars/ })).toBeVisible();

    // The admin corrects April's total; the old figure stays as a revision.
    await upload(csv(row('2016-04', 'total', '30')));
    await expect(page.getByRole('row', { name: /Total trade/ })).toContainText('replaces 25 usd_million (revision 1, kept)');
    await page.getByRole('button', { name: 'Confirm and store' }).click();
    await expect(page.getByRole('heading', { level: 3, name: '2016-04 · cn_customs · checks pass' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Earlier revisions' })).toContainText('2016-04 cn_customs total: 25 usd_million (revision 1');

    expect((await exported()).filter((r) => r.month === '2016-04').map((r) => `${r.flow} ${r.value} r${r.revision}`)).toEqual(['exports_from_kp_to_cn 10 r1', 'imports_to_kp_from_cn 20 r1', 'total 30 r2']);
    await page.goto('/stats');
    await expect(table.getByRole('row', { name: /^Apr 2016/ })).toContainText('30');
    const csvExport = await (await request.get('/exports/official-trade.csv')).text();
    expect(csvExport).toContain(`2016-04,cn_customs,General Administration of Customs of the People's Republic of China,total,Total trade between China and North Korea,30,usd_million,30,,${SOURCE},https://example.org/customs,2,consistent,`);
  });
});
