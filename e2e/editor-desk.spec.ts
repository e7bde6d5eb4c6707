/**
 * Working the desk fast (issue 19 item 12), as an editor: a dense queue, keys in the queue, select
 * all on the page (scripts on and off), "next report" in the same filtered queue and "… and next"
 * after a decision, and the review page's decision and key facts before its folded long parts.
 */
import type { Page } from '@playwright/test';
import { createTestAccount, expect, test } from './fixtures';
import { readReport, seedReports } from './editor-fixtures';

/** Titles as partners write them (the demo reports'), so rows are as long as on a real desk. */
const TITLES = [
  'Buses and trucks from China cross the upper Amrok overnight',
  'Smuggled cars go to Pyongyang, Nampo and Chongjin; white and silver only',
  'Trading companies of state agencies run the smuggling, guarded by border troops',
  "Smuggling picked up again after the leader's May visit to China",
  'Lumber trucks at the Hyesan crossing',
];

/** Seed `count` submitted reports of a fresh partner, one minute apart (newest last); ids in order. */
async function seedDesk(count: number, label: string): Promise<{ partner: string; ids: number[] }> {
  const partner = await createTestAccount('partner', `desk-${label}`);
  const start = Date.now() - count * 60_000;
  const ids = seedReports(Array.from({ length: count }, (_, i) => ({ partner: partner.codeName, title: `${TITLES[i % TITLES.length]} ${i}`, submittedAt: start + i * 60_000 })));
  return { partner: partner.codeName, ids };
}

