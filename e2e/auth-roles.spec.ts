import { test, expect, signIn, signInAs, signInWithCode, createTestAccount, openTestDb, DEMO_PASSWORDS } from './fixtures';

const HOMES = [
  { account: 'partner-k17', path: '/partner', heading: 'My reports' },
  { account: 'editor', path: '/editor', heading: 'Moderation queue' },
  { account: 'admin', path: '/admin', heading: 'Accounts' },
] as const;

test.describe('signing in by role', () => {
  for (const { account, path, heading } of HOMES) {
    test(`${account} signs in and lands on ${path}`, async ({ page }) => {
      await signInAs(page, account);
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.getByText(`Signed in as ${account}`)).toBeVisible();
    });
  }

  test('each role is refused the other roles’ pages with 403', async ({ page }) => {
    const refused: Record<string, string[]> = {
      'partner-k17': ['/editor', '/admin'],
      editor: ['/partner', '/admin'],
      admin: ['/partner'],
    };
    for (const [account, paths] of Object.entries(refused)) {
      await page.context().clearCookies();
      await signInAs(page, account as keyof typeof DEMO_PASSWORDS);
      for (const path of paths) {
        const response = await page.goto(path);
        expect(response?.status(), `${account} → ${path}`).toBe(403);
        await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
      }
    }
  });

  test('admins may also open the moderation queue', async ({ page }) => {
    await signInAs(page, 'admin');
    const response = await page.goto('/editor');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Moderation queue' })).toBeVisible();
  });

  test('anonymous visitors see the front page and are sent to sign-in elsewhere', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Field Reports' })).toBeVisible();
    for (const path of ['/partner', '/editor', '/admin']) {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/sign-in\\?callbackUrl=${encodeURIComponent(path).replace(/%/g, '%')}`));
      await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    }
  });

  test('after sign-in the visitor returns to the page they asked for, never to another origin', async ({ page }) => {
    await page.goto('/editor');
    await page.getByLabel('Code name').fill('editor');
    await page.getByLabel('Password').fill(DEMO_PASSWORDS.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/editor$/);

    await page.context().clearCookies();
    await page.goto('/sign-in?callbackUrl=%2F%2Fevil.example%2Fsteal');
    await page.getByLabel('Code name').fill('editor');
    await page.getByLabel('Password').fill(DEMO_PASSWORDS.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/localhost:\d+\/editor$/);
  });
});

test.describe('refused sign-ins', () => {
  const generic = 'Sign-in failed: the code name or password is not right.';

  test('a wrong password and an unknown code name get the same generic message', async ({ page }) => {
    await signIn(page, 'partner-k17', 'not-the-password');
    await expect(page.getByText(generic)).toBeVisible();
    await expect(page.getByLabel('Code name')).toHaveValue('partner-k17');
    await expect(page.getByLabel('Password')).toHaveValue('');
    await signIn(page, 'nobody-by-this-name', 'whatever-password');
    await expect(page.getByText(generic)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('empty, overlong and look-alike code names get a clear message and change nothing', async ({ page }) => {
    const db = openTestDb();
    const countEvents = () => (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    const before = countEvents();

    await signIn(page, '', 'some-password');
    await expect(page.getByLabel('Code name')).toHaveAccessibleDescription('Enter your code name.');

    await signIn(page, 'x'.repeat(10_000), 'some-password');
    await expect(page.getByLabel('Code name')).toHaveAccessibleDescription('A code name has at most 40 characters.');

    // "pаrtner-k17" with a Cyrillic "а" (U+0430).
    await signIn(page, 'p\u0430rtner-k17', DEMO_PASSWORDS['partner-k17']);
    await expect(page.getByLabel('Code name')).toHaveAccessibleDescription(/Code names use only Latin letters/);
    await expect(page).toHaveURL(/\/sign-in/);

    expect(countEvents()).toBe(before);
    db.close();
  });
});

test.describe('sessions', () => {
  test('a deactivated account’s open session is refused at its next click', async ({ page }) => {
    const editor = await createTestAccount('editor', 'editor', { twoFactor: true });
    const { id } = editor;
    await signInWithCode(page, editor, /\/editor$/);
    const db = openTestDb();
    db.prepare("UPDATE accounts SET status = 'deactivated', session_version = session_version + 1 WHERE id = ?").run(id);
    db.close();
    await page.getByRole('link', { name: 'Moderation queue' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  });

  test('a bumped session version ends the session even while the account stays active', async ({ page }) => {
    const { id, codeName, password } = await createTestAccount('partner');
    await signIn(page, codeName, password, /\/partner$/);
    const db = openTestDb();
    db.prepare('UPDATE accounts SET session_version = session_version + 1 WHERE id = ?').run(id);
    db.close();
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('sign-out ends the session and clears what the browser kept', async ({ page }) => {
    await signInAs(page, 'partner-k17');
    await page.evaluate(() => localStorage.setItem('field-reports:test', 'kept draft'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1/);
    await expect(page.getByText('You are signed out.')).toBeVisible();
    expect(await page.evaluate(() => localStorage.getItem('field-reports:test'))).toBeNull();
    await page.goto('/partner');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('a copy of a signed-out session cookie is refused; the same account on another device stays signed in', async ({ page, browser }) => {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    try {
      await signInAs(otherPage, 'partner-k17');
      await signInAs(page, 'partner-k17');
      const copied = await page.context().cookies();
      expect(copied.some((cookie) => cookie.name === 'fr.session')).toBe(true);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByText('You are signed out.')).toBeVisible();

      // Someone who copied the cookie before sign-out puts it back: it no longer signs anyone in.
      await page.context().addCookies(copied);
      await page.goto('/partner');
      await expect(page).toHaveURL(/\/sign-in/);

      await otherPage.goto('/partner');
      await expect(otherPage.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
    } finally {
      await other.close();
    }
  });
});

test.describe('with JavaScript switched off', () => {
  test.use({ javaScriptEnabled: false });

  test('a partner signs in, sees a refusal first, and signs out with plain HTML forms', async ({ page }) => {
    await signIn(page, 'partner-k17', 'wrong-password-typed');
    await expect(page.getByText('Sign-in failed: the code name or password is not right.')).toBeVisible();
    await expect(page.getByLabel('Code name')).toHaveValue('partner-k17');
    await signInAs(page, 'partner-k17');
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByText('You are signed out.')).toBeVisible();
  });
});
