import { expect, test } from './fixtures';
import { readEvents, readPartnerMessages, readReport, seedReports } from './editor-fixtures';

test.describe('editor reviews a report', () => {
  test.use({ signedInAs: 'editor' });

  test('claims it, requests changes, verifies it with B2 after the partner resubmits; the history shows each step', async ({ page, pageAs }) => {
    const title = `Buses cross the upper Amrok ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title }]);
    if (reportId === undefined) throw new Error('no report');

    await page.goto('/editor');
    await page.getByRole('link', { name: new RegExp(title) }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    // Times in the zone they were entered in, and in UTC.
    await expect(page.getByText('2018-07-12 19:30 (UTC+9) · 2018-07-12 10:30 UTC', { exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Claim' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report claimed. It is now in review.' })).toBeVisible();
    await expect(page.getByText('Assigned to you')).toBeVisible();

    const requestChanges = page.getByRole('form', { name: 'Request changes' });
    await requestChanges.getByLabel('Message to the partner').fill('Which crossing was it? Please add the time the trucks left.');
    await requestChanges.getByRole('button', { name: 'Request changes', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Changes requested. The partner has been told.' })).toBeVisible();
    expect(readPartnerMessages(reportId)).toEqual(['Which crossing was it? Please add the time the trucks left.']);
    expect(readReport(reportId).status).toBe('changes_requested');

    // The partner sees the message on their report page, edits and resubmits.
    const partner = await pageAs('partner-k17');
    await partner.goto(`/partner/reports/${reportId}`);
    await expect(partner.getByText('Which crossing was it? Please add the time the trucks left.').first()).toBeVisible();
    await partner.getByRole('link', { name: 'Edit and resubmit' }).click();
    await partner.getByLabel('Title').fill(`${title} (corrected)`);
    await partner.getByRole('button', { name: 'Submit report' }).click();
    await expect(partner).toHaveURL(new RegExp(`/partner/reports/${reportId}`));
    await expect.poll(() => readReport(reportId).status).toBe('submitted');

    await page.goto(`/editor/reports/${reportId}`);
    await expect(page.getByRole('heading', { level: 1, name: `${title} (corrected)` })).toBeVisible();
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report claimed.' })).toBeVisible();
    // The assignment form shows the new holder, not the "Nobody" it showed before the claim.
    await expect(page.getByLabel('Assign to')).toHaveValue('me');

    const verify = page.getByRole('form', { name: 'Verify' });
    await verify.getByLabel('Source reliability').selectOption('B');
    await verify.getByLabel('Information credibility').selectOption('2');
    await verify.getByLabel('Grading note').fill('Matches the Hyesan informant.');
    await verify.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report verified.' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Key facts' }).getByText('B2', { exact: true })).toBeVisible();
    // "Grade only" starts from the grade just given, not from the empty choice it showed before.
    const grading = page.getByRole('form', { name: 'Grade only' });
    await expect(grading.getByLabel('Source reliability')).toHaveValue('B');
    await expect(grading.getByLabel('Information credibility')).toHaveValue('2');
    await expect(grading.getByLabel('Grading note')).toHaveValue('Matches the Hyesan informant.');

    // The history is folded under its heading.
    await page.getByRole('heading', { name: /^History/ }).click();
    const history = page.getByRole('region', { name: 'History' }).getByRole('row');
    await expect(history).toHaveCount(7); // header + 6 events
    const steps = [
      ['Submit', 'Draft → Submitted'],
      ['Claim', 'Submitted → In review'],
      ['Request changes', 'In review → Changes requested'],
      ['Submit', 'Changes requested → Submitted'],
      ['Claim', 'Submitted → In review'],
      ['Verify', 'In review → Verified'],
    ];
    for (const [i, [action, change]] of steps.entries()) {
      await expect(history.nth(i + 1)).toContainText(action!);
      await expect(history.nth(i + 1)).toContainText(change!);
    }
    await expect(history.nth(3)).toContainText('Which crossing was it?');
    await expect(history.nth(6)).toContainText('B2 — Matches the Hyesan informant.');

    expect(readEvents(reportId).map((e) => [e.action, e.actor])).toEqual([
      ['submit', 'partner-k17'],
      ['claim', 'editor'],
      ['request_changes', 'editor'],
      ['submit', 'partner-k17'],
      ['claim', 'editor'],
      ['verify', 'editor'],
    ]);
    expect(readReport(reportId)).toMatchObject({ status: 'verified', sourceReliability: 'B', informationCredibility: '2' });
  });

  test('a rejection without a reason is refused with a clear message and changes nothing', async ({ page }) => {
    const title = `Report to reject ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title }]);
    if (reportId === undefined) throw new Error('no report');
    await page.goto(`/editor/reports/${reportId}`);
    const reject = page.getByRole('form', { name: 'Reject' });
    await reject.getByLabel(/I am sure: reject this report/).check();
    await reject.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect(reject.getByText('Give a reason.').first()).toBeVisible();
    expect(readReport(reportId)).toMatchObject({ status: 'submitted', version: 1 });
    expect(readEvents(reportId)).toHaveLength(1);
  });

  test('an editor corrects the report; the edit shows as a readable diff and the original submission stays', async ({ page }) => {
    const title = `Report to correct ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title, status: 'in_review', claimedBy: 'editor' }]);
    if (reportId === undefined) throw new Error('no report');
    await page.goto(`/editor/reports/${reportId}`);
    await page.getByRole('link', { name: 'Edit this report' }).click();
    await page.getByLabel('Title').fill(`${title}, corrected`);
    await page.getByLabel('Count', { exact: true }).fill('45');
    await page.getByRole('button', { name: 'Save changes' }).last().click();
    await expect(page.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();
    const edits = page.getByRole('region', { name: 'Editor edits' });
    await expect(edits.getByText(`${title}, corrected`)).toBeVisible();
    await expect(edits.getByText('Vehicle sighting 1 · count')).toBeVisible();
    await page.getByText(/As the partner submitted it/).click();
    await expect(page.getByRole('region', { name: 'Original submission' }).getByText(title, { exact: true })).toBeVisible();
    expect(readReport(reportId).version).toBe(2);
  });
});

test.describe('two editors on one report', () => {
  test('one decision wins; the other is told the report changed, keeps what they typed, and one event row is written', async ({ pageAs }) => {
    const title = `Contested report ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-y04', title, status: 'in_review', claimedBy: 'editor' }]);
    if (reportId === undefined) throw new Error('no report');
    const a = await pageAs('editor');
    const b = await pageAs('admin');
    await a.goto(`/editor/reports/${reportId}`);
    await b.goto(`/editor/reports/${reportId}`);

    const verify = a.getByRole('form', { name: 'Verify' });
    await verify.getByLabel('Source reliability').selectOption('A');
    await verify.getByLabel('Information credibility').selectOption('1');
    await verify.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(a.getByRole('status').filter({ hasText: 'Report verified.' })).toBeVisible();

    const reject = b.getByRole('form', { name: 'Reject' });
    await reject.getByLabel('Internal reason (editors only)').fill('Contradicted by two other partners.');
    await reject.getByLabel(/I am sure: reject this report/).check();
    await reject.getByRole('button', { name: 'Reject', exact: true }).click();
    // The message is beside the button, focused; the page now shows the report as it is.
    const conflict = reject.getByRole('alert').filter({ hasText: 'Another editor changed this report since you opened it.' });
    await expect(conflict).toBeFocused();
    await expect(reject.getByLabel('Internal reason (editors only)')).toHaveValue('Contradicted by two other partners.');
    await expect(b.getByText('Verified', { exact: true }).first()).toBeVisible();

    expect(readReport(reportId)).toMatchObject({ status: 'verified', version: 2, sourceReliability: 'A', informationCredibility: '1' });
    const decisions = readEvents(reportId).filter((e) => e.action !== 'submit');
    expect(decisions).toEqual([{ action: 'verify', fromStatus: 'in_review', toStatus: 'verified', note: 'A1', actor: 'editor' }]);
  });
});
