import type { Page, Route } from '@playwright/test';
import { createTestAccount, expect, openTestDb, signIn, test } from './fixtures';
import { keptCopies } from './device-records';
import { demoReport, field, fillReportParts, fillReportRows, reportIdFromUrl, uniqueTitle } from './partner-form';

type ReportRow = { id: number; status: string; title: string; submitted_at: number | null; observed_from: number; time_zone: string };

function reportsTitled(title: string): ReportRow[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, status, title, submitted_at, observed_from, time_zone FROM reports WHERE title = ?').all(title) as ReportRow[];
  } finally {
    db.close();
  }
}

function rowCounts(reportId: number) {
  const db = openTestDb();
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE report_id = ?`).get(reportId) as { n: number }).n;
    return { vehicles: count('report_vehicles'), goods: count('report_goods'), agencies: count('report_agencies'), events: count('report_events'), revisions: count('report_revisions') };
  } finally {
    db.close();
  }
}

test.describe('a partner files a report', () => {
  test.use({ signedInAs: 'partner-k17' });

  test('partner-k17 files the first demo report with all its rows and sees it submitted', async ({ page }) => {
    const report = demoReport(0);
    const title = uniqueTitle(report.title);
    await page.getByRole('link', { name: 'File a new report' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'New report' })).toBeVisible();

    await fillReportParts(page, report, { title });
    await fillReportRows(page, report);
    await page.getByRole('button', { name: 'Submit report' }).click();

    await expect(page).toHaveURL(/\/partner\/reports\/\d+\?submitted=1$/);
    await expect(page.getByText('Your report was submitted.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.locator('.status').first()).toHaveText('Submitted');
    // Shown back in the zone it was entered in.
    await expect(page.getByText('Jul 12, 2018, 19:30 (UTC+9)')).toBeVisible();
    await expect(page.getByRole('cell', { name: 'minerals, lumber' })).toBeVisible();

    const id = reportIdFromUrl(page.url());
    const [stored] = reportsTitled(title);
    expect(stored).toMatchObject({ id, status: 'submitted', time_zone: 'Asia/Pyongyang', observed_from: Date.UTC(2018, 6, 12, 10, 30) });
    expect(rowCounts(id)).toEqual({ vehicles: 4, goods: 4, agencies: 0, events: 1, revisions: 1 });

    await page.getByRole('link', { name: 'Back to my reports' }).click();
    const line = page.getByRole('row').filter({ hasText: title });
    await expect(line).toHaveCount(1);
    await expect(line.getByText('Submitted')).toBeVisible();
  });

  test('a double click on submit makes one report', async ({ page }) => {
    const report = demoReport(2);
    const title = uniqueTitle('Double click');
    await page.goto('/partner/reports/new');
    await fillReportParts(page, report, { title });
    await page.getByRole('button', { name: 'Submit report' }).dblclick();
    await expect(page.getByText('Your report was submitted.')).toBeVisible();
    const stored = reportsTitled(title);
    expect(stored).toHaveLength(1);
    expect(rowCounts(stored[0]?.id ?? 0)).toMatchObject({ events: 1, revisions: 1 });
  });

  test('a refused submit keeps every value and says what is wrong beside the field and at the top', async ({ page }) => {
    const report = demoReport(0);
    const title = uniqueTitle('Refused');
    await page.goto('/partner/reports/new');
    await fillReportParts(page, report, { title });
    await field(page, 'Observed from').fill('2018-05-04T22:00');
    await field(page, 'Observed until').fill('2018-05-04T23:45'); // never existed in Pyongyang
    await page.getByRole('button', { name: 'Submit report' }).click();

    const summary = page.locator('.error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    const until = field(page, 'Observed until');
    await expect(until).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator(`#${await until.getAttribute('aria-describedby').then((ids) => ids?.split(' ').pop())}`)).toContainText('did not exist');
    await expect(summary.getByRole('link', { name: /Observed until/ })).toBeVisible();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page, 'What happened')).toHaveValue(report.narrative);
    expect(reportsTitled(title).filter((r) => r.status !== 'draft')).toHaveLength(0);
  });
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(`the time zone follows the place (scripts ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    test.use({ signedInAs: 'partner-k17', javaScriptEnabled });

    async function fillDandong(page: import('@playwright/test').Page, title: string) {
      await page.goto('/partner/reports/new');
      await expect(field(page, 'Time zone')).toHaveValue('');
      await expect(field(page, 'Time zone').locator('option:checked')).toHaveText("The place's time zone");
      await field(page, 'Place').selectOption('cn-dandong');
      await field(page, 'Observed from').fill('2018-07-12T19:30');
      await field(page, 'Observed until').fill('2018-07-12T21:00');
      await field(page, 'How precise is the place?').selectOption('county');
      await field(page, 'Title').fill(title);
      await field(page, 'What happened').fill('Trucks loaded at the Dandong riverside.');
      await field(page, 'Source').selectOption('direct_observation');
    }

    test('Dandong → Asia/Shanghai', async ({ page }) => {
      const title = uniqueTitle('Dandong zone');
      await fillDandong(page, title);
      if (javaScriptEnabled) {
        await expect(field(page, 'Time zone').locator('option:checked')).toHaveText("The place's time zone: China time (Asia/Shanghai)");
      }
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      await expect(page.getByText('Jul 12, 2018, 19:30 (UTC+8)')).toBeVisible();
      expect(reportsTitled(title)).toMatchObject([{ status: 'submitted', time_zone: 'Asia/Shanghai', observed_from: Date.UTC(2018, 6, 12, 11, 30) }]);
    });

    test('a zone the partner chooses stays, whatever the place', async ({ page }) => {
      const title = uniqueTitle('Chosen zone');
      await fillDandong(page, title);
      await field(page, 'Time zone').selectOption('Asia/Pyongyang');
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      expect(reportsTitled(title)).toMatchObject([{ status: 'submitted', time_zone: 'Asia/Pyongyang', observed_from: Date.UTC(2018, 6, 12, 10, 30) }]);
    });
  });
}

/** Every report of one account, oldest first: status and narrative as the server holds them. */
function reportsOf(accountId: number): { id: number; status: string; narrative: string; draftNarrative: string | null }[] {
  const db = openTestDb();
  try {
    return db
      .prepare("SELECT id, status, narrative, json_extract(draft_values, '$.narrative') AS draftNarrative FROM reports WHERE author_id = ? ORDER BY id")
      .all(accountId) as { id: number; status: string; narrative: string; draftNarrative: string | null }[];
  } finally {
    db.close();
  }
}

/** An editor rejects the report (the editor's own pages are other specs' business: by hand here). */
function rejectReport(reportId: number) {
  const db = openTestDb();
  try {
    const editor = db.prepare("SELECT id FROM accounts WHERE code_name = 'editor'").get() as { id: number };
    db.prepare("UPDATE reports SET status = 'rejected', version = version + 1 WHERE id = ?").run(reportId);
    db.prepare("INSERT INTO report_events (report_id, actor_id, action, from_status, to_status) VALUES (?, ?, 'reject', 'submitted', 'rejected')").run(reportId, editor.id);
  } finally {
    db.close();
  }
}

/** True for the report form's Submit post (a Server Action call whose pressed button was Submit). */
function isSubmitPost(route: Route): boolean {
  const request = route.request();
  return request.method() === 'POST' && request.headers()['next-action'] !== undefined && /name="[^"]*intent"\r\n\r\nsubmit\r\n/.test(request.postData() ?? '');
}

/** Cuts the answer to the next Submit: `reachServer` lets the post reach the server first. */
async function loseNextSubmitAnswer(page: Page, { reachServer, thenOffline }: { reachServer: boolean; thenOffline?: () => Promise<void> }) {
  let isDone = false;
  await page.route('**/partner/reports/**', async (route) => {
    if (isDone || !isSubmitPost(route)) return route.fallback();
    isDone = true;
    if (reachServer) await route.fetch();
    await thenOffline?.();
    await route.abort('connectionreset');
  });
}

test.describe('a Submit whose answer is lost', () => {
  test('committed on the server, answer lost while offline: the form asks by client id once back online and says it was submitted, with a link', async ({ page, context }) => {
    const partner = await createTestAccount('partner', 'lostanswer');
    const title = uniqueTitle('Lost answer');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await fillReportParts(page, demoReport(2), { title });
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();

    await loseNextSubmitAnswer(page, { reachServer: true, thenOffline: () => context.setOffline(true) });
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText(/^No answer to Submit yet\./)).toBeVisible();
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['submitted']);
    // Nothing is emptied meanwhile, and the text stays on the device until the server confirms.
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect.poll(() => keptCopies(page)).toHaveLength(1);
    await expect(page.getByText('Nothing you typed was sent anywhere else')).toHaveCount(0);

    await context.setOffline(false);
    await expect(page.getByText(/^Your report was submitted at \d{1,2}:\d\d/)).toBeVisible();
    await expect.poll(() => keptCopies(page)).toEqual([]);
    await page.getByRole('link', { name: 'Open your report' }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.locator('.status').first()).toHaveText('Submitted');
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['submitted']);
  });

  test('never reached the server: the form says it was not received, keeps every value, and Submit again files it once', async ({ page }) => {
    const partner = await createTestAccount('partner', 'notreceived');
    const title = uniqueTitle('Not received');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    const report = demoReport(2);
    await fillReportParts(page, report, { title });
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();

    await loseNextSubmitAnswer(page, { reachServer: false });
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText('Your report was not received. Your text is still here: press Submit report again.')).toBeVisible();
    await expect(field(page, 'Title')).toHaveValue(title);
    await expect(field(page, 'What happened')).toHaveValue(report.narrative);
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['draft']);

    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText('Your report was submitted.')).toBeVisible();
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['submitted']);
  });
});

test.describe('a Submit with changed text for a report already filed', () => {
  test('scripts on: the form says it was rejected, keeps the changed text on the page and the device, and starts a new report from it', async ({ page, context }) => {
    const partner = await createTestAccount('partner', 'rejected');
    const title = uniqueTitle('Rejected');
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await fillReportParts(page, demoReport(2), { title });
    await expect(page.getByText(/^Draft saved at/)).toBeVisible();
    // The same draft, submitted from another tab; then an editor rejects it.
    const other = await context.newPage();
    await other.goto(page.url());
    await other.getByRole('button', { name: 'Submit report' }).click();
    await expect(other.getByText('Your report was submitted.')).toBeVisible();
    const [filed] = reportsOf(partner.id);
    rejectReport(filed?.id ?? 0);

    const changed = 'Buses crossed at dawn, not at dusk. Correction of my earlier report.';
    await field(page, 'What happened').fill(changed);
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText(/^This report was rejected on .+; your changes were not sent\./)).toBeVisible();
    await expect(page.getByText('Your report was submitted.')).toHaveCount(0);
    await expect(field(page, 'What happened')).toHaveValue(changed);
    await expect.poll(() => keptCopies(page)).toHaveLength(1);
    expect(reportsOf(partner.id)).toEqual([expect.objectContaining({ status: 'rejected', narrative: demoReport(2).narrative })]);

    await page.getByRole('button', { name: 'Start a new report from this text' }).click();
    await expect(page.getByText('A new report was started from your text. It is not submitted yet.')).toBeVisible();
    await expect(field(page, 'What happened')).toHaveValue(changed);
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText('Your report was submitted.')).toBeVisible();
    expect(reportsOf(partner.id)).toEqual([
      expect.objectContaining({ status: 'rejected', narrative: demoReport(2).narrative }),
      expect.objectContaining({ status: 'submitted', narrative: changed }),
    ]);
  });

  test.describe('scripts off', () => {
    test.use({ javaScriptEnabled: false });

    test('the form comes back with the changed text and the message, and a new report is started from it', async ({ page, context }) => {
      const partner = await createTestAccount('partner', 'rejectednojs');
      const title = uniqueTitle('Rejected no scripts');
      await signIn(page, partner.codeName, partner.password, /\/partner$/);
      await page.goto('/partner/reports/new');
      await fillReportParts(page, demoReport(2), { title });
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect(page.getByText(/^Draft saved/).first()).toBeVisible();
      const [draft] = reportsOf(partner.id);
      // The same draft, submitted from another tab; then an editor rejects it.
      const other = await context.newPage();
      await other.goto(`/partner/reports/${draft?.id}/edit`);
      await other.getByRole('button', { name: 'Submit report' }).click();
      await expect(other.getByText('Your report was submitted.')).toBeVisible();
      rejectReport(draft?.id ?? 0);

      const changed = 'Buses crossed at dawn, not at dusk. Correction, typed without scripts.';
      await field(page, 'What happened').fill(changed);
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText(/^This report was rejected on .+; your changes were not sent\./)).toBeVisible();
      await expect(field(page, 'What happened')).toHaveValue(changed);
      await expect(field(page, 'Title')).toHaveValue(title);

      await page.getByRole('button', { name: 'Start a new report from this text' }).click();
      await expect(page.getByText('A new report was started from your text. It is not submitted yet.').first()).toBeVisible();
      await expect(field(page, 'What happened')).toHaveValue(changed);
      // Post/redirect/get: the new draft's own page, so a reload shows it again instead of
      // saving the text as yet another draft.
      await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit\?saved=new$/);
      await page.reload();
      await expect(field(page, 'What happened')).toHaveValue(changed);
      expect(reportsOf(partner.id).map((report) => report.status)).toEqual(['rejected', 'draft']);
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      expect(reportsOf(partner.id)).toEqual([
        expect.objectContaining({ status: 'rejected', narrative: demoReport(2).narrative }),
        expect.objectContaining({ status: 'submitted', narrative: changed }),
      ]);
    });

    test('from the edit page too: the post is answered with the form, the changed text and the message, not the report page', async ({ page, context }) => {
      const partner = await createTestAccount('partner', 'rejectededit');
      const title = uniqueTitle('Rejected edit page');
      await signIn(page, partner.codeName, partner.password, /\/partner$/);
      await page.goto('/partner/reports/new');
      await fillReportParts(page, demoReport(2), { title });
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect(page.getByText(/^Draft saved/).first()).toBeVisible();
      const [draft] = reportsOf(partner.id);
      await page.goto(`/partner/reports/${draft?.id}/edit`);
      // Submitted from another tab meanwhile, then rejected by an editor.
      const other = await context.newPage();
      await other.goto(`/partner/reports/${draft?.id}/edit`);
      await other.getByRole('button', { name: 'Submit report' }).click();
      await expect(other.getByText('Your report was submitted.')).toBeVisible();
      rejectReport(draft?.id ?? 0);

      const changed = 'Trucks, not buses. Correction typed on the edit page without scripts.';
      await field(page, 'What happened').fill(changed);
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText(/^This report was rejected on .+; your changes were not sent\./)).toBeVisible();
      await expect(field(page, 'What happened')).toHaveValue(changed);

      await page.getByRole('button', { name: 'Start a new report from this text' }).click();
      await expect(page.getByText('A new report was started from your text. It is not submitted yet.').first()).toBeVisible();
      await page.getByRole('button', { name: 'Submit report' }).click();
      await expect(page.getByText('Your report was submitted.')).toBeVisible();
      expect(reportsOf(partner.id)).toEqual([
        expect.objectContaining({ status: 'rejected', narrative: demoReport(2).narrative }),
        expect.objectContaining({ status: 'submitted', narrative: changed }),
      ]);
    });
  });
});
