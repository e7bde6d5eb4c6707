/**
 * Issue 18, items 7–9: the partner's phone. The service worker keeps the report list and a new
 * report for offline use (encrypted, per account); "Wipe this device", the quick exit and
 * sign-out leave nothing behind — read back in the browser: indexedDB.databases(), caches.keys(),
 * localStorage and the service worker registrations; a second partner on the same phone finds
 * nothing of the first; a browser without service workers and IndexedDB files a report as before.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { DEMO_PASSWORDS, expect, openTestDb, signInAs, test } from './fixtures';
import { storedRecords, waitUntilKeptForOffline } from './device-records';
import { demoReport, fillReportParts, uniqueTitle } from './partner-form';

type DeviceTraces = { databases: string[]; caches: string[]; localStorage: number; sessionStorage: number; registrations: string[] };

/** Everything this site keeps in the page's browser context, read back from the page. */
async function deviceTraces(page: Page): Promise<DeviceTraces> {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((db) => db.name ?? ''),
    caches: await caches.keys(),
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    registrations: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
  }));
}

const NOTHING: DeviceTraces = { databases: [], caches: [], localStorage: 0, sessionStorage: 0, registrations: [] };

function accountIdOf(codeName: string): number {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT id FROM accounts WHERE code_name = ?').get(codeName) as { id: number }).id;
  } finally {
    db.close();
  }
}

/**
 * Opens the partner pages until they are kept for offline use, fills a new report, goes offline
 * and presses Submit: the report waits in the outbox (the connection stays off).
 */
async function submitWithNoConnection(page: Page, context: BrowserContext, report: ReturnType<typeof demoReport>, titlePrefix: string): Promise<void> {
  await page.goto('/partner');
  await waitUntilKeptForOffline(page);
  await page.goto('/partner/reports/new');
  await fillReportParts(page, report, { title: uniqueTitle(titlePrefix) });
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Submit report' }).click();
  await expect(page.getByText(/^Saved on this phone; it will be sent when the connection returns\./)).toBeVisible();
}

