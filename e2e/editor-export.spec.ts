import fs from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { readCsvObjects } from '../lib/testing/csv';
import { seedReports } from './editor-fixtures';
import { createTestAccount, expect, openTestDb, test } from './fixtures';

/**
 * The editors' export (issue 19 item 14): an editor reads what the file holds and how to handle it,
 * confirms (refused without the tick, nothing recorded), downloads the queue's filtered reports as
 * CSV and JSON, a partner is refused, each export lands in the audit log, and an admin downloads
 * the audit log as CSV.
 */

/** Report ids in the queue table, in page order. */
async function queueIds(page: Page): Promise<number[]> {
  const links = await page.getByRole('table').getByRole('link').allTextContents();
  return links.map((text) => Number(/^#(\d+)/.exec(text.trim())?.[1]));
}

/** Click the link or button named `name` and read the file it downloads (UTF-8 bytes as text, BOM kept). */
async function download(page: Page, name: string, role: 'link' | 'button' = 'link'): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole(role, { name }).click()]);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await fs.readFile(await file.path()));
  return { file, text };
}

test.describe("editors' export", () => {
  test.use({ signedInAs: 'editor' });

  test('an editor filters the queue and downloads CSV and JSON holding exactly those reports, which the audit log records', async ({ page, pageAs }) => {
    const partner = await createTestAccount('partner', 'export');
    const [kept1, kept2] = seedReports([
      { partner: partner.codeName, title: '=HYPERLINK("http://evil.example") Hyesan trucks', placeId: 'kp-hyesan' },
      { partner: partner.codeName, title: 'Second Hyesan report', placeId: 'crossing-hyesan-changbai' },
      { partner: partner.codeName, title: 'Musan, not in the filter', placeId: 'kp-musan' },
    ]);

    await page.goto('/editor');
    await page.getByText('Filters', { exact: true }).click();
    await page.getByLabel('Partner code name').fill(partner.codeName);
    await page.getByLabel('Place (and places under it)').selectOption('kp-yanggang');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/place=kp-yanggang/);
    const shown = await queueIds(page);
    expect([...shown].sort()).toEqual([kept1, kept2].sort());

    // The page before the download says what the file holds and how to handle it, and asks first.
    await page.getByRole('link', { name: 'Download these reports as CSV or JSON…' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Before you download: this file is not protected');
    await expect(page.locator('#export-count')).toHaveText('2 reports match these filters now.');
    await expect(page.getByText(/leaves the encrypted database: it is written to your computer in the clear/)).toBeVisible();
    await expect(page.getByText(/Keep it only on an encrypted disk/)).toBeVisible();
    await page.getByRole('button', { name: 'Download CSV' }).click();
    await expect(page.locator('#export-error')).toHaveText('Tick the box to confirm that you will keep the file safe. Nothing was downloaded.');
    await expect(page).toHaveURL(/\/editor\/export\/confirm\?.*place=kp-yanggang/);
    await page.getByRole('checkbox', { name: /^I understand: this file holds partners' code names and safety notes/ }).check();

    const csv = await download(page, 'Download CSV', 'button');
    expect(csv.file.suggestedFilename()).toMatch(/^field-reports-queue-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.text.startsWith('\uFEFFreport_id,')).toBe(true);
    const rows = readCsvObjects(csv.text.slice(1));
    expect(rows.map((r) => Number(r.report_id))).toEqual(shown);
    const first = rows.find((r) => Number(r.report_id) === kept1)!;
    expect(first.title).toBe('\'=HYPERLINK("http://evil.example") Hyesan trucks');
    expect(first).toMatchObject({ partner_code_name: partner.codeName, place_detail: 'upper reaches of the river', safety_note: 'Publish the province only.' });
    expect(first.observed_from).toBe('2018-07-12T10:30:00.000Z');
    expect(first.observed_from_local_date).toBe('2018-07-12');

    const json = await download(page, 'Download JSON', 'button');
    const body = JSON.parse(json.text) as { count: number; filter: Record<string, string>; reports: { id: number; narrative: string }[] };
    expect(body.reports.map((r) => r.id)).toEqual(shown);
    expect(body).toMatchObject({ count: 2, filter: { place: 'kp-yanggang', partner: partner.codeName } });
    expect(body.reports[0]!.narrative).toBe('Dozens of buses and trucks came from China after sunset.');

    const admin = await pageAs('admin');
    await admin.goto('/admin/audit?kind=reports_exported');
    const exports = admin.getByRole('row').filter({ hasText: partner.codeName });
    await expect(exports).toHaveCount(2);
    await expect(exports.first()).toContainText('format: json');
    await expect(exports.first()).toContainText('count: 2');
    await expect(exports.first()).toContainText('editor');
    await expect(exports.nth(1)).toContainText('format: csv');
  });

  test('a confirmed export link opened from outside the app (a mail, a bookmark) shows the warning page first, and nothing is exported or recorded', async ({ page }) => {
    const partner = await createTestAccount('partner', 'export-link');
    seedReports([{ partner: partner.codeName, title: 'Linked from a mail', placeId: 'kp-hyesan' }]);
    // Typed or opened from another app: the browser's own navigation (Sec-Fetch-Site: none).
    await page.goto(`/editor/export?format=csv&confirm=yes&partner=${partner.codeName}`);
    await expect(page).toHaveURL(new RegExp(`/editor/export/confirm\\?partner=${partner.codeName}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Before you download: this file is not protected');
    await expect(page.locator('#export-count')).toHaveText('1 report matches these filters now.');
    await expect(page.locator('#export-error')).toHaveCount(0);
    const db = openTestDb();
    try {
      const recorded = db.prepare("SELECT count(*) AS n FROM audit_events WHERE kind = 'reports_exported' AND detail LIKE ?").get(`%${partner.codeName}%`) as { n: number };
      expect(recorded.n).toBe(0);
    } finally {
      db.close();
    }
    // From the page itself, ticked, the same filter downloads.
    await page.getByRole('checkbox', { name: /^I understand: this file holds partners' code names and safety notes/ }).check();
    const csv = await download(page, 'Download CSV', 'button');
    expect(readCsvObjects(csv.text.slice(1)).map((r) => r.title)).toEqual(['Linked from a mail']);
  });

  test('a partner is refused the export, and nothing is recorded', async ({ pageAs }) => {
    const partner = await pageAs('partner-k17');
    const response = await partner.request.get('/editor/export?format=csv');
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('Only editors and admins can export reports.');
    const db = openTestDb();
    try {
      const recorded = db.prepare("SELECT count(*) AS n FROM audit_events e JOIN accounts a ON a.id = e.actor_id WHERE e.kind = 'reports_exported' AND a.role = 'partner'").get() as { n: number };
      expect(recorded.n).toBe(0);
    } finally {
      db.close();
    }
  });
});

test.describe('audit log download', () => {
  test.use({ signedInAs: 'admin' });

  test('an admin downloads the filtered audit log as CSV, and the download is recorded', async ({ page }) => {
    await page.goto('/admin/audit');
    await page.getByLabel('Kind').selectOption('sign_in');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/kind=sign_in/);
    const csv = await download(page, 'Download these events as CSV');
    expect(csv.text.startsWith('\uFEFFevent_id,created_at,created_date_utc,kind,')).toBe(true);
    const rows = readCsvObjects(csv.text.slice(1));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['sign_in']));
    expect(rows[0]!.created_date_utc).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await page.goto('/admin/audit?kind=audit_log_exported');
    await expect(page.getByRole('row').filter({ hasText: 'audit log exported' }).first()).toContainText(`count: ${rows.length}`);
  });
});
