/**
 * A partner's pages on a 360 px phone, as a new partner found them (2026-12-07).
 *
 * The partner pages' Quick exit stays at the top of the screen (sticky). A jump to a field — an
 * error summary's link, scripts on or off — must stop below it, label included: otherwise the
 * field lands under the button, and a tap meant for the field signs the partner out and wipes the
 * phone (found by a new partner on a 360 px phone, 2026-12-07). The summary names an agency line
 * by its agency, as the checklist does, not by its place in the list ("Agency 5"). "My reports"
 * shows each report's status and new messages without scrolling the table sideways.
 */
import type { Locator, Page } from '@playwright/test';
import { createTestAccount, expect, signIn, test } from './fixtures';
import { seedReports } from './editor-fixtures';
import { agencyLine, agencyName, field, row, uniqueTitle } from './partner-form';

/** The box of `locator` in the viewport's coordinates. */
async function box(locator: Locator): Promise<{ top: number; bottom: number }> {
  return locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return { top: rect.top, bottom: rect.bottom };
  });
}

/** Follows the error summary's link named `name`; the field it names and its label must show whole, below Quick exit. */
async function jumpAndExpectClearOfQuickExit(page: Page, name: RegExp, target: Locator, label: Locator) {
  await page.locator('.error-summary').getByRole('link', { name }).click();
  await expect(target).toBeInViewport();
  const exit = await box(page.getByRole('button', { name: 'Quick exit' }));
  // The page scrolled (the field was further down), and Quick exit is still at the top.
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  expect(exit.top).toBeLessThan(5);
  for (const part of [label, target]) {
    const { top, bottom } = await box(part);
    expect(top).toBeGreaterThanOrEqual(exit.bottom);
    expect(bottom).toBeLessThanOrEqual(740);
  }
}

for (const javaScriptEnabled of [false, true]) {
  test.describe(`the error summary's links on a 360 px phone, scripts ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled, signedInAs: 'partner-k17', viewport: { width: 360, height: 740 } });

    test('each link brings its field and label into view below Quick exit, never under it', async ({ page }) => {
      await page.goto('/partner/reports/new');
      // No title, and a count in words: two errors, one near the top, one far down the form.
      await row(page, 'Vehicle sighting 1').getByLabel(/^How many/).fill('two');
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.locator('.error-summary')).toContainText('There is a problem');

      const count = row(page, 'Vehicle sighting 1').getByLabel(/^How many/);
      await jumpAndExpectClearOfQuickExit(page, /Vehicle sighting 1 – How many/, count, row(page, 'Vehicle sighting 1').locator('label', { hasText: /^How many/ }));

      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const title = field(page, 'Title');
      await jumpAndExpectClearOfQuickExit(page, /^Title/, title, page.locator('label[for="f-title"]'));
    });

    test('a ticked agency without its role is named by the agency in the summary, and its link leads to the role', async ({ page }) => {
      await page.goto('/partner/reports/new');
      const line = agencyLine(page, 'mss');
      await line.getByRole('checkbox', { name: agencyName('mss') }).check();
      await page.getByRole('button', { name: 'Submit report' }).click();
      const link = page.locator('.error-summary').getByRole('link', { name: /^Ministry of State Security – Role: / });
      await expect(link).toBeVisible();
      await expect(page.locator('.error-summary')).not.toContainText(/Agency \d+ –/);
      await jumpAndExpectClearOfQuickExit(page, /^Ministry of State Security – Role: /, line.getByLabel(/^Role/), line.locator('label', { hasText: /^Role/ }));
    });
  });
}

test.describe('My reports on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("a report's status and its new message from an editor are in view, without scrolling the table sideways", async ({ page, pageAs }) => {
    // A partner of its own: a new message would show in a demo partner's header in other tests.
    const partner = await createTestAccount('partner', 'phone-list');
    const title = uniqueTitle('Phone list');
    const [id] = seedReports([{ partner: partner.codeName, title }]);
    const editor = await pageAs('editor');
    await editor.goto(`/editor/reports/${id}`);
    await editor.getByRole('button', { name: 'Claim' }).click();
    await expect(editor.getByRole('status').filter({ hasText: 'Report claimed.' })).toBeVisible();
    const message = editor.getByRole('form', { name: 'Message to the partner', exact: true });
    await message.getByLabel('Text').fill('Which crossing was it?');
    await message.getByRole('button', { name: 'Send to the partner' }).click();
    await expect(editor.getByRole('status').filter({ hasText: 'Message sent to the partner.' })).toBeVisible();

    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    const report = page.getByRole('row').filter({ has: page.getByRole('link', { name: title }) });
    await expect(report.getByText('In review')).toBeInViewport({ ratio: 1 });
    await expect(report.getByText('1 new message')).toBeInViewport({ ratio: 1 });
  });
});
