/**
 * Issue 19 "Own and hand over", by role: an editor assigns a report to a colleague, the colleague
 * finds it under "Assigned to me", sends it back for changes, and the partner's resubmission
 * returns to them unread (queue column, header count, a diff against the previous submission) and
 * to nobody else; a rejection's reason for the partner reaches the partner, the editors' own
 * reason never does; assignment works with scripts off.
 */
import { createTestAccount, expect, openTestDb, signInWithCode, test } from './fixtures';
import { readReport, seedReports } from './editor-fixtures';

type Colleague = Awaited<ReturnType<typeof createTestAccount>>;

/** The audit rows of assignments of one report, oldest first. */
function assignmentAudit(reportId: number): { actorId: number; targetAccountId: number | null; detail: { from: string | null; to: string | null } }[] {
  const db = openTestDb();
  try {
    const rows = db
      .prepare("SELECT actor_id AS actorId, target_account_id AS targetAccountId, detail FROM audit_events WHERE kind = 'report_assigned' AND json_extract(detail, '$.reportId') = ? ORDER BY id")
      .all(reportId) as { actorId: number; targetAccountId: number | null; detail: string }[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as { from: string | null; to: string | null } }));
  } finally {
    db.close();
  }
}

test.describe('editors hand reports over', () => {
  test.use({ signedInAs: 'editor' });

  test("A assigns to B; B sends it back; the partner's resubmission returns to B unread with a diff, not to A", async ({ page, pageAs, browser }) => {
    // Three people sign in (two of them through Argon2id and a second factor) on a shared 2-core machine.
    test.setTimeout(180_000);
    const title = `Fuel trucks at Sinuiju ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title }]);
    if (reportId === undefined) throw new Error('no report');
    const editorB: Colleague = await createTestAccount('editor', 'ed-b', { twoFactor: true });

    // A (the demo editor) assigns it to B.
    await page.goto(`/editor/reports/${reportId}`);
    const assignment = page.getByRole('form', { name: 'Assignment' });
    await assignment.getByLabel('Assign to').selectOption({ label: editorB.codeName });
    await assignment.getByRole('button', { name: 'Assign' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Assignment saved.' })).toBeVisible();
    await expect(page.getByText(`Assigned to ${editorB.codeName}`)).toBeVisible();
    expect(readReport(reportId).claimedBy).toBe(editorB.id);
    expect(assignmentAudit(reportId).map((r) => r.detail)).toEqual([expect.objectContaining({ from: null, to: editorB.codeName })]);

    // B finds it under "Assigned to me", claims it and asks for changes.
    const contextB = await browser.newContext();
    const b = await contextB.newPage();
    await signInWithCode(b, editorB, /\/editor$/);
    await b.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assigned to me' }).click();
    await expect(b).toHaveURL(/claimed=me/);
    await b.getByRole('link', { name: new RegExp(title) }).click();
    await expect(b.getByText('Assigned to you')).toBeVisible();
    await b.getByRole('button', { name: 'Claim' }).click();
    await expect(b.getByRole('status').filter({ hasText: 'Report claimed.' })).toBeVisible();
    const requestChanges = b.getByRole('form', { name: 'Request changes' });
    await requestChanges.getByLabel('Message to the partner').fill('Which crossing? Name the bridge.');
    await requestChanges.getByRole('button', { name: 'Request changes', exact: true }).click();
    await expect(b.getByRole('status').filter({ hasText: 'Changes requested.' })).toBeVisible();
    await expect(b.getByText('Assigned to you')).toBeVisible();

    // The partner resubmits with a better title.
    const partner = await pageAs('partner-k17');
    await partner.goto(`/partner/reports/${reportId}`);
    await partner.getByRole('link', { name: 'Edit and resubmit' }).click();
    await partner.getByLabel('Title').fill(`${title} — Friendship Bridge`);
    await partner.getByRole('button', { name: 'Submit report' }).click();
    await expect.poll(() => readReport(reportId).status).toBe('submitted');
    expect(readReport(reportId).claimedBy).toBe(editorB.id);

    // B: the header counts it, the queue row says Unread, the review page shows the diff.
    await b.goto('/editor');
    const nav = b.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('listitem').filter({ hasText: 'Assigned to me' })).toContainText('(1 unread)');
    const rowB = b.getByRole('row').filter({ has: b.getByRole('link', { name: new RegExp(title) }) });
    await expect(rowB.getByRole('cell', { name: 'Unread' })).toBeVisible();
    await rowB.getByRole('link', { name: new RegExp(title) }).click();
    await expect(b.getByText('New from the partner since you last opened this report')).toBeVisible();
    const diff = b.getByRole('region', { name: 'Changes in the resubmission' });
    await expect(diff.getByRole('deletion')).toHaveText(title);
    await expect(diff.getByRole('insertion')).toHaveText(`${title} — Friendship Bridge`);
    // Opening it read it: the count and the mark are gone.
    await b.goto('/editor');
    await expect(nav.getByRole('listitem').filter({ hasText: 'Assigned to me' })).not.toContainText('unread');
    await expect(rowB.getByRole('cell', { name: 'Unread' })).toHaveCount(0);

    // A: never marked unread for them, and opening it changes nothing for B.
    await page.goto(`/editor?partner=partner-k17&claimed=%40${encodeURIComponent(editorB.codeName)}`);
    const rowA = page.getByRole('row').filter({ has: page.getByRole('link', { name: new RegExp(title) }) });
    await expect(rowA).toBeVisible();
    await expect(rowA.getByRole('cell', { name: 'Unread' })).toHaveCount(0);
    await contextB.close();
  });

  test("a rejection's reason for the partner reaches them; the editors' own reason and internal notes never do", async ({ page, pageAs }) => {
    const title = `Rice sacks at Hyesan ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-y04', title }]);
    if (reportId === undefined) throw new Error('no report');
    await page.goto(`/editor/reports/${reportId}`);
    const note = page.getByRole('form', { name: 'Internal note' });
    await note.getByLabel('Text').fill('INTERNAL: the partner may be repeating a rumour');
    await note.getByRole('button', { name: 'Add internal note' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Internal note added.' })).toBeVisible();
    const reject = page.getByRole('form', { name: 'Reject' });
    await reject.getByLabel('Internal reason (editors only)').fill('INTERNAL: duplicate of an older report');
    await reject.getByLabel(/Reason for the partner/).fill('Another partner already reported this; thank you.');
    await reject.getByLabel(/I am sure: reject this report/).check();
    await reject.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report rejected.' })).toBeVisible();
    await expect(page.getByRole('paragraph').filter({ has: page.getByText('Reason given to the partner:', { exact: true }) })).toContainText(
      'Another partner already reported this; thank you.',
    );

    const partner = await pageAs('partner-y04');
    await partner.goto('/partner');
    const row = partner.getByRole('row').filter({ has: partner.getByRole('link', { name: title }) });
    await expect(row).toContainText('Rejected');
    await expect(row).toContainText('Reason: Another partner already reported this; thank you.');
    await row.getByRole('link', { name: title }).click();
    const why = partner.getByRole('region', { name: 'Why the report was rejected' });
    await expect(why).toContainText('Another partner already reported this; thank you.');
    await expect(partner.getByText('INTERNAL', { exact: false })).toHaveCount(0);
  });
});

test.describe('assignment without scripts', () => {
  test.use({ signedInAs: 'editor', javaScriptEnabled: false });

  test('a plain form post assigns the report to a colleague, audited', async ({ page }) => {
    const title = `Timber carts at Musan ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title }]);
    if (reportId === undefined) throw new Error('no report');
    const editorB = await createTestAccount('editor', 'ed-nojs', { twoFactor: true });
    await page.goto(`/editor/reports/${reportId}`);
    const assignment = page.getByRole('form', { name: 'Assignment' });
    await assignment.getByLabel('Assign to').selectOption({ label: editorB.codeName });
    await assignment.getByRole('button', { name: 'Assign' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Assignment saved.' })).toBeVisible();
    await expect(page.getByText(`Assigned to ${editorB.codeName}`)).toBeVisible();
    expect(readReport(reportId).claimedBy).toBe(editorB.id);
    expect(assignmentAudit(reportId)).toEqual([expect.objectContaining({ targetAccountId: editorB.id, detail: expect.objectContaining({ to: editorB.codeName }) })]);
  });
});
