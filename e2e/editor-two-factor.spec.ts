import { test, expect, signIn, signInAs, signInWithCode, createTestAccount, totpCode } from './fixtures';

test.describe('editor two-step sign-in', () => {
  test('an editor without 2FA must enrol at sign-in, then signs in with a code; a reused code is refused', async ({ page, browser }) => {
    const editor = await createTestAccount('editor', 'enrol');
    await signIn(page, editor.codeName, editor.password, /\/sign-in\/enrol$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Set up two-step sign-in' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'QR code to add this account to an authenticator app' })).toBeVisible();
    const secret = (await page.getByLabel('Cannot scan? Type this key into the app instead').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // Not signed in yet: the editor area still sends them to sign-in.
    const other = await page.context().newPage();
    await other.goto('/editor');
    await expect(other).toHaveURL(/\/sign-in/);
    await other.close();

    // A wrong code: a clear message, nothing enabled.
    const right = totpCode(secret);
    await page.getByLabel('Code from the app').fill(String((Number(right) + 500_000) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByText('That code is wrong or has already been used.')).toBeVisible();

    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery codes' })).toBeVisible();
    const recoveryCodes = await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('link', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/editor$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Moderation queue' })).toBeVisible();

    // Next sign-in: password, then a code (the next step's code, since this step's was used).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, editor.codeName, editor.password, /\/sign-in\/two-factor$/);
    const code = totpCode(secret, 1);
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/editor$/);

    // The same code again is refused, in another browser too.
    const second = await browser.newContext();
    const secondPage = await second.newPage();
    await signIn(secondPage, editor.codeName, editor.password, /\/sign-in\/two-factor$/);
    await secondPage.getByLabel('Code', { exact: true }).fill(code);
    await secondPage.getByRole('button', { name: 'Continue' }).click();
    await expect(secondPage.getByText('That code is wrong or has already been used.')).toBeVisible();
    await expect(secondPage).toHaveURL(/\/sign-in\/two-factor$/);
    await secondPage.goto('/editor');
    await expect(secondPage).toHaveURL(/\/sign-in/);

    // A recovery code works once.
    await signIn(secondPage, editor.codeName, editor.password, /\/sign-in\/two-factor$/);
    await secondPage.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
    await secondPage.getByRole('button', { name: 'Continue' }).click();
    await expect(secondPage).toHaveURL(/\/editor$/);
    await second.close();
  });

  test('after an admin resets an editor’s 2FA, the editor must enrol again', async ({ page, browser }) => {
    const editor = await createTestAccount('editor', 'lostphone', { twoFactor: true });
    await signInAs(page, 'admin');
    await page.goto('/admin');
    await page.getByRole('link', { name: editor.codeName }).click();
    await expect(page.getByRole('heading', { level: 1, name: editor.codeName })).toBeVisible();
    await page.getByRole('button', { name: 'Reset two-step sign-in' }).click();
    await expect(page.getByText('Two-step sign-in removed')).toBeVisible();

    const context = await browser.newContext();
    const editorPage = await context.newPage();
    await signIn(editorPage, editor.codeName, editor.password, /\/sign-in\/enrol$/);
    await context.close();
  });

  test('the code step cannot be skipped and expires with its cookie', async ({ page }) => {
    const editor = await createTestAccount('editor', 'skipper', { twoFactor: true });
    await signIn(page, editor.codeName, editor.password, /\/sign-in\/two-factor$/);
    await page.goto('/editor');
    await expect(page).toHaveURL(/\/sign-in/);
    await page.context().clearCookies();
    await page.goto('/sign-in/two-factor');
    await expect(page.getByText('This sign-in step has expired. Please sign in again.')).toBeVisible();
  });
});

test.describe('two-step sign-in without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an editor enrols, sees the recovery codes and signs in with a code, all as plain forms', async ({ page }) => {
    const editor = await createTestAccount('editor', 'nojs');
    await signIn(page, editor.codeName, editor.password, /\/sign-in\/enrol$/);
    const secret = (await page.getByLabel('Cannot scan? Type this key into the app instead').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Code from the app').fill('000000' === totpCode(secret) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByText('That code is wrong or has already been used.')).toBeVisible();
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem')).toHaveCount(10);
    await page.getByRole('link', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/editor$/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, editor.codeName, editor.password, /\/sign-in\/two-factor$/);
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/editor$/);
  });
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(`new recovery codes${javaScriptEnabled ? '' : ' without JavaScript'}`, () => {
    test.use({ javaScriptEnabled });

    test('an editor replaces the recovery codes with a code from the app; the new ones sign in', async ({ page }) => {
      const editor = await createTestAccount('editor', javaScriptEnabled ? 'codes' : 'codes-nojs', { twoFactor: true });
      await signInWithCode(page, editor, /\/editor$/);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Two-step sign-in' }).click();
      await expect(page).toHaveURL(/\/account\/security$/);
      await expect(page.getByText('You have 0 unused recovery codes.')).toBeVisible();

      // A recovery-code-shaped entry is refused: only the app proves it here.
      await page.getByLabel('Code from the app').fill('abcde-fghjk');
      await page.getByRole('button', { name: 'Make new recovery codes' }).click();
      await expect(page.getByText('That code is not right or was already used.')).toBeVisible();

      await page.getByLabel('Code from the app').fill(totpCode(editor.totpSecret!, 1));
      await page.getByRole('button', { name: 'Make new recovery codes' }).click();
      await expect(page.getByText('Your old recovery codes no longer work. These ten replace them:')).toBeVisible();
      const codes = await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').allInnerTexts();
      expect(codes).toHaveLength(10);
      await page.goto('/account/security');
      await expect(page.getByText('You have 10 unused recovery codes.')).toBeVisible();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, editor.codeName, editor.password, /\/sign-in\/two-factor$/);
      await page.getByLabel('Code', { exact: true }).fill(codes[4]!);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/editor$/);
    });
  });
}
