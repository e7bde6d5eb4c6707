/**
 * Issue 19, "Find": the editor searches the moderation queue (English, Korean typed composed or
 * decomposed, a part of a word), combines the search with a filter, sorts oldest first, pages and
 * reviews a bulk action on what the search matched, and sees each hit in context — with scripts on
 * and off (plain GET forms and links).
 */
import type { Page } from '@playwright/test';
import { createTestAccount, expect, openTestDb, test } from './fixtures';
import { seedReports } from './editor-fixtures';

/** Report ids in the queue table, in page order. */
async function queueIds(page: Page): Promise<number[]> {
  const links = await page.getByRole('table').getByRole('link').allTextContents();
  return links.map((text) => Number(/^#(\d+)/.exec(text.trim())?.[1]));
}

/** A word no other spec's report holds. */
function uniqueTag(): string {
  return `zq${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)] ?? 'k');
}

function setNarrative(reportId: number, narrative: string): void {
  const db = openTestDb();
  try {
    db.prepare('UPDATE reports SET narrative = ? WHERE id = ?').run(narrative, reportId);
  } finally {
    db.close();
  }
}

async function searchFor(page: Page, text: string) {
  await page.getByLabel('Search reports').fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=/);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`queue search with scripts ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled, signedInAs: 'editor' });

    test('an editor finds reports by a part of a word, in Korean composed or decomposed, filtered, oldest first, with the hit in context', async ({ page }) => {
      const partner = await createTestAccount('partner');
      const tag = uniqueTag();
      const hour = 3_600_000;
      const start = Date.now() - 10 * hour;
      const [bridge, korean, diesel] = seedReports([
        { partner: partner.codeName, title: `Trucks at the Hyesan bridge ${tag}`, submittedAt: start },
        // Stored decomposed (NFD), as text imported before input was normalised would be.
        { partner: partner.codeName, title: `${'혜산시 장마당'.normalize('NFD')} ${tag}`, submittedAt: start + hour, placeId: 'kp-hyesan' },
        { partner: partner.codeName, title: `Quiet night ${tag}`, submittedAt: start + 2 * hour, status: 'in_review', claimedBy: 'editor' },
      ]) as [number, number, number];
      setNarrative(diesel, `Nothing moved until two. Then <b>smuggled diesel</b> came over on hand carts, ${tag}.`);

      const rowOf = (id: number) => page.getByRole('row').filter({ has: page.getByRole('link', { name: new RegExp(`^#${id} `) }) });
      // The partner filter keeps other specs' reports out; the search form carries it along.
      await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}`);
      // A part of an English word.
      await searchFor(page, 'brid');
      expect(await queueIds(page)).toEqual([bridge]);
      // A search from a queue in its default order is ranked: the form sends no "newest submitted".
      await expect(page).not.toHaveURL(/[?&]sort=[a-z]/);
      await expect(page.getByLabel('Sort by')).toHaveValue('');
      await expect(rowOf(bridge).getByText('Found in title:')).toBeVisible();
      await expect(rowOf(bridge).locator('mark')).toHaveText(['brid']);

      // Korean: a 2-syllable name (too short for the trigram index) typed composed finds the title stored decomposed…
      await searchFor(page, '혜산');
      expect(await queueIds(page)).toEqual([korean]);
      // …and so does the longer name typed decomposed.
      await searchFor(page, '혜산시'.normalize('NFD'));
      expect(await queueIds(page)).toEqual([korean]);
      await expect(rowOf(korean).locator('mark')).toHaveText(['혜산시']);

      // The hit in the narrative, shown as text (the partner's markup is never read as HTML).
      await searchFor(page, 'diesel');
      expect(await queueIds(page)).toEqual([diesel]);
      const dieselRow = rowOf(diesel);
      await expect(dieselRow.getByText('Found in narrative:')).toBeVisible();
      await expect(dieselRow).toContainText('<b>smuggled diesel</b>');
      await expect(dieselRow.locator('mark', { hasText: 'diesel' })).toBeVisible();
      await expect(dieselRow.locator('b')).toHaveCount(0);

      // The search with a filter and an order, in one GET form.
      await searchFor(page, tag);
      expect(await queueIds(page)).toHaveLength(3);
      // The filters are unfolded: one (the partner) is set.
      await page.getByLabel('Status', { exact: true }).selectOption('in_review');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(/status=in_review/);
      expect(await queueIds(page)).toEqual([diesel]);
      await expect(page.getByLabel('Search reports')).toHaveValue(tag);

      await page.getByLabel('Status', { exact: true }).selectOption('');
      await page.getByLabel('Sort by').selectOption('oldest');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(/sort=oldest/);
      expect(await queueIds(page)).toEqual([bridge, korean, diesel]);
      await page.getByLabel('Sort by').selectOption('submitted');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      expect(await queueIds(page)).toEqual([diesel, korean, bridge]);

      // The bulk action on "every report matching" carries the search.
      await page.getByRole('region', { name: 'Every report matching these filters' }).getByLabel('Action').selectOption('claim');
      await page.getByRole('button', { name: 'Review action on all 3 matching' }).click();
      await expect(page).toHaveURL(new RegExp(`/editor/bulk\\?.*q=${tag}`));
      await expect(page.getByText('Claim: 3 reports match these filters now.', { exact: false })).toBeVisible();
    });

    test('pages of a search keep the search, and a vehicle type filter narrows it', async ({ page }) => {
      const partner = await createTestAccount('partner');
      const tag = uniqueTag();
      const made = seedReports(Array.from({ length: 27 }, (_, i) => ({ partner: partner.codeName, title: `Convoy ${i} ${tag}` })));
      await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}`);
      await searchFor(page, tag);
      const first = await queueIds(page);
      expect(first).toHaveLength(25);
      await page.getByRole('link', { name: 'Next page' }).click();
      await expect(page).toHaveURL(new RegExp(`q=${tag}.*after=|after=.*q=${tag}`));
      // The second page's rows, not the first's still on screen while the client navigation finishes.
      await expect(page.getByRole('link', { name: new RegExp(`^#${first[0]} `) })).toHaveCount(0);
      const second = await queueIds(page);
      expect([...first, ...second].sort((a, b) => a - b)).toEqual([...made].sort((a, b) => a - b));

      // Every seeded report has one truck row and no boat.
      await page.goto(`/editor?q=${tag}&vehicle=boat`);
      await expect(page.getByText('No reports match these filters.')).toBeVisible();
      await page.goto(`/editor?q=${tag}&vehicle=truck`);
      expect(await queueIds(page)).toHaveLength(25);
    });
  });
}
