import { test, expect, signIn, signInAs, signInWithCode, createTestAccount, openTestDb } from './fixtures';

test.describe('admin: invitations', () => {
  test('an admin invites a partner; the partner sets a password and signs in; the link fails the second time', async ({ page, browser }) => {
    await signInAs(page, 'admin');
    await page.goto('/admin');
    const codeName = `invitee-${Date.now().toString(36)}`;
    await page.getByLabel('Code name').fill(codeName);
    await page.getByLabel('Role').selectOption('partner');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText(`Account ${codeName} (partner) created.`)).toBeVisible();
    const link = await page.getByLabel(`One-time link for ${codeName}`).inputValue();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole('row', { name: new RegExp(codeName) })).toContainText('link open until');

    // The same code name in another letter case is refused, and no second account appears.
    await page.getByLabel('Code name').fill(codeName.toUpperCase());
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByLabel('Code name')).toHaveAccessibleDescription(/This code name is already taken/);
    const db = openTestDb();
    expect((db.prepare('SELECT count(*) AS n FROM accounts WHERE code_name = ? COLLATE NOCASE').get(codeName) as { n: number }).n).toBe(1);

    const partnerContext = await browser.newContext();
    const partnerPage = await partnerContext.newPage();
    await partnerPage.goto(link);
    await expect(partnerPage.getByRole('heading', { level: 1, name: 'Set your password' })).toBeVisible();

    // Bad passwords: each has a clear message and the link stays usable.
    const attempts: [string, string, RegExp][] = [
      ['x'.repeat(10_000), 'x'.repeat(10_000), /at most 1,024 characters/],
      ['password1234', 'password1234', /too easy to guess/],
      ['short one', 'short one', /at least 12 characters/],
      ['a river at midnight in winter', 'a river at midnight in summer', /not the same/],
    ];
    for (const [password, confirm, message] of attempts) {
      await partnerPage.getByLabel('New password', { exact: true }).fill(password);
      await partnerPage.getByLabel('New password again').fill(confirm);
      await partnerPage.getByRole('button', { name: 'Set password' }).click();
      await expect(partnerPage.locator('.error-summary')).toContainText(message);
      await expect(partnerPage.getByLabel('New password', { exact: true })).toHaveValue('');
    }
    expect((db.prepare('SELECT password_hash AS h FROM accounts WHERE code_name = ?').get(codeName) as { h: string | null }).h).toBeNull();

    const password = 'a river at midnight in winter';
    await partnerPage.getByLabel('New password', { exact: true }).fill(password);
    await partnerPage.getByLabel('New password again').fill(password);
    await partnerPage.getByRole('button', { name: 'Set password' }).click();
    await expect(partnerPage).toHaveURL(/\/sign-in\?passwordSet=1$/);
    await expect(partnerPage.getByText('Your password is set.')).toBeVisible();
    await signIn(partnerPage, codeName, password, /\/partner$/);

    // The link works once.
    await partnerPage.goto(link);
    await expect(partnerPage.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();
    await expect(partnerPage.getByText('This link has already been used.')).toBeVisible();
    await expect(partnerPage.getByLabel('New password', { exact: true })).toHaveCount(0);
    db.close();
    await partnerContext.close();
  });

  test('unknown and expired links get a clear message', async ({ page }) => {
    await page.goto('/invite/not-a-real-token');
    await expect(page.getByText('This link is not valid.')).toBeVisible();
    await page.goto(`/invite/${'A'.repeat(43)}`);
    await expect(page.getByText('This link is not valid.')).toBeVisible();

    const { id } = await createTestAccount('partner', 'expired');
    const { createHash } = await import('node:crypto');
    const token = 'e2e-expired-token-0123456789abcdefghijklmnopq'.slice(0, 43);
    const db = openTestDb();
    db.prepare("INSERT INTO invitations (account_id, token_hash, purpose, expires_at) VALUES (?, ?, 'invite', ?)").run(
      id,
      createHash('sha256').update(token).digest('hex'),
      Date.now() - 1000,
    );
    db.close();
    await page.goto(`/invite/${token}`);
    await expect(page.getByText('This link has expired. Ask an admin for a new one.')).toBeVisible();
  });
});

