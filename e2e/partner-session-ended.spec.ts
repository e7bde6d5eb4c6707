/**
 * Scripts off, session ended mid-form (issue 18 item 1; docs/decisions/0009-posts-kept-across-sign-in.md):
 * the next button press on a partner page is answered with a page that shows everything posted
 * back, never a blank page or a redirect, and the report form's values (or the reply) are kept
 * for the partner's next sign-in, which saves them into the same draft (or sends the reply).
 * A deactivated account sees its text back and nothing is saved.
 */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { seedReports } from './editor-fixtures';
import { createTestAccount, DEMO_PASSWORDS, expect, openTestDb, test, totpCode } from './fixtures';
import { field, reportIdFromUrl, row, uniqueTitle } from './partner-form';

type Account = { id: number; codeName: string; password: string; totpSecret: string | null };

function reportsTitled(title: string): { id: number; status: string; draftValues: string | null }[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, status, draft_values AS draftValues FROM reports WHERE title = ? OR json_extract(draft_values, \'$.title\') = ?').all(title, title) as {
      id: number;
      status: string;
      draftValues: string | null;
    }[];
  } finally {
    db.close();
  }
}

function keptPostsOf(accountId: number | null): number {
  const db = openTestDb();
  try {
    const sql = accountId === null ? 'SELECT count(*) AS n FROM kept_posts WHERE account_id IS NULL' : 'SELECT count(*) AS n FROM kept_posts WHERE account_id = ?';
    return (db.prepare(sql).get(...(accountId === null ? [] : [accountId])) as { n: number }).n;
  } finally {
    db.close();
  }
}

function runSql(sql: string, ...params: unknown[]): void {
  const db = openTestDb();
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** A partner page of its own, scripts off, signed in through the form (with a code when the account has one). */
async function noScriptPartner(browser: Browser, account: Account): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signInOnPage(page, account.codeName, account.password, account.totpSecret);
  await expect(page).toHaveURL(/\/partner$/);
  return { context, page };
}

