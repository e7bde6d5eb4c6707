/**
 * The blank rows the report form keeps ready (issue 18, a new partner's trial on a 360 px phone):
 * scripts off, every Save draft added three more blank vehicle and goods rows (the page grew from
 * about 5,900 px to 9,800 px after one save); scripts on, the blank row kept ready after the rows
 * filled showed red "Choose a vehicle type." messages though the partner never touched it. Blank
 * rows are topped up TO three (scripts off) and are never checked: they are not part of the report.
 */
import type { Page } from '@playwright/test';
import { expect, openTestDb, test } from './fixtures';
import { field, row, uniqueTitle } from './partner-form';

/** How many vehicle rows the page shows ("Vehicle sighting N" fieldsets). */
function vehicleRows(page: Page) {
  return page.getByRole('group', { name: /^Vehicle sighting \d+$/ });
}

/** How many goods rows the page shows ("Goods N" fieldsets). */
function goodsRows(page: Page) {
  return page.getByRole('group', { name: /^Goods \d+$/ });
}

/** The draft saved under `title`: its id and its stored rows. */
function storedDraft(title: string): { id: number; vehicles: unknown[]; goods: unknown[] } {
  const db = openTestDb();
  try {
    const found = db.prepare('SELECT id, draft_values AS draft FROM reports WHERE json_extract(draft_values, \'$.title\') = ?').get(title) as { id: number; draft: string };
    const draft = JSON.parse(found.draft) as { vehicles: unknown[]; goods: unknown[] };
    return { id: found.id, vehicles: draft.vehicles, goods: draft.goods };
  } finally {
    db.close();
  }
}

const VEHICLES = [
  { type: 'bus', count: '12', direction: 'into_kp' },
  { type: 'truck', count: '25', direction: 'into_kp' },
  { type: 'truck', count: '18', direction: 'out_of_kp' },
] as const;

test.describe('blank rows kept ready on a 360 px phone', () => {
  test.use({ signedInAs: 'partner-k17', viewport: { width: 360, height: 740 } });

  test.describe('scripts off', () => {
    test.use({ javaScriptEnabled: false });

    test('Save draft twice keeps three blank vehicle and goods rows, and the edit page too', async ({ page }, testInfo) => {
      await page.goto('/partner/reports/new');
      await expect(vehicleRows(page)).toHaveCount(3);
      await expect(goodsRows(page)).toHaveCount(3);
      const heightNew = await page.evaluate(() => document.documentElement.scrollHeight);

      const title = uniqueTitle('Spare rows, no scripts');
      await field(page, 'Title').fill(title);
      const first = row(page, 'Vehicle sighting 1');
      await field(first, 'Vehicle type').selectOption(VEHICLES[0].type);
      await field(first, 'How many').fill(VEHICLES[0].count);
      await field(first, 'Direction').selectOption(VEHICLES[0].direction);

      const heightAfterSave: number[] = [];
      for (let save = 1; save <= 2; save += 1) {
        await page.getByRole('button', { name: 'Save draft' }).click();
        await expect(page.getByText('Draft saved.')).toBeVisible();
        // One row filled and three blank ones ready; goods: the three blank ones.
        await expect(vehicleRows(page)).toHaveCount(4);
        await expect(goodsRows(page)).toHaveCount(3);
        await expect(field(row(page, 'Vehicle sighting 1'), 'How many')).toHaveValue(VEHICLES[0].count);
        heightAfterSave.push(await page.evaluate(() => document.documentElement.scrollHeight));
      }
      const heightSaved = heightAfterSave[1] ?? 0;

      // The draft as stored holds no blank rows; its edit page shows the same three blank ones ready.
      const stored = storedDraft(title);
      expect(stored.vehicles).toHaveLength(1);
      expect(stored.goods).toHaveLength(0);
      await page.goto(`/partner/reports/${stored.id}/edit`);
      await expect(vehicleRows(page)).toHaveCount(4);
      await expect(goodsRows(page)).toHaveCount(3);
      testInfo.annotations.push({ type: 'page height at 360 px', description: `new form ${heightNew} px; after two saves ${heightSaved} px (before: 5,918 and 9,842 after one)` });
      // Three blank rows after each save: a second save does not make the page (the draft's edit
      // page since the first save) any taller.
      expect(heightSaved).toBeLessThanOrEqual((heightAfterSave[0] ?? 0) + 50);
    });
  });

  test('scripts on: the blank rows after three filled vehicle rows show no errors, even after the draft is saved', async ({ page }) => {
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(uniqueTitle('Spare rows, scripts'));
    for (const [i, vehicle] of VEHICLES.entries()) {
      const group = row(page, `Vehicle sighting ${i + 1}`);
      await field(group, 'Vehicle type').selectOption(vehicle.type);
      await field(group, 'How many').fill(vehicle.count);
      await field(group, 'Direction').selectOption(vehicle.direction);
    }
    const spare = row(page, 'Vehicle sighting 4');
    await expect(spare).toBeVisible();
    // Saved as the partner goes (autosave), then the Save draft button: neither marks blank rows.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    await expect(spare.locator('.field-error')).toHaveCount(0);
    await expect(spare.getByText(/Choose a vehicle type|Enter how many|Choose a direction/)).toHaveCount(0);
    for (const legend of ['Goods 1', 'Goods 2', 'Goods 3']) await expect(row(page, legend).locator('.field-error')).toHaveCount(0);
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);

    // A filled row still shows its messages: a count that is not a number.
    await field(row(page, 'Vehicle sighting 2'), 'How many').fill('about 5');
    await expect(row(page, 'Vehicle sighting 2').locator('.field-error')).not.toHaveCount(0);
    await expect(spare.locator('.field-error')).toHaveCount(0);
  });
});