/** Report ids of the queue's rows, in page order. */
async function queueIds(page: Page): Promise<number[]> {
  const links = await page.locator('#queue-table tbody tr a').allTextContents();
  return links.map((text) => Number(/^#(\d+)/.exec(text.trim())?.[1]));
}

test.describe('editor desk', () => {
  test.use({ signedInAs: 'editor' });

  test('25 rows fit in 1,400 px at 1,280 px wide, one line of facts a row; a 360 px phone scrolls the table, not the page', async ({ page }) => {
    const { partner } = await seedDesk(25, 'dense');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/editor?partner=${encodeURIComponent(partner)}`);
    expect(await queueIds(page)).toHaveLength(25);
    const table = page.locator('#queue-table table');
    const box = await table.boundingBox();
    if (!box) throw new Error('no queue table');
    expect(box.height).toBeLessThanOrEqual(1400);
    test.info().annotations.push({ type: 'queue table height', description: `${Math.round(box.height)} px for 25 rows at 1,280 px` });
    console.log(`queue table: ${Math.round(box.height)} px for 25 rows at 1,280 px`);
    // Nothing was dropped to get there: each row names its partner, place, state and times.
    const first = page.locator('#queue-table tbody tr').first();
    await expect(first).toContainText(partner);
    await expect(first).toContainText('Submitted');
    await expect(first).toContainText(/Observed 2018-07-12 19:30 \(UTC\+9\) · submitted \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    // A title too long for its column ends in … on screen but is whole in the link (and on hover).
    await expect(first.getByRole('link')).toHaveAttribute('title', /^Lumber trucks|^Smuggling|^Trading|^Smuggled|^Buses/);

    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expect(page.locator('#queue-table tbody tr').first().getByRole('link')).toBeVisible();
  });

  test('keys: j/k move between rows, x ticks, o opens; typing in the search box is left alone', async ({ page }) => {
    const { partner, ids } = await seedDesk(3, 'keys');
    const [oldest, middle, newest] = ids as [number, number, number];
    await page.goto(`/editor?partner=${encodeURIComponent(partner)}`);
    await expect(page.getByText('Keyboard: j/k move, o open, x select')).toBeVisible();

    await page.keyboard.press('j');
    await expect(page.getByRole('link', { name: new RegExp(`^#${newest} `) })).toBeFocused();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j'); // stays on the last row
    await expect(page.getByRole('link', { name: new RegExp(`^#${oldest} `) })).toBeFocused();
    await page.keyboard.press('k');
    await expect(page.getByRole('link', { name: new RegExp(`^#${middle} `) })).toBeFocused();
    await page.keyboard.press('x');
    await expect(page.getByLabel(`Select report #${middle}`)).toBeChecked();
    await expect(page.getByLabel(`Select report #${newest}`)).not.toBeChecked();

    await page.getByLabel('Search reports').fill('');
    await page.getByLabel('Search reports').press('j');
    await page.getByLabel('Search reports').press('x');
    await expect(page.getByLabel('Search reports')).toHaveValue('jx');
    await expect(page.getByLabel(`Select report #${middle}`)).toBeChecked();
    await expect(page.getByLabel('Search reports')).toBeFocused();

    await page.getByLabel(`Select report #${middle}`).focus();
    await page.keyboard.press('o');
    await expect(page).toHaveURL(new RegExp(`/editor/reports/${middle}\\?`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${TITLES[1]} 1`);
  });

  test('select all on the page ticks every row and the bulk action takes them all (scripts on)', async ({ page }) => {
    const { partner, ids } = await seedDesk(4, 'all-on');
    await page.goto(`/editor?partner=${encodeURIComponent(partner)}`);
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    for (const id of ids) await expect(page.getByLabel(`Select report #${id}`)).toBeChecked();
    await page.getByLabel(`Select report #${ids[0]}`).uncheck();
    await expect(page.getByRole('checkbox', { name: 'Select all on this page' })).not.toBeChecked();
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    const bulk = page.getByRole('form', { name: 'Bulk action' });
    await bulk.getByLabel('Action').selectOption('claim');
    await bulk.getByRole('button', { name: 'Apply to selected reports' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Claim: 4 reports changed.' })).toBeVisible();
    for (const id of ids) expect(readReport(id).status).toBe('in_review');
  });

  test('select all on the page without scripts: a reload with every row ticked, and the bulk action takes them all', async ({ browser, page: signInPage }) => {
    const { partner, ids } = await seedDesk(3, 'all-off');
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signInPage.context().storageState() });
    try {
      const page = await context.newPage();
      await page.goto(`/editor?partner=${encodeURIComponent(partner)}`);
      await expect(page.getByText('Keyboard: j/k move')).toHaveCount(0);
      for (const id of ids) await expect(page.getByLabel(`Select report #${id}`)).not.toBeChecked();
      await page.getByRole('link', { name: 'Select all on this page' }).click();
      for (const id of ids) await expect(page.getByLabel(`Select report #${id}`)).toBeChecked();
      const bulk = page.getByRole('form', { name: 'Bulk action' });
      await bulk.getByLabel('Action').selectOption('claim');
      await bulk.getByRole('button', { name: 'Apply to selected reports' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Claim: 3 reports changed.' })).toBeVisible();
      for (const id of ids) expect(readReport(id).status).toBe('in_review');
    } finally {
      await context.close();
    }
  });

  test('next report stays in the filtered queue; verify and next, then reject and next, go on in it', async ({ page }) => {
    const a = await seedDesk(3, 'next-a');
    const b = await seedDesk(2, 'next-b'); // newer than a's, so first in an unfiltered queue
    const [a0, a1, a2] = a.ids as [number, number, number];
    await page.goto(`/editor?partner=${encodeURIComponent(a.partner)}&status=submitted`);
    await page.getByRole('link', { name: new RegExp(`^#${a2} `) }).click();
    await expect(page).toHaveURL(new RegExp(`/editor/reports/${a2}\\?`));
    expect(new URL(page.url()).searchParams.get('partner')).toBe(a.partner);
    expect(new URL(page.url()).searchParams.get('status')).toBe('submitted');
    expect(new URL(page.url()).searchParams.get('at')).toMatch(new RegExp(`_${a2}$`));

    await page.getByRole('link', { name: 'Next report' }).click();
    await expect(page).toHaveURL(new RegExp(`/editor/reports/${a1}\\?`));
    await page.getByRole('link', { name: 'Back to the queue' }).click();
    await expect(page).toHaveURL(/\/editor\?/);
    await expect(page.locator('#queue-table tbody tr')).toHaveCount(3);
    expect(await queueIds(page)).toEqual([a2, a1, a0]);
    await page.getByRole('link', { name: new RegExp(`^#${a2} `) }).click();

    // Claim keeps the page and the filter; "Verify and next" verifies and opens the next of the partner's.
    await page.getByRole('form', { name: 'Claim' }).getByRole('button', { name: 'Claim' }).click();
    await expect(page.getByRole('status')).toContainText('Report claimed.');
    const verify = page.getByRole('form', { name: 'Verify' });
    await verify.getByLabel('Source reliability').selectOption('B');
    await verify.getByLabel('Information credibility').selectOption('2');
    await verify.getByRole('button', { name: 'Verify and next' }).click();
    await expect(page).toHaveURL(new RegExp(`/editor/reports/${a1}\\?.*done=verify`));
    await expect(page.getByRole('status')).toContainText(`Report #${a2}: Report verified. This is the next report in the queue.`);
    expect(readReport(a2)).toMatchObject({ status: 'verified', sourceReliability: 'B', informationCredibility: '2' });

    const reject = page.getByRole('form', { name: 'Reject' });
    await reject.getByLabel('Internal reason (editors only)').fill('Seen twice.');
    await reject.getByRole('checkbox').check();
    await reject.getByRole('button', { name: 'Reject and next' }).click();
    await expect(page).toHaveURL(new RegExp(`/editor/reports/${a0}\\?`));
    expect(readReport(a1).status).toBe('rejected');

    // The last one of the filter: no next, though the other partner's newer reports wait.
    const nav = page.getByRole('navigation', { name: 'Queue' });
    await expect(nav).toContainText('No next report in this queue view.');
    await expect(nav.getByRole('link', { name: 'Next report' })).toHaveCount(0);
    expect(b.ids.map((id) => readReport(id).status)).toEqual(['submitted', 'submitted']);
  });

  test('the review page puts the decision and key facts before the narrative; long parts fold and open', async ({ page, browser }) => {
    const { ids } = await seedDesk(1, 'order');
    const [id] = ids as [number];
    await page.goto(`/editor/reports/${id}`);
    const order = await page.evaluate(() => {
      const at = (selector: string) => [...document.querySelectorAll('*')].indexOf(document.querySelector(selector) as Element);
      return { facts: at('#facts-title'), decisions: at('#decisions-title'), narrative: at('.narrative'), history: at('#history-title') };
    });
    expect(order.facts).toBeGreaterThan(-1);
    expect(order.facts).toBeLessThan(order.decisions);
    expect(order.decisions).toBeLessThan(order.narrative);
    expect(order.narrative).toBeLessThan(order.history);
    const facts = page.getByRole('region', { name: 'Key facts' });
    await expect(facts).toContainText('Submitted');
    await expect(facts).toContainText('Not graded yet.');
    await expect(facts).toContainText('1 vehicle sighting');
    await expect(facts).toContainText('no possible duplicate');

    // New to the desk (submitted): the report's text is open; the history is folded.
    await expect(page.locator('.narrative')).toHaveText('Dozens of buses and trucks came from China after sunset.');
    await expect(page.locator('.narrative')).toBeVisible();
    const history = page.getByRole('region', { name: /^History/ });
    await expect(history.getByRole('table')).toBeHidden();

    // Taken up: the text folds too, and opens from its heading — with scripts off as well.
    await page.getByRole('form', { name: 'Claim' }).getByRole('button', { name: 'Claim' }).click();
    await expect(page.getByRole('status')).toContainText('Report claimed.');
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    try {
      const noScript = await context.newPage();
      await noScript.goto(`/editor/reports/${id}`);
      const narrative = noScript.locator('.narrative');
      await expect(narrative).toBeHidden();
      await noScript.getByRole('heading', { name: 'What', exact: true }).click();
      await expect(narrative).toBeVisible();
      await noScript.getByRole('heading', { name: /^History/ }).click();
      await expect(noScript.getByRole('region', { name: /^History/ }).getByRole('cell', { name: 'Claim', exact: true })).toBeVisible();
    } finally {
      await context.close();
    }
  });
});