test.describe('admin: ending access', () => {
  test('an admin deactivates an editor who has a page open: the editor’s next action is refused and they are signed out', async ({ page, browser }) => {
    const editor = await createTestAccount('editor', 'deactivated', { twoFactor: true });
    const editorContext = await browser.newContext();
    const editorPage = await editorContext.newPage();
    await signInWithCode(editorPage, editor, /\/editor$/);
    await expect(editorPage.getByRole('heading', { level: 1, name: 'Moderation queue' })).toBeVisible();

    await signInAs(page, 'admin');
    await page.goto('/admin');
    await page.getByRole('link', { name: editor.codeName }).click();
    await expect(page.getByRole('heading', { level: 1, name: editor.codeName })).toBeVisible();
    await page.getByLabel('I am sure: deactivate this account and end its sessions.').check();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await expect(page.getByText('Account deactivated. Their open sessions have ended.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reactivate' })).toBeVisible();

    // The editor's page is still on screen; their next click is refused.
    await editorPage.getByRole('link', { name: 'Moderation queue' }).click();
    await expect(editorPage).toHaveURL(/\/sign-in/);
    await expect(editorPage.getByText('Your session has ended. Please sign in again.')).toBeVisible();
    await editorPage.reload();
    await expect(editorPage.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expect(editorPage.getByRole('link', { name: 'Sign in' })).toBeVisible();
    // And they cannot sign in again (the same message as a wrong password).
    await signIn(editorPage, editor.codeName, editor.password);
    await expect(editorPage.getByText('Sign-in failed: the code name or password is not right.')).toBeVisible();

    await page.goto('/admin/audit?kind=account_deactivated');
    await expect(page.getByRole('row', { name: new RegExp(editor.codeName) })).toBeVisible();
    await editorContext.close();
  });

  test('a role change and a reset link end sessions; the old password stops working', async ({ page, browser }) => {
    const partner = await createTestAccount('partner', 'reset');
    const partnerContext = await browser.newContext();
    const partnerPage = await partnerContext.newPage();
    await signIn(partnerPage, partner.codeName, partner.password, /\/partner$/);

    await signInAs(page, 'admin');
    await page.goto('/admin');
    await page.getByRole('link', { name: partner.codeName }).click();
    await expect(page.getByRole('heading', { level: 1, name: partner.codeName })).toBeVisible();
    await page.getByRole('button', { name: 'Issue a reset link' }).click();
    const link = await page.getByLabel(`One-time link for ${partner.codeName}`).inputValue();
    expect(link).toMatch(/\/invite\//);

    await partnerPage.reload();
    await expect(partnerPage).toHaveURL(/\/sign-in/);
    await signIn(partnerPage, partner.codeName, partner.password);
    await expect(partnerPage.getByText('Sign-in failed: the code name or password is not right.')).toBeVisible();

    await partnerPage.goto(link);
    const fresh = 'lanterns along the far bank';
    await partnerPage.getByLabel('New password', { exact: true }).fill(fresh);
    await partnerPage.getByLabel('New password again').fill(fresh);
    await partnerPage.getByRole('button', { name: 'Set password' }).click();
    await signIn(partnerPage, partner.codeName, fresh, /\/partner$/);

    // Promote to editor: the partner's session ends; their next sign-in asks them to set up 2FA.
    await page.getByLabel('New role').selectOption('editor');
    await page.getByRole('button', { name: 'Change role' }).click();
    await expect(page.getByText('Role changed. Their open sessions have ended.')).toBeVisible();
    await partnerPage.reload();
    await expect(partnerPage).toHaveURL(/\/sign-in/);
    await signIn(partnerPage, partner.codeName, fresh, /\/sign-in\/enrol$/);
    await partnerContext.close();
  });

  test('partners and editors cannot use account administration', async ({ page }) => {
    await signInAs(page, 'editor');
    expect((await page.goto('/admin/accounts/1'))?.status()).toBe(403);
    expect((await page.goto('/admin/lists'))?.status()).toBe(403);
    expect((await page.goto('/admin/audit'))?.status()).toBe(403);
  });
});

test.describe('invitations without JavaScript', () => {
  test.use({ javaScriptEnabled: false, signedInAs: 'admin' });

  test('the invitation page works as a plain form', async ({ page, browser }) => {
    await page.goto('/admin');
    const codeName = `nojs-${Date.now().toString(36)}`;
    await page.getByLabel('Code name').fill(codeName);
    await page.getByRole('button', { name: 'Create account' }).click();
    const link = await page.getByLabel(`One-time link for ${codeName}`).inputValue();

    const context = await browser.newContext({ javaScriptEnabled: false });
    const partnerPage = await context.newPage();
    await partnerPage.goto(link);
    await partnerPage.getByLabel('New password', { exact: true }).fill('too short');
    await partnerPage.getByLabel('New password again').fill('too short');
    await partnerPage.getByRole('button', { name: 'Set password' }).click();
    await expect(partnerPage.locator('.error-summary')).toContainText('Use at least 12 characters.');
    const password = 'quiet boats under the bridge';
    await partnerPage.getByLabel('New password', { exact: true }).fill(password);
    await partnerPage.getByLabel('New password again').fill(password);
    await partnerPage.getByRole('button', { name: 'Set password' }).click();
    await expect(partnerPage).toHaveURL(/\/sign-in\?passwordSet=1$/);
    await signIn(partnerPage, codeName, password, /\/partner$/);
    await context.close();
  });
});