test.describe('the partner pages offline', () => {
  test.use({ signedInAs: 'partner-k17' });

  test('the report list and a new report open with no connection, kept encrypted; each new report gets its own client id', async ({ page, context }) => {
    await page.goto('/partner');
    await waitUntilKeptForOffline(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/partner'))?.scope);
    expect(scope).toMatch(/\/partner$/);
    // Pages are never in Cache Storage (only the build's public files are), and the device store
    // holds them encrypted under this account.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.every((path) => path.startsWith('/_next/static/'))).toBe(true);
    const records = await storedRecords(page);
    expect(records.every((r) => r.accountId === accountIdOf('partner-k17') && r.isEncrypted)).toBe(true);

    await context.setOffline(true);
    const clientIds: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const response = await page.goto('/partner/reports/new');
      expect(response?.headers()['x-fr-kept-page']).toBe('1');
      await expect(page.getByRole('heading', { level: 1, name: 'New report' })).toBeVisible();
      await expect(page.getByLabel('Title')).toBeEditable();
      clientIds.push(await page.locator('input[name="clientId"]').inputValue());
    }
    expect(new Set(clientIds).size).toBe(2);

    const list = await page.goto('/partner');
    expect(list?.headers()['x-fr-kept-page']).toBe('1');
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
    // Any other partner page sends the partner to the list as last seen.
    await page.goto('/partner/reports/999999/edit');
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
    await context.setOffline(false);
  });

  test('"Wipe this device" leaves nothing in storage, caches or the service worker; the partner stays signed in', async ({ page, context }) => {
    // Something of every kind first, with no connection: a report waiting in the outbox, and a
    // form's copy of another one.
    await submitWithNoConnection(page, context, demoReport(2), 'Waiting on the phone');
    await page.goto('/partner/reports/new');
    await page.getByLabel('Title').fill('Kept on the phone for a moment');
    await expect.poll(async () => [...new Set((await storedRecords(page)).map((r) => r.kind))].sort()).toEqual(['draft', 'outbox', 'page']);
    await page.goto('/partner');
    await expect(page.getByRole('heading', { level: 2, name: 'Waiting to be sent' })).toBeVisible();

    // Work that exists only on this phone: wiping asks first, and "Cancel" keeps it.
    const asked: string[] = [];
    let answer: 'dismiss' | 'accept' = 'dismiss';
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog[answer]();
    });
    await page.getByRole('button', { name: 'Wipe this device' }).click();
    await expect.poll(() => asked).toEqual(['Reports or photos waiting to be sent, or changes not yet saved, are kept only on this phone and will be lost. Wipe this device?']);
    await expect(page.getByRole('button', { name: 'Wipe this device' })).toBeEnabled();
    expect([...new Set((await storedRecords(page)).map((r) => r.kind))].sort()).toEqual(['draft', 'outbox', 'page']);
    answer = 'accept';
    await page.getByRole('button', { name: 'Wipe this device' }).click();
    await expect(page.getByText('Nothing of your work is kept on this device now.')).toBeVisible();
    expect(asked).toHaveLength(2);
    expect(await deviceTraces(page)).toEqual(NOTHING);
    // Nothing comes back once the page is left (a public page registers nothing).
    await context.setOffline(false);
    await page.goto('/');
    expect(await deviceTraces(page)).toEqual(NOTHING);
    await page.goto('/partner');
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
  });

  test('the quick exit: one tap wipes the device, ends the session and lands on a page that says nothing of the site', async ({ page }) => {
    await page.goto('/partner');
    await waitUntilKeptForOffline(page);
    await page.goto('/partner/reports/new');
    await page.getByLabel('Title').fill('Typed at the checkpoint');

    await page.getByRole('button', { name: 'Quick exit' }).click();
    await expect(page).toHaveURL(/\/welcome$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
    await expect(page.locator('body')).not.toContainText(/Field Reports|report|partner/i);
    expect(await page.title()).toBe('Welcome');
    expect(await deviceTraces(page)).toEqual(NOTHING);

    await page.goto('/partner');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('with a report waiting to be sent, signing out asks first (Cancel keeps it, signed in); the quick exit never asks', async ({ page, context }) => {
    await submitWithNoConnection(page, context, demoReport(3), 'Not sent before sign-out');
    // Back in coverage, but the server is out of reach: the report keeps waiting on the phone.
    await page.route(
      (url) => url.pathname.startsWith('/partner'),
      (route) => (route.request().headers()['next-action'] ? route.abort('internetdisconnected') : route.fallback()),
    );
    await context.setOffline(false);
    await page.goto('/partner');
    await expect(page.getByRole('region', { name: 'Waiting to be sent' }).getByRole('listitem')).toContainText('Waiting for the connection');

    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => asked).toEqual(['Reports or photos waiting to be sent, or changes not yet saved, are kept only on this phone: signing out deletes them. Sign out anyway?']);
    await expect(page).toHaveURL(/\/partner$/);
    await expect.poll(async () => (await storedRecords(page)).filter((r) => r.kind === 'outbox')).toHaveLength(1);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();

    // The quick exit wipes at once, work and all: no question asked.
    await page.getByRole('button', { name: 'Quick exit' }).click();
    await expect(page).toHaveURL(/\/welcome$/);
    expect(asked).toHaveLength(1);
    expect(await deviceTraces(page)).toEqual(NOTHING);
  });

  test('signing out leaves nothing on the device', async ({ page }) => {
    await page.goto('/partner');
    await waitUntilKeptForOffline(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1$/);
    expect(await deviceTraces(page)).toEqual(NOTHING);
  });
});

test('the quick exit works with scripts off too', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, 'partner-y04');
  const landed = page.waitForResponse((response) => new URL(response.url()).pathname === '/welcome');
  await page.getByRole('button', { name: 'Quick exit' }).click();
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
  // The neutral page is served with its own policy: no script of any kind, not even with a nonce.
  const csp = (await landed).headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('script-src');
  await page.goto('/partner');
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test('a second partner on the same phone finds nothing of the first, even when the first never signed out', async ({ page, context }) => {
  await signInAs(page, 'partner-k17');
  await waitUntilKeptForOffline(page);
  // The first partner's session simply ends (cookie gone); the next one signs in on the same phone.
  await context.clearCookies();
  await signInAs(page, 'partner-y04');
  const second = accountIdOf('partner-y04');
  await expect
    .poll(async () => [...new Set((await storedRecords(page)).map((r) => r.accountId))], { timeout: 20_000 })
    .toEqual([second]);
  const keys = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const open = indexedDB.open('fr-device');
        open.onsuccess = () => {
          const all = open.result.transaction('keys').objectStore('keys').getAllKeys();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result as number[]);
          };
        };
      }),
  );
  expect(keys).toEqual([second]);
});

test('a browser without service workers or IndexedDB files a report with no errors', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => {
    // Tor Browser at its safest level: no IndexedDB at all.
    delete (window as { indexedDB?: IDBFactory }).indexedDB;
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/sign-in');
  await page.getByLabel('Code name').fill('partner-k17');
  await page.getByLabel('Password').fill(DEMO_PASSWORDS['partner-k17']);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/partner$/);
  expect(await page.evaluate(() => typeof window.indexedDB)).toBe('undefined');

  const title = uniqueTitle('Without a service worker');
  await page.goto('/partner/reports/new');
  await fillReportParts(page, demoReport(2), { title });
  await page.getByRole('button', { name: 'Submit report' }).click();
  await expect(page.getByText('Your report was submitted.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});
