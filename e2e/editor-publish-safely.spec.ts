/**
 * Issue 19 items 10 and 11, as an editor and a reader: the publish form flags a place or a time in
 * the public text (title, summary, the published text of the chosen rows, captions) that is finer than the chosen coarsening and refuses to publish until the text
 * is changed or each flag confirmed (with and without scripts); a public text written in one
 * language is shown to readers of the other, marked.
 */
import type { Page } from '@playwright/test';
import { expect, openTestDb, signInAs, test } from './fixtures';
import { readReport, seedDemoReportCopy } from './publishing-helpers';

const REFUSED = 'The report was not published: the public text names places or times finer than the coarsening you chose.';

function publicationCount(reportId: number): number {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT count(*) AS n FROM publications WHERE report_id = ?').get(reportId) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function publish(page: Page) {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
}

test.describe('warn before a leak', () => {
  test('a summary naming the Hyesan bridge with the place shown as the province is refused until the text changes', async ({ page }) => {
    const { reportId } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await expect(page.getByLabel('Place shown')).toHaveValue('province');
    await page.getByLabel('Public summary (English)').fill('Trucks waited at the Hyesan bridge until dawn, the last one at 23:40.');
    await publish(page);

    await expect(page.locator('#publish-error')).toContainText(REFUSED);
    // Each flag sits next to the field that holds the text, with the words around it.
    const flags = page.locator('#leaks-summaryEn');
    await expect(flags).toContainText('“Hyesan” names Hyesan / 혜산, a county or city: finer than the place shown.');
    await expect(flags).toContainText('“23:40” is a time to the minute: finer than the time shown.');
    await expect(flags.locator('mark').first()).toHaveText('Hyesan');
    await expect(page.getByLabel('Public summary (English)')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#summaryEn-error')).toHaveText('Change this text, or confirm each flag beside it.');
    // Nothing else is flagged: the title names the river, which is the border.
    await expect(page.locator('[id^="leaks-"]')).toHaveCount(1);
    expect(readReport(reportId)).toEqual({ status: 'verified', version: 1 });
    expect(publicationCount(reportId)).toBe(0);

    // The editor rewrites the text instead, and it publishes.
    await page.getByLabel('Public summary (English)').fill('Trucks waited at the river until dawn.');
    await publish(page);
    await expect(page.getByRole('status')).toContainText('Published. The public page now shows this snapshot.');
    expect(readReport(reportId).status).toBe('published');
    await page.getByRole('link', { name: 'Open the public page' }).click();
    await expect(page.getByText('Trucks waited at the river until dawn')).toBeVisible();
    await expect(page.getByText('Hyesan')).toHaveCount(0);
  });

  test('without JavaScript the flags come with the refusal and a ticked confirmation publishes', async ({ browser }) => {
    const { reportId } = seedDemoReportCopy();
    const signedIn = await browser.newContext();
    await signInAs(await signedIn.newPage(), 'editor');
    const storageState = await signedIn.storageState();
    await signedIn.close();
    const context = await browser.newContext({ javaScriptEnabled: false, storageState });
    try {
      const page = await context.newPage();
      await page.goto(`/editor/reports/${reportId}/publish`);
      await page.getByLabel('Public summary (English)').fill('Trucks waited at the Hyesan bridge until dawn.');
      await page.getByLabel('Public summary (Korean)').fill('화물차들이 혜산에서 새벽까지 기다렸다.');
      await publish(page);
      await expect(page.locator('#publish-error')).toContainText(REFUSED);
      await expect(page.locator('#leaks-summaryEn')).toContainText('“Hyesan” names Hyesan / 혜산');
      await expect(page.locator('#leaks-summaryKo')).toContainText('“혜산” names Hyesan / 혜산');
      expect(publicationCount(reportId)).toBe(0);

      // Confirming one flag of two is still refused, and the tick is kept.
      await page.getByRole('checkbox', { name: 'Keep “Hyesan”: I checked that it does not identify the partner' }).check();
      await publish(page);
      await expect(page.locator('#publish-error')).toContainText(REFUSED);
      await expect(page.getByRole('checkbox', { name: /^Keep “Hyesan”/ })).toBeChecked();
      await expect(page.getByRole('checkbox', { name: /^Keep “혜산”/ })).not.toBeChecked();
      await expect(page.locator('#summaryKo-error')).toHaveText('Change this text, or confirm each flag beside it.');
      await expect(page.locator('#summaryEn-error')).toHaveCount(0);
      expect(publicationCount(reportId)).toBe(0);

      await page.getByRole('checkbox', { name: /^Keep “혜산”/ }).check();
      await publish(page);
      await expect(page.getByRole('status')).toContainText('Published.');
      expect(readReport(reportId).status).toBe('published');
    } finally {
      await context.close();
    }
  });

  test("a row's published cargo naming Hyesan is flagged beside the row, and leaving the row out publishes without it", async ({ page }) => {
    const { reportId } = seedDemoReportCopy();
    const db = openTestDb();
    let position: number;
    try {
      const row = db.prepare('SELECT id, position FROM report_vehicles WHERE report_id = ? ORDER BY position LIMIT 1').get(reportId) as { id: number; position: number };
      db.prepare('UPDATE report_vehicles SET cargo = ? WHERE id = ?').run('unloaded behind the Hyesan market', row.id);
      position = row.position;
    } finally {
      db.close();
    }
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    const flags = page.locator(`#leaks-vehicleRows-${position}-cargo`);
    await expect(flags).toContainText('Cargo of this row');
    await expect(flags).toContainText('“Hyesan” names Hyesan / 혜산, a county or city: finer than the place shown.');
    await publish(page);
    await expect(page.locator('#publish-error')).toContainText(REFUSED);
    await expect(page.locator(`#vehicleRows-${position}-cargo-error`)).toHaveText('Change this text, or confirm each flag beside it.');
    expect(publicationCount(reportId)).toBe(0);

    await page.getByRole('checkbox', { name: /unloaded behind the Hyesan market/ }).uncheck();
    await publish(page);
    await expect(page.getByRole('status')).toContainText('Published.');
    await page.getByRole('link', { name: 'Open the public page' }).click();
    await expect(page.getByText('Hyesan market')).toHaveCount(0);
  });

  test('a name at or above the chosen level is not flagged', async ({ page }) => {
    const { reportId } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await page.getByLabel('Public summary (English)').fill('Trucks waited at the Hyesan bridge until dawn.');
    await page.getByLabel('Place shown').selectOption('county_or_city');
    await publish(page);
    await expect(page.getByRole('status')).toContainText('Published.');
    await expect(page.locator('[id^="leaks-"]')).toHaveCount(0);
  });
});

test.describe('both languages', () => {
  test('a Korean-only summary shows on the English public page marked as Korean, and an English title on the Korean one', async ({ page, browser }) => {
    const { reportId, title } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await expect(page.getByLabel('Public title (English)')).toHaveValue(title);
    await page.getByLabel('Public summary (English)').fill('');
    await page.getByLabel('Public summary (Korean)').fill('해가 진 뒤 화물차 수십 대가 강을 건넜다.');
    await publish(page);
    await expect(page.getByRole('status')).toContainText('Published.');
    const href = await page.getByRole('link', { name: 'Open the public page' }).getAttribute('href');
    expect(href).toMatch(/^\/reports\/[A-Za-z0-9_-]{16}$/);

    const reader = await browser.newContext();
    try {
      const english = await reader.newPage();
      await english.goto(href!);
      await expect(english.locator('html')).toHaveAttribute('lang', 'en');
      const summary = english.getByRole('region', { name: 'Summary' });
      await expect(summary).toContainText('(in Korean)');
      await expect(summary.locator('[lang="ko"]')).toHaveText('해가 진 뒤 화물차 수십 대가 강을 건넜다.');
      await expect(english.getByRole('heading', { level: 1 })).toHaveText(title);

      await english.goto('/reports');
      const item = english.getByRole('listitem').filter({ has: english.getByRole('link', { name: title }) });
      await expect(item).toContainText('해가 진 뒤 화물차 수십 대가 강을 건넜다. (in Korean)');

      // The public pages take the reader's language from the URL (cacheable: decisions/0014).
      const korean = await reader.newPage();
      await korean.goto(`${href!}?lang=ko`);
      await expect(korean.locator('html')).toHaveAttribute('lang', 'ko');
      const heading = korean.getByRole('heading', { level: 1 });
      await expect(heading).toContainText(`${title} (영어)`);
      await expect(heading.locator('[lang="en"]')).toHaveText(title);
      const koreanSummary = korean.getByRole('region', { name: '요약' });
      await expect(koreanSummary.locator('[lang="ko"]')).toHaveText('해가 진 뒤 화물차 수십 대가 강을 건넜다.');
      await expect(koreanSummary).not.toContainText('(한국어)');

      const feed = await korean.request.get('/feed.xml?lang=ko');
      expect(await feed.text()).toContain(`${title} (영어)`);
      const json = (await (await korean.request.get('/exports/reports.json?lang=ko')).json()) as {
        rows: { url: string; title: string; title_lang: string; summary: string; summary_lang: string; summary_en: string }[];
      };
      const row = json.rows.find((r) => r.url.endsWith(href!));
      expect(row).toMatchObject({ title, title_lang: 'en', summary: '해가 진 뒤 화물차 수십 대가 강을 건넜다.', summary_lang: 'ko', summary_en: '' });
    } finally {
      await reader.close();
    }
  });

  test('a title in neither language is refused', async ({ page }) => {
    const { reportId } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await page.getByLabel('Public title (English)').fill('');
    await publish(page);
    await expect(page.locator('#titleEn-error')).toHaveText('Enter a public title in English or Korean.');
    expect(readReport(reportId).status).toBe('verified');
    await page.getByLabel('Public title (Korean)').fill('야간 도강');
    await publish(page);
    await expect(page.getByRole('status')).toContainText('Published.');
  });
});
