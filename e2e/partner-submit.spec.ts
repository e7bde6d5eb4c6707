import { expect, openTestDb, test } from './fixtures';
import { demoReport, field, fillReportParts, fillReportRows, reportIdFromUrl, uniqueTitle } from './partner-form';

type ReportRow = { id: number; status: string; title: string; submitted_at: number | null; observed_from: number; time_zone: string };

function reportsTitled(title: string): ReportRow[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, status, title, submitted_at, observed_from, time_zone FROM reports WHERE title = ?').all(title) as ReportRow[];
  } finally {
    db.close();
  }
}

function rowCounts(reportId: number) {
  const db = openTestDb();
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE report_id = ?`).get(reportId) as { n: number }).n;
    return { vehicles: count('report_vehicles'), goods: count('report_goods'), agencies: count('report_agencies'), events: count('report_events'), revisions: count('report_revisions') };
  } finally {
    db.close();
  }
}

test.describe('a partner files a report', () => {
  test.use({ signedInAs: 'partner-k17' });

  test('partner-k17 files the first demo report with all its rows and sees it submitted', async ({ page }) => {
    const report = demoReport(0);
    const title = uniqueTitle(report.title);
    await page.getByRole('link', { name: 'File a new report' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'New report' })).toBeVisible();

    await fillReportParts(page, report, { title });
    await fillReportRows(page, report);
    await page.getByRole('button', { name: 'Submit report' }).click();

    await expect(page).toHaveURL(/\/partner\/reports\/\d+\?submitted=1$/);
    await expect(page.getByText('Your report was submitted.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.locator('.status').first()).toHaveText('Submitted');
    // Shown back in the zone it was entered in.
    await expect(page.getByText('Jul 12, 2018, 19:30 (UTC+9)')).toBeVisible();
    await expect(page.getByRole('cell', { name: 'minerals, lumber' })).toBeVisible();

    const id = reportIdFromUrl(page.url());
    const [stored] = reportsTitled(title);
    expect(stored).toMatchObject({ id, status: 'submitted', time_zone: 'Asia/Pyongyang', observed_from: Date.UTC(2018, 6, 12, 10, 30) });
    expect(rowCounts(id)).toEqual({ vehicles: 4, goods: 4, agencies: 0, events: 1, revisions: 1 });

    await page.getByRole('link', { name: 'Back to my reports' }).click();
    const line = page.getByRole('row').filter({ hasText: title });
    await expect(line).toHaveCount(1);
    await expect(line.getByText('Submitted')).toBeVisible();
  });

  test('a double click on submit makes one report', async ({ page }) => {
    const report = demoReport(2);
    const title = uniqueTitle('Double click');
    await page.goto('/partner/reports/new');
    await fillReportParts(page, report, { title });
    await page.getByRole('button', { name: 'Submit report' }).dblclick();
    await expect(page.getByText('Your report was submitted.')).toBeVisible();
    const stored = reportsTitled(title);
    expect(stored).toHaveLength(1);
    expect(rowCounts(stored[0]?.id ?? 0)).toMatchObject({ events: 1, revisions: 1 });
  });

  test('a refused submit keeps every value and says what is wrong beside the field and at the top', async ({ page }) => {
    const report = demoReport(0);
    const title = uniqueTitle('Refused');
    await page.goto('/partner/reports/new');
    await fillReportParts(page, report, { title });
    await field(page, 'Observed from').fill('2018-05-04T22:00');
    await field(page, 'Observed until').fill('2018-05-04T23:45'); // never existed in Pyongyang
    await page.getByRole('button', { name: 'Submit report' }).click();

    const summary = page.locator('.error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    const until = field(page, 'Observed until');
    await expect(until).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator(`#${await until.getAttribute('aria-describedby').then((ids) => ids?.split(' ').pop())}`)).toContainText('did not exist');
    await expect(summary.getByRole('link', { name: /Observed until/ })).toBeVisible();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page, 'What happened')).toHaveValue(report.narrative);
    expect(reportsTitled(title).filter((r) => r.status !== 'draft')).toHaveLength(0);
  });
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(`the time zone follows the place (scripts ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    test.use({ signedInAs: 'partner-k17', javaScriptEnabled });

    async function fillDandong(page: import('@playwright/test').Page, title: string) {
      await page.goto('/partner/reports/new');
      await expect(field(page, 'Time zone')).toHaveValue('');
      await expect(field(page, 'Time zone').locator('option:checked')).toHaveText("The place's time zone");
      await field(page, 'Place').selectOption('cn-dandong');
      await field(page, 'Observed from').fill('2018-07-12T19:30');
      await field(page, 'Observed until').fill('2018-07-12T21:00');
      await field(page, 'How precise is the place?').selectOption('county');
      await field(page, 'Title').fill(title);
      await field(page, 'What happened').fill('Trucks loaded at the Dandong riverside.');
      await field(page, 'Source').selectOption('direct_observation');
    }

    test('Dandong → Asia/Shanghai', async ({ page }) => {
      const title = uniqueTitle('Dandong zone');
      await fillDandong(page, title);
      if (javaScriptEnabled) {
        await expect(field(page, 'Time zone').locator('option:checked')).toHaveText("The place's time zone: China time (Asia/Shanghai)");
      }
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      await expect(page.getByText('Jul 12, 2018, 19:30 (UTC+8)')).toBeVisible();
      expect(reportsTitled(title)).toMatchObject([{ status: 'submitted', time_zone: 'Asia/Shanghai', observed_from: Date.UTC(2018, 6, 12, 11, 30) }]);
    });

    test('a zone the partner chooses stays, whatever the place', async ({ page }) => {
      const title = uniqueTitle('Chosen zone');
      await fillDandong(page, title);
      await field(page, 'Time zone').selectOption('Asia/Pyongyang');
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      expect(reportsTitled(title)).toMatchObject([{ status: 'submitted', time_zone: 'Asia/Pyongyang', observed_from: Date.UTC(2018, 6, 12, 10, 30) }]);
    });
  });
}
