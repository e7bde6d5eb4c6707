import { test, expect, signIn, createTestAccount, totpCode } from './fixtures';

test.describe('partner two-step sign-in (optional)', () => {
  test('a partner turns two-step sign-in on from their settings, signs in with a code, and turns it off', async ({ page }) => {
    const partner = await createTestAccount('partner', 'careful');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/account/security');
    await expect(page.getByText('Two-step sign-in is off.')).toBeVisible();
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    const secret = (await page.getByLabel('Cannot scan? Type this key into the app instead').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem')).toHaveCount(10);
    const recoveryCodes = await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').allInnerTexts();
    // The session continues at the new session version.
    await page.goto('/partner');
    await expect(page).toHaveURL(/\/partner$/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    // Sign-out wipes the phone first (app/(partner)/partner/_device/wipe.ts), then leaves the page.
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1/);
    await signIn(page, partner.codeName, partner.password, /\/sign-in\/two-factor$/);
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/partner$/);

    await page.goto('/account/security');
    await expect(page.getByText('Two-step sign-in is on. You have 10 unused recovery codes.')).toBeVisible();
    await page.getByLabel('Code', { exact: true }).fill('000000' === totpCode(secret, 1) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn off' }).click();
    await expect(page.getByText('That code is wrong or has already been used.')).toBeVisible();
    // The app's codes up to the next step are used up by now: a recovery code proves it is them.
    await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await expect(page.getByText('Two-step sign-in is now off.')).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1/);
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
  });
});

test.describe('partner two-step sign-in without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the settings page sets it up with plain forms', async ({ page }) => {
    const partner = await createTestAccount('partner', 'plainforms');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/account/security');
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    const secret = (await page.getByLabel('Cannot scan? Type this key into the app instead').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem')).toHaveCount(10);
    await expect(page.getByText('Two-step sign-in is on.')).toBeVisible();
  });
});
