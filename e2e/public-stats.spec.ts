import { test, expect } from './fixtures';
import { publishThroughEditorUi, retractThroughEditorUi, seedDemoReportCopy } from './publishing-helpers';

const WEEK_MS = 7 * 24 * 3600 * 1000;

test.describe('statistics over more than one year', () => {
  test('the weekly table lists only weeks with observations and the chart axis names the year', async ({ page, browser }) => {
    // The demo copy observed 52 weeks after the demo report: a year of empty weeks in between.
    const { reportId } = seedDemoReportCopy({ shiftMs: 52 * WEEK_MS });
    await publishThroughEditorUi(browser, reportId);
    try {
      await page.goto('/stats');
      const table = page.getByRole('table', { name: 'Vehicles per week, by direction' });
      await expect(table.getByRole('row', { name: /^Jul 9, 2018/ })).toBeVisible();
      await expect(table.getByRole('row', { name: /^Jul 8, 2019/ })).toBeVisible();
      // Weeks of zeros are left out of the table (the chart shows them), and the page says so.
      const rows = await table.locator('tbody tr').count();
      expect(rows).toBeLessThan(10);
      await expect(page.getByText('Weeks without observations are left out of the table').first()).toBeVisible();

      const axis = await page.getByRole('img', { name: /Vehicles per week, by direction/ }).locator('text').allTextContents();
      expect(axis.some((label) => /\b2018\b/.test(label))).toBe(true);
      expect(axis.some((label) => /\b2019\b/.test(label))).toBe(true);
    } finally {
      await retractThroughEditorUi(browser, reportId, 'Published only to test the statistics page.');
    }
  });

  test("a list's page position carried over to /stats is no filter: the statistics show", async ({ page }) => {
    await page.goto('/stats?cursor=not-a-page&vehicle=truck');
    await expect(page.getByRole('heading', { level: 1, name: /^Statistics/ })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Vehicles per week, by direction' })).toBeVisible();
    await expect(page.getByText('This page link is not valid')).toHaveCount(0);
  });
});
