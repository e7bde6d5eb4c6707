/**
 * Security review of issue 18's new surfaces (posts kept across sign-in, the partner's service
 * worker). Each test is a finding: it describes what must hold and fails while the finding is open.
 * - A post kept for "whoever signs in next" must not become another partner's draft: it is bound
 *   to its author by the form's owner hint, and one with no owner named is saved only on "Yes".
 * - An anonymous client must not be able to use up the unbound kept posts for everyone.
 */
import type { Page } from '@playwright/test';
import { createTestAccount, expect, openTestDb, test } from './fixtures';
import { field, uniqueTitle } from './partner-form';

function runSql(sql: string, ...params: unknown[]): void {
  const db = openTestDb();
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

function reportsOf(accountId: number): { title: string | null; draftTitle: string | null }[] {
  const db = openTestDb();
  try {
    return db
      .prepare("SELECT title, json_extract(draft_values, '$.title') AS draftTitle FROM reports WHERE author_id = ?")
      .all(accountId) as { title: string | null; draftTitle: string | null }[];
  } finally {
    db.close();
  }
}

async function signInOnPage(page: Page, codeName: string, password: string) {
  await page.getByLabel('Code name').fill(codeName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('issue 18 security review', () => {
  test('a new report kept after the session expired is not saved into the next partner who signs in on the phone', async ({ browser }) => {
    const owner = await createTestAccount('partner', 'kept-owner18');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await signInOnPage(page, owner.codeName, owner.password);
    await expect(page).toHaveURL(/\/partner$/);
    const title = uniqueTitle('Owner never saved');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await field(page, 'What happened').fill('Only the owner may ever hold this text.');
    // The session's lifetime ends while the owner types: the browser drops the expired cookie.
    await context.clearCookies();
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/partner/reports/new'));
    await page.getByRole('button', { name: 'Save draft', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your session has ended' })).toBeVisible();
    // The session-ended page keeps its own policy (no script at all), not the app's.
    const csp = (await answer).headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');

    // The owner hands the phone over; another partner signs in on it.
    const stranger = await createTestAccount('partner', 'kept-stranger18');
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInOnPage(page, stranger.codeName, stranger.password);
    await expect(page).toHaveURL(/\/partner/);
    const strangers = reportsOf(stranger.id);
    expect(
      strangers.filter((r) => r.title === title || r.draftTitle === title),
      "the owner's text is never saved into another partner's account",
    ).toEqual([]);
    await context.close();
  });

  test('a post kept with no owner named (a page without the owner hint) is saved only when the partner who signs in says it is theirs', async ({ browser }) => {
    const partner = await createTestAccount('partner', 'kept-unbound18');
    const other = await createTestAccount('partner', 'kept-unbound-other18');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // The report form posted with scripts off and no session, without an owner hint (a page
    // rendered before the hint existed): the browser's own cookie jar receives the kept-post cookie.
    const post = async (title: string) => {
      const response = await context.request.post('/partner/reports/new', {
        headers: { 'sec-fetch-site': 'same-origin' },
        form: { clientId: crypto.randomUUID(), title, narrative: 'Typed with no one signed in.' },
      });
      expect(await response.text()).toContain('What you typed is kept for 30 minutes.');
    };

    const refusedTitle = uniqueTitle('Not mine');
    await post(refusedTitle);
    await page.goto('/sign-in');
    await signInOnPage(page, other.codeName, other.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Is this yours?' })).toBeVisible();
    await page.getByRole('button', { name: 'No: discard it' }).click();
    await expect(page).toHaveURL(/\/partner$/);
    expect(reportsOf(other.id).filter((r) => r.draftTitle === refusedTitle)).toEqual([]);
    await context.clearCookies();

    const title = uniqueTitle('Mine after all');
    await post(title);
    await page.goto('/sign-in');
    await signInOnPage(page, partner.codeName, partner.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Is this yours?' })).toBeVisible();
    await page.getByRole('button', { name: 'Yes, it is mine: save it' }).click();
    await expect(page.getByText('What you typed before signing in again has been saved.')).toBeVisible();
    expect(reportsOf(partner.id).map((r) => r.draftTitle)).toEqual([title]);
    await context.close();
  });

  test('anonymous posts cannot use up what is kept for partners whose session ended', async ({ browser, request }) => {
    try {
      // An anonymous client (no browser needed) posts the report form's field names to a partner page.
      for (let i = 0; i < 100; i += 1) {
        const response = await request.post('/partner', {
          headers: { 'sec-fetch-site': 'same-origin', 'x-forwarded-for': '203.0.113.66' },
          form: { clientId: crypto.randomUUID(), title: 'x' },
        });
        expect(response.status()).toBe(200);
      }

      // A real partner's session expires mid-report, on their own phone.
      const partner = await createTestAccount('partner', 'kept-flooded18');
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto('/sign-in');
      await signInOnPage(page, partner.codeName, partner.password);
      await expect(page).toHaveURL(/\/partner$/);
      await page.goto('/partner/reports/new');
      await field(page, 'Title').fill(uniqueTitle('Flooded'));
      await context.clearCookies();
      await page.getByRole('button', { name: 'Save draft', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Your session has ended' })).toBeVisible();
      await expect(page.getByText('What you typed is kept for 30 minutes.'), "an anonymous client's posts do not push out the partner's").toBeVisible();
      await context.close();
    } finally {
      runSql('DELETE FROM kept_posts WHERE account_id IS NULL');
    }
  });
});
