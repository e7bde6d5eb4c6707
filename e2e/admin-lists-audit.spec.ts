import { test, expect } from './fixtures';

test.describe('admin: reference lists and the audit log', () => {
  test.use({ signedInAs: 'admin' });

  test('an admin adds, renames and retires a goods category; the audit log shows it', async ({ page }) => {
    await page.goto('/admin/lists?list=goods');
    await expect(page.getByRole('heading', { level: 2, name: 'Goods categories', exact: true })).toBeVisible();
    const name = `Cigarettes ${Date.now().toString(36)}`;

    // Bad input first: clear messages, nothing added.
    await page.getByLabel('English name').fill('');
    await page.getByLabel('Korean name').fill('담배');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect(page.getByLabel('English name')).toHaveAccessibleDescription('Enter the English name.');

    await page.getByLabel('English name').fill(name);
    await page.getByLabel('Korean name').fill('담배');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect(page.getByText(`Added “${name}”`)).toBeVisible();
    await page.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

    await page.getByLabel('English name').fill(`${name} and tobacco`);
    await page.getByLabel('Korean name').fill('담배·연초');
    await page.getByRole('button', { name: 'Save names' }).click();
    await expect(page.getByText('Renamed.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: `${name} and tobacco` })).toBeVisible();

    await page.getByRole('button', { name: 'Retire' }).click();
    await expect(page.getByText('Retired: old reports keep it')).toBeVisible();

    await page.goto('/admin/audit');
    await page.getByLabel('Kind').selectOption('reference_list_changed');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/kind=reference_list_changed/);
    const rows = page.getByRole('row').filter({ hasText: 'reference list changed' });
    await expect(rows.first()).toContainText('action: retire');
    await expect(rows.nth(1)).toContainText('action: rename');
    await expect(rows.nth(2)).toContainText('action: add');
  });

  test('the audit log filters by actor and date, and holds sign-ins', async ({ page }) => {
    const today = new Date().toISOString().slice(0, 10);
    await page.goto('/admin/audit');
    await page.getByLabel('Actor', { exact: true }).selectOption({ label: 'admin' });
    await page.getByLabel('Kind').selectOption('sign_in');
    await page.getByLabel('From (UTC date)').fill(today);
    await page.getByLabel('To (UTC date, inclusive)').fill(today);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('row').filter({ hasText: 'sign in' }).first()).toContainText('admin');
    await page.getByLabel('From (UTC date)').fill('2001-01-01');
    await page.getByLabel('To (UTC date, inclusive)').fill('2001-01-02');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByText('No events match these filters.')).toBeVisible();
  });
});
