import type { Page, Request } from '@playwright/test';
import { expect, openTestDb, test } from './fixtures';
import { demoReport, expectReportRows, field, fillReportParts, fillReportRows, reportIdFromUrl, uniqueTitle } from './partner-form';

function storedReports(title: string): { id: number; status: string }[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, status FROM reports WHERE title = ?').all(title) as { id: number; status: string }[];
  } finally {
    db.close();
  }
}

function countFor(table: string, reportId: number): number {
  const db = openTestDb();
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE report_id = ?`).get(reportId) as { n: number }).n;
  } finally {
    db.close();
  }
}

function countAll(): number {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Sends a captured form post again, as a browser resending it would (same body, same cookies). */
async function resend(page: Page, request: Request, baseURL: string) {
  const original = await request.allHeaders();
  const headers: Record<string, string> = { origin: baseURL };
  for (const name of ['content-type', 'accept', 'next-action', 'next-router-state-tree']) {
    const value = original[name];
    if (value !== undefined) headers[name] = value;
  }
  return page.request.fetch(request.url(), { method: 'POST', headers, data: request.postDataBuffer() ?? undefined, maxRedirects: 0 });
}

for (const javaScriptEnabled of [false, true]) {
  test.describe(`the report form with scripts ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled, signedInAs: 'partner-k17' });

    test('partner-k17 files the first demo report with every row, fixes `to` before `from`, and a resent form makes one report', async ({ page, baseURL }) => {
      const report = demoReport(0);
      const title = uniqueTitle(`No scripts ${javaScriptEnabled}`);
      await page.goto('/partner/reports/new');

      // `to` before `from`: the two times swapped.
      await fillReportParts(page, { ...report, observed_from: report.observed_to, observed_to: report.observed_from }, { title });
      await fillReportRows(page, report);
      await page.getByRole('button', { name: 'Submit report' }).click();

      const summary = page.locator('.error-summary');
      await expect(summary).toContainText('There is a problem');
      await expect(summary.getByRole('link', { name: /Observed until: The end must not be before the start\./ })).toBeVisible();
      const until = field(page, 'Observed until');
      await expect(until).toHaveAttribute('aria-invalid', 'true');
      await expect(until).toHaveAttribute('aria-describedby', /f-observedTo-error/);
      await expect(page.locator('#f-observedTo-error')).toHaveText('The end must not be before the start.');
      // Every value is still there as typed.
      await expect(field(page, 'Observed from')).toHaveValue(report.observed_to);
      await expect(until).toHaveValue(report.observed_from);
      await expect(field(page, 'Title')).toHaveValue(title);
      await expect(field(page, 'What happened')).toHaveValue(report.narrative);
      await expect(field(page, 'Time note')).toHaveValue(report.time_note);
      await expect(field(page, 'Place')).toHaveValue(report.place);
      await expect(field(page, 'Safety note to the editors')).toHaveValue(report.safety_note);
      await expectReportRows(page, report);
      expect(storedReports(title).filter((r) => r.status !== 'draft')).toEqual([]);

      await field(page, 'Observed from').fill(report.observed_from);
      await field(page, 'Observed until').fill(report.observed_to);
      const [post] = await Promise.all([
        page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/partner/reports/new')),
        page.getByRole('button', { name: 'Submit report' }).click(),
      ]);
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      await expect(page.locator('.status').first()).toHaveText('Submitted');
      const id = reportIdFromUrl(page.url());

      // The same form sent again, five times at once: still one report, the same answer.
      const answers = await Promise.all(Array.from({ length: 5 }, () => resend(page, post, baseURL ?? '')));
      for (const answer of answers) expect(answer.status()).toBeLessThan(400);
      if (!javaScriptEnabled) {
        for (const answer of answers) expect(answer.headers().location).toMatch(new RegExp(`/partner/reports/${id}\\?submitted=1$`));
      }
      expect(storedReports(title)).toEqual([{ id, status: 'submitted' }]);
      expect(countFor('report_vehicles', id)).toBe(4);
      expect(countFor('report_goods', id)).toBe(4);
      expect(countFor('report_events', id)).toBe(1);
      expect(countFor('report_revisions', id)).toBe(1);

      await page.goto('/partner');
      await expect(page.getByRole('row').filter({ hasText: title }).getByText('Submitted')).toBeVisible();
    });
  });
}

