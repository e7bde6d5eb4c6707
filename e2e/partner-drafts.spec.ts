import { createTestAccount, expect, openTestDb, signIn, test } from './fixtures';
import { endSessionsOf } from './security-kit';
import { holdsInClear, keptCopies, storedRecords } from './device-records';
import { demoReport, field, fillReportParts, uniqueTitle } from './partner-form';

function draftValuesOf(url: string): { title?: string; narrative?: string } | null {
  const id = Number(/\/partner\/reports\/(\d+)\/edit/.exec(url)?.[1]);
  const db = openTestDb();
  try {
    const row = db.prepare('SELECT draft_values AS v FROM reports WHERE id = ?').get(id) as { v: string | null } | undefined;
    return row?.v ? (JSON.parse(row.v) as { title?: string; narrative?: string }) : null;
  } finally {
    db.close();
  }
}

/** Every report of one account: its status and client id (drafts included). */
function reportsOf(accountId: number): { status: string; clientId: string }[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT status, client_id AS clientId FROM reports WHERE author_id = ? ORDER BY id').all(accountId) as { status: string; clientId: string }[];
  } finally {
    db.close();
  }
}

test.describe('drafts are never lost', () => {
  test('a draft survives a reload and an expired session, and nothing stays after sign-out', async ({ page }) => {
    const partner = await createTestAccount('partner', 'drafter');
    const title = uniqueTitle('Cars by the river');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await field(page, 'What happened').fill('Cars wait by the river.');
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    // The first save makes the draft; the address now opens it.
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit$/);
    const editUrl = page.url();

    await page.reload();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page, 'What happened')).toHaveValue('Cars wait by the river.');

    // The session ends while the partner keeps typing: the text stays on this device.
    endSessionsOf(partner.id);
    const longer = 'Cars wait by the river. After dark they cross, one by one.';
    await field(page, 'What happened').fill(longer);
    await expect(page.getByText(/You are signed out\. What you typed is kept on this device/)).toBeVisible();
    await expect.poll(() => keptCopies(page)).toEqual([{ accountId: partner.id, clientId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    // Kept encrypted: the text is nowhere in the stored bytes, nor in localStorage.
    expect(holdsInClear(await storedRecords(page), 'After dark they cross')).toBe(false);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(draftValuesOf(editUrl)?.narrative).toBe('Cars wait by the river.');

    // Signing in again brings it back and saves it on the server.
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto(editUrl);
    await expect(field(page, 'What happened')).toHaveValue(longer);
    await expect(page.getByText('Restored changes kept on this device.')).toBeVisible();
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    await expect.poll(() => draftValuesOf(editUrl)?.narrative).toBe(longer);
    await expect.poll(() => keptCopies(page)).toEqual([]);

    // A change not yet saved (the server out of reach) is kept locally... until the partner signs
    // out: asked first, since it exists only on this phone, and gone once they confirm.
    await page.route(
      (url) => url.pathname.startsWith('/partner'),
      (route) => (route.request().headers()['next-action'] ? route.abort('internetdisconnected') : route.fallback()),
    );
    await field(page, 'Time note').fill('after sunset');
    await expect.poll(() => keptCopies(page)).toHaveLength(1);
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect(asked).toEqual([expect.stringMatching(/^Reports or photos waiting to be sent, or changes not yet saved, are kept only on this phone/)]);
    expect(await keptCopies(page)).toEqual([]);
  });

  test('"saved as you go" is said only once autosave runs: the page as served says nothing is kept until Save draft', async ({ page }) => {
    const partner = await createTestAccount('partner', 'savemode');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    // The HTML as sent, before any script has run (what a browser with scripts off keeps showing).
    // (The scripted wording travels in the page's data for the browser, so the shown paragraph is read.)
    const html = await (await page.request.get('/partner/reports/new')).text();
    expect(/<p id="report-save-mode">([^<]*)<\/p>/.exec(html)?.[1]).toBe('Nothing is kept until you press Save draft. Add, Remove and Search save the draft too.');

    await page.goto('/partner/reports/new');
    await expect(page.locator('#report-save-mode')).toHaveText('Your draft is saved as you go.');
    await field(page, 'Title').fill(uniqueTitle('Saved as typed'));
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
  });

  test('a partner deletes a draft: it leaves My reports, the server and the device, and cannot come back', async ({ page }) => {
    const partner = await createTestAccount('partner', 'deleter');
    const title = uniqueTitle('Draft to delete');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(title);
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit$/);
    const editUrl = page.url();
    await page.goto(editUrl);
    // An unsaved change is kept on the device until the draft is deleted.
    await field(page, 'What happened').fill('Cars wait by the river.');
    await expect.poll(() => keptCopies(page)).toHaveLength(1);

    // Not confirmed: nothing is deleted.
    await page.getByRole('button', { name: 'Delete draft' }).click();
    await expect(page.getByText('Tick the box to confirm that the draft should be deleted. Nothing was deleted.')).toBeVisible();
    expect(draftValuesOf(editUrl)?.title).toBe(title);

    await page.getByLabel('Yes, delete this draft and its photos').check();
    await page.getByRole('button', { name: 'Delete draft' }).click();
    await expect(page).toHaveURL(/\/partner\?deleted=1$/);
    await expect(page.getByText('The draft was deleted.')).toBeVisible();
    await expect(page.getByRole('link', { name: title })).toHaveCount(0);
    await expect.poll(() => keptCopies(page)).toEqual([]);
    expect(draftValuesOf(editUrl)).toBeNull();
    const response = await page.goto(editUrl);
    expect(response?.status()).toBe(404);
  });

  test('on a phone, a draft titled with one long unbroken word wraps and My reports keeps its status in view', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const partner = await createTestAccount('partner', 'longtitle');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill('X'.repeat(120));
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    await page.goto('/partner');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'X'.repeat(120) }) });
    const status = row.getByText('Draft', { exact: true });
    await expect(status).toBeVisible();
    const box = await status.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  test('a change made offline is kept on the device and saved when the connection returns', async ({ page, context }) => {
    const partner = await createTestAccount('partner', 'offline');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await field(page, 'Title').fill(uniqueTitle('Offline'));
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    const editUrl = page.url();

    await context.setOffline(true);
    await field(page, 'Place detail').fill('upper reaches');
    await expect(page.getByText(/^Not saved: no connection/)).toBeVisible();
    await expect.poll(() => keptCopies(page)).toHaveLength(1);

    await context.setOffline(false);
    await expect.poll(() => (draftValuesOf(editUrl) as { placeDetail?: string } | null)?.placeDetail).toBe('upper reaches');
    await expect.poll(() => keptCopies(page)).toEqual([]);
  });

  test.describe('before the service worker controls the page (its first visit)', () => {
    // The partner pages' service worker serves their navigations and script chunks once it
    // controls the page (_device/sw.ts), and page.route never sees what it serves: the chunks
    // this test lets through could not be told apart from the rest (CI once saw none at all). The
    // case is a phone whose worker has not taken over yet, so there is none here.
    test.use({ serviceWorkers: 'block' });

    test('a copy kept on the device, restored into a fresh New report form, is submitted as ONE report under its own client id', async ({ page, context }) => {
      const partner = await createTestAccount('partner', 'restorer');
      const title = uniqueTitle('Restored copy');
      await signIn(page, partner.codeName, partner.password, /\/partner$/);
      // The connection goes right after the page arrived: of the build's scripts, only those the page
      // itself names get through; every chunk loaded later (on first use) never arrives.
      const named = new Set<string>();
      await page.route('**/partner/reports/new', async (route) => {
        if (route.request().method() !== 'GET') return route.fallback();
        const response = await route.fetch();
        const html = await response.text();
        for (const [path] of html.matchAll(/\/_next\/static\/chunks\/[\w.~-]+\.js/g)) named.add(path);
        await route.fulfill({ response, body: html });
      });
      await page.route('**/_next/static/chunks/**', (route) =>
        named.has(new URL(route.request().url()).pathname) ? route.fallback() : route.abort('internetdisconnected'),
      );
      await page.goto('/partner/reports/new');
      expect(named.size).toBeGreaterThan(0);
      // Typed with no connection: nothing reaches the server, the copy stays on the phone.
      await context.setOffline(true);
      await fillReportParts(page, demoReport(2), { title });
      await expect(page.getByText(/^Not saved: no connection/)).toBeVisible();
      await expect.poll(() => keptCopies(page)).toHaveLength(1);
      const copyClientId = (await keptCopies(page))[0]?.clientId;
      expect(copyClientId).toMatch(/^[0-9a-f-]{36}$/);
      await page.close();

      // Later, a fresh New report form (a new client id of its own) restores the copy.
      await context.setOffline(false);
      const later = await context.newPage();
      await later.goto('/partner/reports/new');
      await expect(field(later, 'Title')).toHaveValue(title);
      await expect(later.getByText('Restored changes kept on this device.')).toBeVisible();
      await expect(later.getByText(/^Draft saved at/)).toBeVisible();
      // The form's hidden client id is the copy's, not the page's (soft: the report count below is
      // what the partner would notice).
      await expect.soft(later.locator('input[type="hidden"][name="clientId"]')).toHaveValue(copyClientId ?? '');

      await later.getByRole('button', { name: 'Submit report' }).click();
      await expect(later.getByText('Your report was submitted.')).toBeVisible();
      expect(reportsOf(partner.id)).toEqual([{ status: 'submitted', clientId: copyClientId }]);
      await expect.poll(() => keptCopies(later)).toEqual([]);
    });
  });

  test('a copy an earlier version kept in localStorage, in the clear, is moved into the encrypted store once, restored and saved', async ({ page }) => {
    const partner = await createTestAccount('partner', 'legacy');
    const title = uniqueTitle('Kept in the clear before');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    const clientId = crypto.randomUUID();
    // What the previous version wrote: fr.report-draft.<account>.<clientId>, plain JSON; and a copy of another account's.
    await page.evaluate(
      ({ accountId, clientId, title }) => {
        const values = { clientId, title, narrative: 'Typed before the update.', timeZone: '', observedFrom: '', observedFromChoice: '', observedTo: '', observedToChoice: '', timeNote: '', placeId: '', placeDetail: '', placePrecision: '', sourceType: '', safetyNote: '', vehicles: [], goods: [], agencies: [] };
        localStorage.setItem(`fr.report-draft.${accountId}.${clientId}`, JSON.stringify({ values, keptAt: Date.now() }));
        localStorage.setItem(`fr.report-draft.${accountId + 1000}.${crypto.randomUUID()}`, JSON.stringify({ values: { ...values, clientId: crypto.randomUUID() }, keptAt: Date.now() }));
      },
      { accountId: partner.id, clientId, title },
    );

    await page.goto('/partner/reports/new');
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(page.getByText('Restored changes kept on this device.')).toBeVisible();
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    expect(reportsOf(partner.id)).toEqual([{ status: 'draft', clientId }]);
    // Nothing in the clear any more: neither copy is in localStorage; the saved one is forgotten.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('fr.report-draft.')))).toEqual([]);
    await expect.poll(() => keptCopies(page)).toEqual([]);
  });
});