/** Fills the sign-in form on the page shown (and the code step, when the account has one). */
async function signInOnPage(page: Page, codeName: string, password: string, totpSecret: string | null, stepOffset = 0) {
  await page.getByLabel('Code name').fill(codeName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (totpSecret) {
    await expect(page).toHaveURL(/\/sign-in\/two-factor$/);
    await page.getByLabel('Code', { exact: true }).fill(totpCode(totpSecret, stepOffset));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
}

/** Presses a button whose post meets an ended session: the answer must be the session-ended page, 200. */
async function pressAfterSessionEnded(page: Page, button: string) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  expect(response.status(), 'answered with a page, never a redirect').toBe(200);
  expect(response.headers()['cache-control']).toContain('no-store');
  await expect(page.getByRole('heading', { level: 1, name: 'Your session has ended' })).toBeVisible();
  await expect(page.getByText('nothing you sent has been saved yet')).toBeVisible();
}

/** A read-only box of the session-ended page, by its label, and its text. */
async function expectShownBack(page: Page, label: string, text: string) {
  const box = page.getByLabel(label, { exact: true });
  await expect(box).toHaveValue(text);
  await expect(box).toHaveAttribute('readonly', '');
}

test.describe('scripts off: the session ends mid-form and nothing is lost', () => {
  test.use({ javaScriptEnabled: false });

  test('cookie removed: Add row → the text shown back, kept, and saved into the same draft after signing in', async ({ page, context }) => {
    const account = await createTestAccount('partner', 'ended-cookie');
    await page.goto('/sign-in');
    await signInOnPage(page, account.codeName, account.password, null);
    await expect(page).toHaveURL(/\/partner$/);
    const title = uniqueTitle('Cookie removed');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    const [draft] = reportsTitled(title);
    expect(draft).toBeTruthy();

    // Typed after the last save: lost today when the next press meets no session.
    const narrative = 'Twelve trucks crossed at dawn.\nThe guards waved them through.';
    await field(page, 'What happened').fill(narrative);
    await field(page, 'Safety note to the editors').fill('Do not name the bridge.');
    await context.clearCookies();
    await pressAfterSessionEnded(page, 'Add a vehicle sighting');
    await expect(page.getByText('What you typed is kept for 30 minutes. Sign in again and it is saved into your draft.')).toBeVisible();
    await expectShownBack(page, 'What happened', narrative);
    await expectShownBack(page, 'Title', title);
    await expectShownBack(page, 'Safety note to the editors', 'Do not name the bridge.');
    expect(keptPostsOf(account.id), "bound to its author by the form's owner hint, though the cookie is gone").toBe(1);

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await expect(page.getByText('What you typed before your session ended is kept: sign in and it is saved into your draft.')).toBeVisible();
    await signInOnPage(page, account.codeName, account.password, null);
    await expect(page).toHaveURL(new RegExp(`/partner/reports/${draft!.id}/edit\\?kept=saved$`));
    await expect(page.getByText('What you typed before signing in again has been saved.')).toBeVisible();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page, 'What happened')).toHaveValue(narrative);
    await expect(field(page, 'Safety note to the editors')).toHaveValue('Do not name the bridge.');
    // The same draft, not a second report.
    expect(reportsTitled(title).map((r) => [r.id, r.status])).toEqual([[draft!.id, 'draft']]);
  });

  test('signed out on another device with the same session: Search → kept for this account, saved after signing in', async ({ browser }) => {
    const account = await createTestAccount('partner', 'ended-elsewhere');
    const { context, page } = await noScriptPartner(browser, account);
    const title = uniqueTitle('Signed out elsewhere');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Add a vehicle sighting' }).click();
    await field(row(page, 'Vehicle sighting 1'), 'Cargo').fill('coal and timber');
    await field(page, 'Search the gazetteer').fill('Hyesan');

    // The same session, signed out from another browser: its session id is ended.
    const other = await browser.newContext();
    await other.addCookies(await context.cookies());
    const otherPage = await other.newPage();
    await otherPage.goto('/partner');
    await otherPage.getByRole('button', { name: 'Sign out' }).click();
    await expect(otherPage).toHaveURL(/\/sign-in/);
    await other.close();

    await pressAfterSessionEnded(page, 'Search');
    await expectShownBack(page, 'Vehicle sighting 1: Cargo', 'coal and timber');
    await expectShownBack(page, 'Search the gazetteer', 'Hyesan');
    expect(keptPostsOf(account.id), 'kept for this account only').toBe(1);

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInOnPage(page, account.codeName, account.password, null);
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit\?kept=saved$/);
    await expect(page.getByText('What you typed before signing in again has been saved.')).toBeVisible();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(row(page, 'Vehicle sighting 1'), 'Cargo')).toHaveValue('coal and timber');
    expect(reportsTitled(title).map((r) => r.id)).toEqual([reportIdFromUrl(page.url())]);
    expect(keptPostsOf(account.id), 'claimed once, then deleted').toBe(0);
    await context.close();
  });

  test('password reset by a one-time link, two-step sign-in: Submit → kept through the password and code steps, saved as the draft', async ({ browser }) => {
    const account = await createTestAccount('partner', 'ended-reset', { twoFactor: true });
    const { context, page } = await noScriptPartner(browser, account);
    const title = uniqueTitle('Password reset');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await field(page, 'What happened').fill('Buses in, minerals out.');

    // An admin's reset link, used on another device: the password changes, every session ends.
    const token = crypto.randomBytes(32).toString('base64url');
    runSql("INSERT INTO invitations (account_id, token_hash, purpose, expires_at) VALUES (?, ?, 'reset', ?)", account.id, crypto.createHash('sha256').update(token).digest('hex'), Date.now() + 3600_000);
    const newPassword = `new-password-${crypto.randomBytes(6).toString('hex')}`;
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`/invite/${token}`);
    await otherPage.getByLabel('New password', { exact: true }).fill(newPassword);
    await otherPage.getByLabel('New password again').fill(newPassword);
    await otherPage.getByRole('button', { name: 'Set password' }).click();
    await expect(otherPage).toHaveURL(/passwordSet=1/);
    await other.close();

    await pressAfterSessionEnded(page, 'Submit report');
    await expectShownBack(page, 'What happened', 'Buses in, minerals out.');
    await expect(page.getByText('Sign in again and it is saved into your draft.')).toBeVisible();

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInOnPage(page, account.codeName, newPassword, account.totpSecret, 1);
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit\?kept=saved$/);
    await expect(field(page, 'What happened')).toHaveValue('Buses in, minerals out.');
    // Saved, never submitted behind the partner's back.
    expect(reportsTitled(title).map((r) => r.status)).toEqual(['draft']);
    await context.close();
  });

  test('account deactivated: Save draft → the text shown back, nothing kept, sign-in refused, nothing saved', async ({ browser }) => {
    const account = await createTestAccount('partner', 'ended-deactivated');
    const { context, page } = await noScriptPartner(browser, account);
    const title = uniqueTitle('Deactivated');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await field(page, 'What happened').fill('Seen from the ridge.');
    runSql("UPDATE accounts SET status = 'deactivated', session_version = session_version + 1 WHERE id = ?", account.id);

    await pressAfterSessionEnded(page, 'Save draft');
    await expectShownBack(page, 'What happened', 'Seen from the ridge.');
    await expectShownBack(page, 'Title', title);
    await expect(page.getByText('It is not kept. Copy what you typed below')).toBeVisible();
    expect(keptPostsOf(account.id)).toBe(0);

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInOnPage(page, account.codeName, account.password, null);
    await expect(page.getByText('Sign-in failed')).toBeVisible();
    expect(reportsTitled(title)).toEqual([]);
    await context.close();
  });

  test('a reply on a report page: sent after signing in again; delete-draft never ends on a blank page and deletes nothing', async ({ browser }) => {
    const account = await createTestAccount('partner', 'ended-reply');
    const [reportId] = seedReports([{ partner: account.codeName, title: uniqueTitle('Reply') }]);
    const { context, page } = await noScriptPartner(browser, account);
    await page.goto(`/partner/reports/${reportId}`);
    const reply = `The trucks came back at noon ${crypto.randomBytes(3).toString('hex')}.`;
    await page.getByLabel('Reply to the editors').fill(reply);
    await context.clearCookies();
    await pressAfterSessionEnded(page, 'Send message');
    await expectShownBack(page, 'Reply to the editors', reply);
    await expect(page.getByText('Your reply is kept for 30 minutes. Sign in again and it is sent.')).toBeVisible();

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await expect(page.getByText('The reply you wrote before your session ended is kept')).toBeVisible();
    await signInOnPage(page, account.codeName, account.password, null);
    await expect(page).toHaveURL(new RegExp(`/partner/reports/${reportId}\\?kept=sent$`));
    await expect(page.getByText('The reply you wrote before signing in again has been sent.')).toBeVisible();
    await expect(page.getByText(reply)).toBeVisible();

    // Delete-draft with the session gone: a page that says so; the draft stays.
    const title = uniqueTitle('Not deleted');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    const [draft] = reportsTitled(title);
    await page.goto(`/partner/reports/${draft!.id}/edit`);
    await page.getByLabel('Yes, delete this draft and its photos').check();
    await context.clearCookies();
    await pressAfterSessionEnded(page, 'Delete draft');
    await expect(page.getByText('Sign in again, then send it again.')).toBeVisible();
    expect(reportsTitled(title)).toHaveLength(1);
    await context.close();
  });

  test("another partner signs in on the same phone without discarding: the kept draft of someone else saves nothing and waits for its owner", async ({ browser }) => {
    const owner = await createTestAccount('partner', 'kept-owner');
    const { context, page } = await noScriptPartner(browser, owner);
    const title = uniqueTitle('Owner draft');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    await field(page, 'What happened').fill('Typed after the save.');
    await context.clearCookies();
    await pressAfterSessionEnded(page, 'Save draft');

    const stranger = await createTestAccount('partner', 'kept-stranger');
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signInOnPage(page, stranger.codeName, stranger.password, null);
    // The post is bound to its owner (the form's owner hint): the stranger lands on their home, told nothing.
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByText('What you typed before signing in again')).toHaveCount(0);
    const [draft] = reportsTitled(title);
    expect(JSON.parse(draft!.draftValues!).narrative, "the owner's draft is unchanged").toBe('');
    expect(keptPostsOf(owner.id), 'still kept for its owner').toBe(1);
    await context.close();
  });

  test('the photo forms: an upload after the session ended is a page with the caption shown back, nothing kept or stored', async ({ browser }) => {
    const account = await createTestAccount('partner', 'ended-photos');
    const { context, page } = await noScriptPartner(browser, account);
    const title = uniqueTitle('Photos');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('Draft saved.')).toBeVisible();
    const [draft] = reportsTitled(title);
    await page.goto(`/partner/reports/${draft!.id}/photos`);
    await page.getByLabel('Photo', { exact: true }).setInputFiles({ name: 'river.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a photo') });
    await page.getByLabel('Caption (optional)').fill('Night crossing');
    await context.clearCookies();
    const keptBefore = keptPostsOf(null);
    await pressAfterSessionEnded(page, 'Upload');
    await expectShownBack(page, 'Caption (optional)', 'Night crossing');
    await expect(page.getByText('It is not kept. Copy what you typed below')).toBeVisible();
    expect(keptPostsOf(null), 'a photo form is never kept (its clientId is a photo id, not a report)').toBe(keptBefore);
    const db = openTestDb();
    try {
      expect(db.prepare('SELECT count(*) AS n FROM reports WHERE author_id = ?').get(account.id)).toEqual({ n: 1 });
      expect(db.prepare('SELECT count(*) AS n FROM photos WHERE report_id = ?').get(draft!.id)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    await context.close();
  });

  test("a token that no longer decodes (expired or altered): kept for its author by the form's owner hint; on a shared phone it can be discarded before someone else signs in", async ({ browser }) => {
    const { context, page } = await noScriptPartner(browser, { id: 0, codeName: 'partner-y04', password: DEMO_PASSWORDS['partner-y04'], totpSecret: null });
    const title = uniqueTitle('Expired');
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    // What an expired token or one past its session's end says to the server: nothing it can trust.
    const [session] = (await context.cookies()).filter((c) => c.name.endsWith('fr.session'));
    await context.addCookies([{ ...session!, value: `${session!.value.slice(0, -4)}AAAA` }]);
    await pressAfterSessionEnded(page, 'Save draft');
    await expectShownBack(page, 'Title', title);
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await expect(page.getByText('What you typed before your session ended is kept')).toBeVisible();

    // Someone else picks up the phone: "Not yours? Discard it", then they sign in to nothing of it.
    await page.getByRole('button', { name: 'Not yours? Discard it' }).click();
    await expect(page.getByText('What was kept has been discarded.')).toBeVisible();
    await expect(page.getByText('What you typed before your session ended is kept')).toHaveCount(0);
    const other = await createTestAccount('partner', 'shared-phone');
    await signInOnPage(page, other.codeName, other.password, null);
    await expect(page).toHaveURL(/\/partner$/);
    expect(reportsTitled(title)).toEqual([]);
    await context.close();
  });
});
