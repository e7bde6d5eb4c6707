/**
 * A shared phone: partner A's tab is still open when partner B signs in on the same browser
 * (security review of issue 18, HIGH). Every call A's page makes then carries B's session cookie;
 * it also carries A's owner hint, and the server saves nothing under B (lib/auth/tab-owner.ts):
 * A's work stays on the phone, for A, and is sent once A is the one signed in again
 * (docs/security/device-copies.md "A page of another account").
 */
import type { Page } from '@playwright/test';
import { createTestAccount, expect, openTestDb, test } from './fixtures';
import { storedRecords } from './device-records';
import { demoReport, field, fillReportParts, uniqueTitle } from './partner-form';

type Partner = Awaited<ReturnType<typeof createTestAccount>>;

/** Every report of `accountId` with `title` as its title or its draft's title: status per row. */
function reportsTitled(accountId: number, title: string): string[] {
  const db = openTestDb();
  try {
    return (
      db
        .prepare("SELECT status FROM reports WHERE author_id = ? AND (title = ? OR json_extract(draft_values, '$.title') = ?) ORDER BY id")
        .all(accountId, title, title) as { status: string }[]
    ).map((r) => r.status);
  } finally {
    db.close();
  }
}

async function signInOn(page: Page, partner: Partner, landing: RegExp = /\/partner$/): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Code name').fill(partner.codeName);
  await page.getByLabel('Password').fill(partner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

test('a tab of partner A left open when partner B signs in saves, queues and sends nothing into B; A sends it once signed in again', async ({ browser }) => {
  const a = await createTestAccount('partner', 'shared-a');
  const b = await createTestAccount('partner', 'shared-b');
  const context = await browser.newContext();
  const pageA = await context.newPage();
  await signInOn(pageA, a);
  const title = uniqueTitle('Written by A');
  await pageA.goto('/partner/reports/new');
  await fillReportParts(pageA, demoReport(2), { title });
  await expect(pageA.getByText(/^Draft saved at /).first()).toBeVisible();
  expect(reportsTitled(a.id, title)).toEqual(['draft']);

  // A's session ends (its cookie gone: it ran out, or A was signed out elsewhere) and B signs in in
  // another tab of the same browser: the cookie A's tab sends is B's now.
  await context.clearCookies({ name: 'fr.session' });
  const pageB = await context.newPage();
  await signInOn(pageB, b);

  // A's tab goes on: a change is autosaved — refused, the text kept on the phone.
  await field(pageA, 'What happened').fill('Typed after B signed in: must never reach B.');
  await expect(pageA.getByText('This page was opened by another account than the one now signed in on this browser. Nothing was saved; what you typed is kept on this device.', { exact: false }).first()).toBeVisible();
  // Submitted with no connection: queued; the connection returns and the outbox runs under B's cookie.
  await context.setOffline(true);
  await pageA.getByRole('button', { name: 'Submit report' }).click();
  await expect(pageA.getByText(/^Saved on this phone; it will be sent when the connection returns\./)).toBeVisible();
  await context.setOffline(false);
  await expect(pageA.getByText(/^Saved on this phone\. This browser is now signed in as someone else: sign in as the account that wrote this report/)).toBeVisible();

  // Nothing of A's in B's account or B's list; A's report is still A's draft, not submitted.
  expect(reportsTitled(b.id, title)).toEqual([]);
  expect(reportsTitled(a.id, title)).toEqual(['draft']);
  await pageB.reload();
  await expect(pageB.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
  await expect(pageB.getByText(title)).toHaveCount(0);
  await expect(pageB.getByRole('heading', { level: 2, name: 'Waiting to be sent' })).toHaveCount(0);
  // A's queued report is still on the phone, under A (B's pages opened the store and kept it).
  expect((await storedRecords(pageB)).filter((r) => r.kind === 'outbox').map((r) => r.accountId)).toEqual([a.id]);

  // B's session ends on this phone; A signs in again: A's pages send it, into A's account only.
  await context.clearCookies({ name: 'fr.session' });
  await signInOn(pageB, a);
  await expect.poll(() => reportsTitled(a.id, title), { timeout: 20_000 }).toEqual(['submitted']);
  expect(reportsTitled(b.id, title)).toEqual([]);
  await context.close();
});

test("scripts off: Save draft from A's page after B signed in is kept for A on the sign-in page, never saved into B", async ({ browser }) => {
  const a = await createTestAccount('partner', 'shared-nojs-a');
  const b = await createTestAccount('partner', 'shared-nojs-b');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const pageA = await context.newPage();
  await signInOn(pageA, a);
  const title = uniqueTitle('No script, by A');
  await pageA.goto('/partner/reports/new');
  await field(pageA, 'Title').fill(title);
  await field(pageA, 'What happened').fill('Typed by A with scripts off.');

  // A's session ends and B signs in in another tab: A's page is still open.
  await context.clearCookies({ name: 'fr.session' });
  const pageB = await context.newPage();
  await signInOn(pageB, b);

  await pageA.getByRole('button', { name: 'Save draft', exact: true }).click();
  await expect(pageA.getByRole('heading', { level: 1, name: 'Your session has ended' })).toBeVisible();
  await expect(pageA.getByText('This browser is now signed in as another account than the one that wrote this')).toBeVisible();
  await expect(pageA.getByText('What you typed is kept for 30 minutes.')).toBeVisible();
  await expect(pageA.getByRole('textbox', { name: 'Title', exact: true })).toHaveValue(title);
  expect(reportsTitled(b.id, title)).toEqual([]);
  expect(reportsTitled(a.id, title)).toEqual([]);
  // B is still signed in, and B's account is unchanged.
  await pageB.goto('/partner');
  await expect(pageB.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
  expect(reportsTitled(b.id, title)).toEqual([]);

  // The way on from A's page: sign B out there (not "Sign in again", which would lead to B's pages),
  // then A signs in and the text is saved into A's draft.
  await expect(pageA.getByRole('link', { name: 'Sign in again' })).toHaveCount(0);
  await expect(pageA.getByRole('button', { name: 'Quick exit' })).toBeVisible();
  await pageA.getByRole('button', { name: 'Sign out the account signed in now' }).click();
  await expect(pageA).toHaveURL(/\/sign-in\?signedOut=1/);
  await pageB.goto('/partner');
  await expect(pageB).toHaveURL(/\/sign-in/);
  await signInOn(pageA, a, /\/partner\/reports\/\d+\/edit/);
  await expect(pageA.getByText('What you typed before signing in again has been saved.')).toBeVisible();
  expect(reportsTitled(a.id, title)).toEqual(['draft']);
  expect(reportsTitled(b.id, title)).toEqual([]);
  await context.close();
});
