/**
 * Security review of issue 18 (finding: the partner's pages open offline after the session ended).
 * An ended session must not leave the partner's pages readable on the phone with no connection (a
 * phone taken at a checkpoint: flight mode, open the app), and the service worker must not outlive
 * the session (docs/security/device-copies.md "When the session ends").
 */
import type { Page } from '@playwright/test';
import { storedRecords } from './device-records';
import { DEMO_PASSWORDS, expect, test } from './fixtures';

async function signInOnPage(page: Page, codeName: string, password: string) {
  await page.getByLabel('Code name').fill(codeName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in as partner-k17 and waits until the worker is active and has kept the list. */
async function signInAndKeep(page: Page): Promise<string> {
  await page.goto('/sign-in');
  await signInOnPage(page, 'partner-k17', DEMO_PASSWORDS['partner-k17']);
  await expect(page).toHaveURL(/\/partner$/);
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/partner'))?.active?.state ?? null), { timeout: 20_000 })
    .toBe('activated');
  const reportTitle = (await page.getByRole('table').getByRole('row').nth(1).getByRole('cell').first().innerText()).trim();
  expect(reportTitle.length).toBeGreaterThan(0);
  // Wait until the worker has kept the list (it is fetched on registration).
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).some((db) => db.name === 'fr-device')), { timeout: 20_000 }).toBe(true);
  await page.reload();
  await page.waitForLoadState('networkidle');
  return reportTitle;
}

test.describe('the partner device after the session ended', () => {
  test('a session that ended without sign-out leaves nothing of the partner readable offline', async ({ page, context }) => {
    const reportTitle = await signInAndKeep(page);

    // The session ends without a sign-out on this phone (the cookie expires after its lifetime,
    // or it was ended elsewhere): the browser no longer holds a session.
    await context.clearCookies();
    // Someone else holds the phone, with no connection (flight mode), and opens the app.
    await context.setOffline(true);
    const other = await context.newPage();
    await other.goto('/partner').catch(() => undefined);
    await expect(other.getByText('Signed in as partner-k17'), 'the code name is not shown without a session').toHaveCount(0);
    await expect(other.getByText(reportTitle), "the partner's report titles are not shown without a session").toHaveCount(0);
    await context.setOffline(false);
  });

  test('online, a partner page sent to sign-in removes the kept pages and caches, and the worker unregisters itself', async ({ page, context }) => {
    await signInAndKeep(page);

    // The session ended elsewhere (or lapsed); the phone is online and the partner page is opened.
    await context.clearCookies();
    await page.goto('/partner');
    await expect(page).toHaveURL(/\/sign-in/);
    await expect
      .poll(
        async () => ({
          ...(await page.evaluate(async () => ({
            registrations: (await navigator.serviceWorker.getRegistrations()).length,
            caches: await caches.keys(),
          }))),
          keptPages: (await storedRecords(page)).filter((r) => r.kind === 'page').map((r) => r.id),
        }),
        { timeout: 20_000 },
      )
      .toEqual({ registrations: 0, caches: [], keptPages: [] });
  });
});