test.describe('with scripts off', () => {
  test.use({ javaScriptEnabled: false, signedInAs: 'partner-k17' });

  test('rows are added and removed by a round trip that keeps everything typed, and a draft is saved', async ({ page }) => {
    const title = uniqueTitle('Rows');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    await field(page.getByRole('group', { name: 'Vehicle sighting 1' }), 'Cargo').fill('coal');
    await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    await field(page.getByRole('group', { name: 'Vehicle sighting 2' }), 'Cargo').fill('timber');
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 1' }), 'Cargo')).toHaveValue('coal');
    // Rows added but not filled in yet stay: each press adds one.
    await page.getByRole('button', { name: 'Add goods' }).click();
    await page.getByRole('button', { name: 'Add goods' }).click();
    await expect(page.getByRole('group', { name: 'Goods 2' })).toBeVisible();
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 2' }), 'Cargo')).toHaveValue('timber');
    await page.getByRole('button', { name: 'Remove vehicle sighting 1' }).click();
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 1' }), 'Cargo')).toHaveValue('timber');
    // The rows after it moved up: blank ones, kept ready.
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 2' }), 'Cargo')).toHaveValue('');
    await expect(field(page, 'Title')).toHaveValue(title);

    await field(page, 'Search the gazetteer').fill('혜산'.normalize('NFD'));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByText(/places? match/)).toBeVisible();
    await expect(field(page, 'Place').locator('option', { hasText: 'Hyesan' }).first()).toBeAttached();
    await expect(field(page, 'Place').locator('option', { hasText: 'Musan' })).toHaveCount(0);

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    await page.goto('/partner');
    await page.getByRole('link', { name: title }).click();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 1' }), 'Cargo')).toHaveValue('timber');
  });

  test('the page never claims "saved as you go": nothing is kept until Save draft, and on a phone the save is confirmed in view at the top', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/partner/reports/new');
    await expect(page.locator('#report-save-mode')).toHaveText('Nothing is kept until you press Save draft. Add, Remove and Search save the draft too.');
    await expect(page.getByText(/saved as you go/i)).toHaveCount(0);

    await field(page, 'Title').fill(uniqueTitle('Saved in view'));
    // Save draft sits at the bottom of the long form; the answer is a new page, scrolled to its top.
    await page.getByRole('button', { name: 'Save draft' }).click();
    const saved = page.getByRole('status').filter({ hasText: 'Draft saved.' });
    await expect(saved).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(page.getByText(/saved as you go/i)).toHaveCount(0);
  });

  test('Save draft on a new report answers with its edit page (post/redirect/get): Back, Forward and reload post nothing again, and saving again makes no second report', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const title = uniqueTitle('Saved once');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit\?saved=1$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit report');
    await expect(page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeInViewport();
    await expect(field(page, 'Title')).toHaveValue(title);
    const editUrl = page.url();

    await page.goBack();
    await expect(page).toHaveURL(/\/partner\/reports\/new$/);
    await page.goForward();
    await expect(page).toHaveURL(editUrl);
    await page.reload();
    await expect(field(page, 'Title')).toHaveValue(title);
    await field(page, 'What happened').fill('Seen again.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page).toHaveURL(editUrl);
    await expect(page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeInViewport();
    await expect(field(page, 'What happened')).toHaveValue('Seen again.');

    await page.goto('/partner');
    await expect(page.getByRole('link', { name: title })).toHaveCount(1);
  });

  test('Save draft with a value that does not validate yet: the edit page says so at the top and beside the field, with the value as typed', async ({ page }) => {
    const title = uniqueTitle('Saved with problems');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    const vehicle = page.getByRole('group', { name: 'Vehicle sighting 1' });
    await field(vehicle, 'How many').fill('about 5');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit\?saved=problems$/);
    await expect(page.getByRole('status').filter({ hasText: 'Draft saved. Some fields need attention before you submit.' })).toBeInViewport();
    await expect(field(vehicle, 'How many')).toHaveValue('about 5');
    await expect(field(vehicle, 'How many')).toHaveAttribute('aria-invalid', 'true');
  });

  test('Delete draft without the box ticked: the refusal takes the focus where the partner is, and the form says unsaved changes are not kept', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const title = uniqueTitle('Not ticked');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    await page.goto('/partner');
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('button', { name: 'Delete draft' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Tick the box to confirm that the draft should be deleted. Nothing was deleted.' });
    await expect(refusal).toBeFocused();
    await expect(refusal).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect(page.getByText('Changes above that you have not saved are not kept when you press Delete draft.')).toBeVisible();
    await expect(page.getByRole('link', { name: title })).toHaveCount(0); // still on the edit page
    await expect(field(page, 'Title')).toHaveValue(title);
  });

  test('a refused Submit keeps rows added but not filled in, and names each problem at the row it is in', async ({ page }) => {
    const title = uniqueTitle('Numbered rows');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    await expect(page.getByRole('group', { name: 'Vehicle sighting 3' })).toBeVisible();
    // Row 2 stays empty; row 3 has a count but no vehicle type.
    await field(page.getByRole('group', { name: 'Vehicle sighting 3' }), 'How many').fill('7');
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.locator('.error-summary')).toContainText('There is a problem');
    const third = page.getByRole('group', { name: 'Vehicle sighting 3' });
    await expect(third.getByText('Choose a vehicle type.')).toBeVisible();
    await expect(field(third, 'How many')).toHaveValue('7');
    await expect(page.getByRole('group', { name: 'Vehicle sighting 2' }).getByText('Choose a vehicle type.')).toHaveCount(0);
  });

  test('a draft is deleted with plain forms: the box must be ticked first', async ({ page }) => {
    const title = uniqueTitle('No-script delete');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    await page.goto('/partner');
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('button', { name: 'Delete draft' }).click();
    await expect(page.getByText('Tick the box to confirm that the draft should be deleted.')).toBeVisible();
    await page.getByLabel('Yes, delete this draft and its photos').check();
    await page.getByRole('button', { name: 'Delete draft' }).click();
    await expect(page.getByText('The draft was deleted.')).toBeVisible();
    await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  });

  test('a refused Submit keeps rows and invalid text as the draft: reopened from My reports, everything is there', async ({ page }) => {
    const title = uniqueTitle('Kept as typed');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await field(page, 'Observed from').fill('2018-07-12T19:30');
    await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    await field(page.getByRole('group', { name: 'Vehicle sighting 1' }), 'How many').fill('about 5');
    // A row button with an invalid value saves the draft as typed and says so.
    await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    await expect(page.getByText('Draft saved. Some fields need attention before you submit.')).toBeVisible();
    await field(page.getByRole('group', { name: 'Vehicle sighting 2' }), 'Cargo').fill('timber');
    await page.getByRole('button', { name: 'Add goods' }).click();
    const goods = page.getByRole('group', { name: 'Goods 1' });
    await field(goods, 'Quantity').fill('-5');
    await field(goods, 'Value').fill('abc');

    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.locator('.error-summary')).toContainText('There is a problem');
    await expect(page.getByText('Draft saved. Some fields need attention before you submit.')).toBeVisible();
    expect(storedReports(title)).toEqual([]); // not submitted: the structured title stays empty

    await page.goto('/partner');
    await page.getByRole('link', { name: title }).click();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page, 'Observed from')).toHaveValue('2018-07-12T19:30');
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 1' }), 'How many')).toHaveValue('about 5');
    await expect(field(page.getByRole('group', { name: 'Vehicle sighting 2' }), 'Cargo')).toHaveValue('timber');
    await expect(field(page.getByRole('group', { name: 'Goods 1' }), 'Quantity')).toHaveValue('-5');
    await expect(field(page.getByRole('group', { name: 'Goods 1' }), 'Value')).toHaveValue('abc');
  });

  test('a 10 MB text field or 1,000 rows is refused with a clear message, and nothing is written', async ({ page, baseURL }) => {
    await page.goto('/partner/reports/new');
    const title = uniqueTitle('Oversized');
    await field(page, 'Title').fill(title);
    // The form exactly as the browser would post it (Next's action fields included).
    const entries = await page.locator('form.report-form').evaluate((form) =>
      [...new FormData(form as HTMLFormElement).entries()].map(([key, value]) => [key, String(value)] as [string, string]),
    );
    const post = (extra: Record<string, string>) =>
      page.request.post('/partner/reports/new', {
        headers: { origin: baseURL ?? '' },
        multipart: { ...Object.fromEntries(entries), intent: 'submit', ...extra },
        maxRedirects: 0,
      });
    const reportsBefore = countAll();

    const huge = await post({ narrative: 'x'.repeat(10 * 1024 * 1024) });
    expect(huge.status()).toBe(200);
    const hugePage = await huge.text();
    expect(hugePage).toContain('This text is too large to send');
    expect(hugePage).toContain(title); // what was typed is shown again

    // 1,000 rows: over the form's own caps (50 vehicle rows), under the request guard's 2,000
    // fields (lib/http/request-guard.ts), so the form itself answers; more fields get a bare 413.
    const rows: Record<string, string> = {};
    for (let i = 0; i < 1_000; i += 1) rows[`vehicles.${i}.cargo`] = 'coal';
    const many = await post(rows);
    expect(many.status()).toBe(200);
    expect(await many.text()).toContain('Nothing was saved');

    expect(countAll()).toBe(reportsBefore);
    expect(storedReports(title)).toEqual([]);
  });
});
