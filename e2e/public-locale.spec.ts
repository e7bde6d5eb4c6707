/**
 * Bad input for the interface language: an unknown or hostile locale in the URL, the cookie, the
 * language switch's form or the account falls back to English — a normal 200 page, never an error.
 */
import { DEMO_PASSWORDS, expect, openTestDb, signIn, test } from './fixtures';

const BASE_URL = process.env.E2E_BASE_URL ?? 'http://localhost:3100';
const HOSTILE = ['xx', '../../etc', 'ko/../../etc/passwd', 'KO', '__proto__', 'en-US', '%00', 'ko;en'];

test('an unknown or hostile locale cookie gives English pages', async ({ browser }) => {
  for (const value of HOSTILE) {
    const context = await browser.newContext();
    try {
      await context.addCookies([{ name: 'fr.locale', value: value.includes(';') ? encodeURIComponent(value) : value, url: BASE_URL }]);
      const page = await context.newPage();
      for (const [path, heading] of [
        ['/', 'Field Reports'],
        ['/reports', 'Published reports'],
        ['/stats', 'Statistics'],
        ['/sign-in', 'Sign in'],
      ] as const) {
        const response = await page.goto(path);
        expect(response?.status(), `${value} ${path}`).toBe(200);
        await expect(page.locator('html'), `${value} ${path}`).toHaveAttribute('lang', 'en');
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      }
    } finally {
      await context.close();
    }
  }
});

test('a known locale cookie still works on the pages that read it; the public pages take ?lang=ko', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    await context.addCookies([{ name: 'fr.locale', value: 'ko', url: BASE_URL }]);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1, name: '로그인' })).toBeVisible();
    // The public pages are the same for every reader (cacheable): the language is in the URL.
    await page.goto('/reports?lang=ko');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1, name: '게시된 보고' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('an unknown ?lang on the feed or the public pages gives English; ?lang on other pages is ignored', async ({ request }) => {
  const korean = await request.get('/feed.xml?lang=ko');
  expect(korean.status()).toBe(200);
  expect(await korean.text()).toContain('현장 보고: 게시된 보고');
  for (const query of ['lang=xx', 'lang=', 'lang=..%2F..%2Fetc', 'lang=KO', 'lang=ko%00', 'lang=xx&lang=ko']) {
    const response = await request.get(`/feed.xml?${query}`);
    expect(response.status(), query).toBe(200);
    expect(response.headers()['content-type'], query).toContain('application/atom+xml');
    const xml = await response.text();
    expect(xml, query).toContain('Field Reports: published reports');
    expect(xml, query).not.toContain('현장 보고');
  }
  for (const path of ['/?lang=xx', '/reports?lang=xx', '/reports?lang=ko&lang=ko', '/reports?lang=KO', '/reports?locale=..%2F..%2Fetc', '/stats?locale=xx', '/sign-in?lang=ko']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(await response.text(), path).toMatch(/<html lang="en"/);
  }
});

test('a tampered language switch (an unknown value posted) falls back to English', async ({ page, context }) => {
  // The header's switch is a form on the pages that read the cookie (the public pages have links).
  await page.goto('/sign-in');
  const select = page.getByRole('banner').getByLabel('Language');
  // What a hand-made form post would send: an option the page never offered.
  await select.locator('option[value="ko"]').evaluate((option) => {
    (option as HTMLOptionElement).value = '../../etc';
  });
  await select.selectOption('../../etc');
  await page.getByRole('banner').getByRole('button', { name: 'Change language' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  // The page was already English on /sign-in: wait for the switch's answer (its cookie), not the URL.
  await expect.poll(async () => (await context.cookies()).find((c) => c.name === 'fr.locale')?.value).toBe('en');
});

test('an account whose stored language is unknown gets English pages', async ({ page }) => {
  const db = openTestDb();
  try {
    db.prepare("UPDATE accounts SET locale = 'xx' WHERE code_name = 'partner-y04'").run();
  } finally {
    db.close();
  }
  try {
    await signIn(page, 'partner-y04', DEMO_PASSWORDS['partner-y04'], /\/partner$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
    const response = await page.goto('/partner/reports/new');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'New report' })).toBeVisible();
  } finally {
    const reset = openTestDb();
    reset.prepare("UPDATE accounts SET locale = 'en' WHERE code_name = 'partner-y04'").run();
    reset.close();
  }
});
