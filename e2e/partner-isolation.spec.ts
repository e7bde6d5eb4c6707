import { randomUUID } from 'node:crypto';
import { expect, openTestDb, test } from './fixtures';
import { demoReport, field } from './partner-form';

type Snapshot = { id: number; status: string; version: number; title: string; updated_at: number; draft_values: string | null };

function accountId(codeName: string): number {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT id FROM accounts WHERE code_name = ?').get(codeName) as { id: number }).id;
  } finally {
    db.close();
  }
}

function reportByClientId(clientId: string): Snapshot | undefined {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, status, version, title, updated_at, draft_values FROM reports WHERE client_id = ?').get(clientId) as Snapshot | undefined;
  } finally {
    db.close();
  }
}

function countRows(sql: string, ...params: unknown[]): number {
  const db = openTestDb();
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A draft of partner-k17's, made for this spec. */
function seedK17Draft(title: string): { id: number; clientId: string } {
  const clientId = randomUUID();
  const db = openTestDb();
  try {
    const row = db
      .prepare("INSERT INTO reports (client_id, author_id, status, draft_values) VALUES (?, ?, 'draft', ?) RETURNING id")
      .get(clientId, accountId('partner-k17'), JSON.stringify({ clientId, title })) as { id: number };
    return { id: row.id, clientId };
  } finally {
    db.close();
  }
}

const k17Submitted = demoReport(0); // filed by partner-k17 in the demo seed
const y04Submitted = demoReport(2); // filed by partner-y04

test.use({ signedInAs: 'partner-y04' });

test.describe("a partner never sees another partner's reports", () => {
  test("partner-y04 gets 404 for partner-k17's reports by URL and never sees them in a list", async ({ page }) => {
    const k17 = reportByClientId(k17Submitted.client_id);
    if (!k17) throw new Error('demo seed missing');
    const draftTitle = `k17 private draft ${randomUUID().slice(0, 8)}`;
    const draft = seedK17Draft(draftTitle);

    for (const path of [`/partner/reports/${k17.id}`, `/partner/reports/${k17.id}/edit`, `/partner/reports/${draft.id}`, `/partner/reports/${draft.id}/edit`, '/partner/reports/99999999']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
      await expect(page.getByText(k17Submitted.title)).toHaveCount(0);
    }

    await page.goto('/partner');
    await expect(page.getByRole('link', { name: y04Submitted.title })).toBeVisible();
    await expect(page.getByText(k17Submitted.title)).toHaveCount(0);
    await expect(page.getByText(draftTitle)).toHaveCount(0);
  });
});

test.describe('fields a partner may not set are refused', () => {
  test.use({ javaScriptEnabled: false });

  for (const [name, value] of [
    ['status', 'published'],
    ['authorId', () => String(accountId('partner-k17'))],
    ['reportId', () => String(reportByClientId(k17Submitted.client_id)?.id)],
  ] as const) {
    test(`posting ${name} is refused and nothing is written`, async ({ page }) => {
      await page.goto('/partner/reports/new');
      const title = `Forged ${name} ${randomUUID().slice(0, 8)}`;
      await field(page, 'Title').fill(title);
      const clientId = await page.locator('input[name="clientId"]').inputValue();
      const forged = typeof value === 'function' ? value() : value;
      await page.locator('form.report-form').evaluate(
        (form, [fieldName, fieldValue]) => {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = fieldName;
          input.value = fieldValue;
          form.append(input);
        },
        [name, forged] as const,
      );
      const before = countRows('SELECT count(*) AS n FROM reports');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect(page.locator('.error-summary')).toContainText('The form tried to set something a partner cannot change');
      await expect(field(page, 'Title')).toHaveValue(title);
      expect(countRows('SELECT count(*) AS n FROM reports')).toBe(before);
      expect(reportByClientId(clientId)).toBeUndefined();
    });
  }

  test("sending partner-k17's report id (its client id) from partner-y04's form changes nothing", async ({ page }) => {
    const before = reportByClientId(k17Submitted.client_id);
    const draftTitle = `k17 draft ${randomUUID().slice(0, 8)}`;
    const draft = seedK17Draft(draftTitle);
    const draftBefore = reportByClientId(draft.clientId);

    for (const [clientId, button] of [
      [k17Submitted.client_id, 'Submit report'],
      [draft.clientId, 'Save draft'],
    ] as const) {
      await page.goto('/partner/reports/new');
      await field(page, 'Title').fill('Taken over by y04');
      await page.locator('input[name="clientId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), clientId);
      await page.getByRole('button', { name: button }).click();
      await expect(page.locator('.error-summary, .save-status').filter({ hasText: 'This report was not found.' }).first()).toBeVisible();
    }
    expect(reportByClientId(k17Submitted.client_id)).toEqual(before);
    expect(reportByClientId(draft.clientId)).toEqual(draftBefore);
  });

  test("a reply posted to partner-k17's report from partner-y04's report page is refused", async ({ page }) => {
    const k17 = reportByClientId(k17Submitted.client_id);
    const y04 = reportByClientId(y04Submitted.client_id);
    if (!k17 || !y04) throw new Error('demo seed missing');
    const messagesBefore = countRows('SELECT count(*) AS n FROM report_messages WHERE report_id = ?', k17.id);
    await page.goto(`/partner/reports/${y04.id}`);
    await page.locator('input[name="reportId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), String(k17.id));
    await page.getByLabel('Reply to the editors').fill('Hello from y04');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect(page.getByText('This report was not found.')).toBeVisible();
    expect(countRows('SELECT count(*) AS n FROM report_messages WHERE report_id = ?', k17.id)).toBe(messagesBefore);
  });
});
