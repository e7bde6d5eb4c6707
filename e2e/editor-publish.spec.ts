import { test, expect, signInAs, openTestDb } from './fixtures';
import { DEMO_SECRETS, readReport, seedDemoReportCopy } from './publishing-helpers';

test.describe('an editor publishes a verified report', () => {
  test('previews with the default coarsening, then publishes', async ({ page }) => {
    const { reportId, title } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await expect(page.getByRole('heading', { level: 1, name: 'Publish report' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the review page' })).toHaveAttribute('href', `/editor/reports/${reportId}`);
    // The editor is warned of the partner's safety note; it stays out of the form and the preview.
    await expect(page.getByText(DEMO_SECRETS.safetyNote)).toBeVisible();

    await expect(page.getByLabel('Public title (English)')).toHaveValue(title);
    await expect(page.getByLabel('Public summary (English)')).toHaveValue(/Cars are parked near the river/);
    await expect(page.getByLabel('Place shown')).toHaveValue('province');
    await expect(page.getByLabel('Place shown').locator('option:checked')).toHaveText('Province: Yanggang Province');
    await expect(page.getByLabel('Time shown')).toHaveValue('day');
    await expect(page.getByRole('checkbox', { checked: true })).toHaveCount(8);

    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview: exactly what readers will see' });
    await expect(preview.getByRole('heading', { name: title })).toBeVisible();
    await expect(preview).toContainText('a reporting partner in Yanggang Province');
    await expect(preview).toContainText('2018-07-12 to 2018-07-13');
    await expect(preview).toContainText('Not yet published (preview)');
    for (const secret of [DEMO_SECRETS.safetyNote, DEMO_SECRETS.placeDetail, DEMO_SECRETS.codeName, 'Hyesan', '19:30', '04:30']) {
      await expect(preview).not.toContainText(secret);
    }
    expect(readReport(reportId).status).toBe('verified');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Published. The public page now shows this snapshot.');
    await expect(page.getByRole('heading', { level: 1, name: 'Republish report' })).toBeVisible();
    expect(readReport(reportId)).toEqual({ status: 'published', version: 2 });

    await page.getByRole('link', { name: 'Open the public page' }).click();
    await expect(page).toHaveURL(/\/reports\/[A-Za-z0-9_-]{16}$/);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    expect(page.url()).not.toContain(`/reports/${reportId}`);
  });

  test('unticked rows and a changed coarsening are what goes public', async ({ page }) => {
    const { reportId } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await page.getByLabel('Public title (English)').fill('Night crossings, county view');
    await page.getByLabel('Place shown').selectOption('county_or_city');
    await page.getByLabel('Time shown').selectOption('month');
    await page.getByRole('checkbox', { name: /Car · Within North Korea/ }).uncheck();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('link', { name: 'Open the public page' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Night crossings, county view' })).toBeVisible();
    await expect(page.getByText('a reporting partner in Hyesan')).toBeVisible();
    await expect(page.getByText('July 2018')).toBeVisible();
    await expect(page.getByRole('table').first().getByRole('row')).toHaveCount(4); // header + 3 vehicle rows

    // Opened again to fix a typo, the form starts from what is public: the withheld row stays unticked.
    await page.goto(`/editor/reports/${reportId}/publish`);
    await expect(page.getByRole('heading', { level: 1, name: 'Republish report' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: /Car · Within North Korea/ })).not.toBeChecked();
    await expect(page.getByText(/A row is unticked when it was left out last time or has been edited since/)).toBeVisible();
    await expect(page.getByLabel('Place shown')).toHaveValue('county_or_city');
    await page.getByLabel('Public title (English)').fill('Night crossings, county view (corrected)');
    await page.getByRole('button', { name: 'Republish', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Republished');
    await page.getByRole('link', { name: 'Open the public page' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Night crossings, county view (corrected)' })).toBeVisible();
    await expect(page.getByRole('table').first().getByRole('row')).toHaveCount(4);
  });

  test('refuses an empty title and a stale version with a clear message, changing nothing', async ({ page }) => {
    const { reportId, title } = seedDemoReportCopy();
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);

    await page.getByLabel('Public title (English)').fill('   ');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.locator('#publish-error')).toContainText('The report was not published.');
    await expect(page.locator('#titleEn-error')).toHaveText('Enter a public title in English or Korean.');
    await expect(page.getByLabel('Public title (English)')).toHaveAttribute('aria-invalid', 'true');
    expect(readReport(reportId)).toEqual({ status: 'verified', version: 1 });

    // Another editor changes the report while this page is open.
    const db = openTestDb();
    db.prepare('UPDATE reports SET version = version + 1 WHERE id = ?').run(reportId);
    db.close();
    await page.getByLabel('Public title (English)').fill(title);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.locator('#publish-error')).toContainText('This report changed since you opened it');
    // What the editor typed is kept.
    await expect(page.getByLabel('Public title (English)')).toHaveValue(title);
    expect(readReport(reportId)).toEqual({ status: 'verified', version: 2 });
    const check = openTestDb();
    const publication = check.prepare('SELECT id FROM publications WHERE report_id = ?').get(reportId);
    check.close();
    expect(publication).toBeUndefined();
  });

  test('a report that is not verified cannot be published', async ({ page }) => {
    const { reportId } = seedDemoReportCopy({ status: 'in_review' });
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await expect(page.getByText('Only a verified report can be published.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Publish', exact: true })).toHaveCount(0);
  });

  test('partners are refused the publish page and anonymous visitors are sent to sign in', async ({ page }) => {
    const { reportId } = seedDemoReportCopy();
    const response = await page.goto(`/editor/reports/${reportId}/publish`);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);

    await signInAs(page, 'partner-k17');
    const refused = await page.goto(`/editor/reports/${reportId}/publish`);
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
    expect(readReport(reportId).status).toBe('verified');
  });

  test('an unknown report is not found', async ({ page }) => {
    await signInAs(page, 'editor');
    const response = await page.goto('/editor/reports/99999999/publish');
    expect(response?.status()).toBe(404);
  });
});

test.describe('without JavaScript', () => {
  test('the publish form previews, refuses and publishes as plain HTML posts', async ({ browser }) => {
    const { reportId, title } = seedDemoReportCopy();
    const signedIn = await browser.newContext();
    await signInAs(await signedIn.newPage(), 'editor');
    const storageState = await signedIn.storageState();
    await signedIn.close();
    const context = await browser.newContext({ javaScriptEnabled: false, storageState });
    const page = await context.newPage();
    await page.goto(`/editor/reports/${reportId}/publish`);
    await page.getByLabel('Public summary (English)').fill('A short public summary.');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview: exactly what readers will see' });
    await expect(preview).toContainText('A short public summary.');
    await expect(preview).toContainText('Yanggang Province');
    // The editor's text survives the round trip.
    await expect(page.getByLabel('Public summary (English)')).toHaveValue('A short public summary.');

    await page.getByLabel('Public title (English)').fill('');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.locator('#titleEn-error')).toHaveText('Enter a public title in English or Korean.');
    expect(readReport(reportId).status).toBe('verified');

    await page.getByLabel('Public title (English)').fill(title);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Published.');
    expect(readReport(reportId).status).toBe('published');
    await context.close();
  });
});
