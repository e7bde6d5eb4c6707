import { expect, openTestDb, test } from './fixtures';

/**
 * The editors' e-mail digest settings (issue 19 item 13), with scripts off: an editor turns it on
 * and off on their account page; a partner can never reach it. What the mail says is shown by
 * lib/notifications/digest.test.ts against a loopback SMTP server.
 */

function storedAddressOf(codeName: string): string | null {
  const db = openTestDb();
  try {
    const row = db.prepare('SELECT n.address FROM notification_settings n JOIN accounts a ON a.id = n.account_id WHERE a.code_name = ?').get(codeName) as { address: string } | undefined;
    return row?.address ?? null;
  } finally {
    db.close();
  }
}

test.describe('e-mail notifications', () => {
  test.use({ signedInAs: 'editor', javaScriptEnabled: false });

  test('an editor turns the digest on with an interval, then off, which deletes the address', async ({ page }) => {
    await page.goto('/account/security');
    await page.getByRole('link', { name: 'E-mail notifications' }).click();
    await expect(page.getByText('E-mail notifications are off. No address is kept.')).toBeVisible();

    await page.getByLabel('E-mail address').fill('desk@localhost'); // the browser's own check lets it through; the server's refuses it
    await page.getByRole('button', { name: 'Save and turn on' }).click();
    await expect(page.getByText('Enter an e-mail address, such as desk@example.org.')).toBeVisible();
    expect(storedAddressOf('editor')).toBeNull();

    await page.getByLabel('E-mail address').fill('night-desk@example.org');
    await page.getByLabel('How often, at most').selectOption({ label: 'once every four hours' });
    await page.getByRole('button', { name: 'Save and turn on' }).click();
    await expect(page.getByText('Saved. You will get a digest at most once every four hours, only when there is something new.')).toBeVisible();
    await page.goto('/account/notifications');
    await expect(page.getByText('E-mail notifications are on: at most once every four hours to night-desk@example.org.')).toBeVisible();
    expect(storedAddressOf('editor')).toBe('night-desk@example.org');

    await page.getByRole('button', { name: 'Turn off and delete my address' }).click();
    await expect(page.getByText('Turned off. Your address has been deleted.')).toBeVisible();
    expect(storedAddressOf('editor')).toBeNull();
  });

  test('a partner can never open the settings', async ({ pageAs }) => {
    const partner = await pageAs('partner-k17');
    const response = await partner.goto('/account/notifications');
    expect(response?.status()).toBe(403);
    await expect(partner.getByLabel('E-mail address')).toHaveCount(0);
  });
});
