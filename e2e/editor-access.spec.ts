import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { countMessages, readEvents, readReport, seedReports } from './editor-fixtures';

/** Every field of a form as the browser would post it (Next's action fields included). */
async function formFieldsOf(page: Page, selector: string): Promise<[string, string][]> {
  return page.locator(selector).evaluate((form) => {
    const data = new FormData(form as HTMLFormElement);
    return [...data.entries()].map(([k, v]) => [k, String(v)] as [string, string]);
  });
}

test.describe('partners and the editor area', () => {
  test.use({ signedInAs: 'partner-k17' });

  test('a partner gets 403 on the queue, the review page, the edit page and the bulk page', async ({ page }) => {
    const [reportId] = seedReports([{ partner: 'partner-k17', title: `Partner may not review ${Date.now()}` }]);
    for (const path of ['/editor', `/editor/reports/${reportId}`, `/editor/reports/${reportId}/edit`, '/editor/bulk?action=reject', '/editor/reports/999999']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
    }
  });

  test('a partner posting any editor form is refused and nothing changes', async ({ page: partner, pageAs }) => {
    const title = `Forms replayed by a partner ${Date.now()}`;
    const [submitted, inReview] = seedReports([
      { partner: 'partner-k17', title },
      { partner: 'partner-k17', title: `${title} (in review)`, status: 'in_review', claimedBy: 'editor' },
    ]);
    if (submitted === undefined || inReview === undefined) throw new Error('no reports');

    // An editor's pages give the real forms, with Next's action fields.
    const forms: { url: string; name: string; fields: [string, string][] }[] = [];
    const editor = await pageAs('editor');
    await editor.goto(`/editor/reports/${submitted}`);
    forms.push({ url: `/editor/reports/${submitted}`, name: 'claim', fields: await formFieldsOf(editor, 'form.decision-claim') });
    forms.push({ url: `/editor/reports/${submitted}`, name: 'reject', fields: await formFieldsOf(editor, 'form.decision-reject') });
    forms.push({ url: `/editor/reports/${submitted}`, name: 'internal note', fields: await formFieldsOf(editor, 'form[aria-labelledby="thread-note-title"]') });
    forms.push({ url: `/editor/reports/${submitted}`, name: 'link', fields: await formFieldsOf(editor, 'form[aria-label="Link reports"]') });
    await editor.goto(`/editor/reports/${inReview}`);
    for (const action of ['verify', 'request_changes', 'release']) {
      forms.push({ url: `/editor/reports/${inReview}`, name: action, fields: await formFieldsOf(editor, `form.decision-${action}`) });
    }
    await editor.goto(`/editor/reports/${inReview}/edit`);
    forms.push({ url: `/editor/reports/${inReview}/edit`, name: 'edit', fields: await formFieldsOf(editor, 'form[aria-label^="Edit report"]') });
    await editor.goto('/editor');
    forms.push({ url: '/editor', name: 'bulk', fields: await formFieldsOf(editor, '#bulk-form') });
    await editor.goto('/editor/bulk?action=reject');
    forms.push({ url: '/editor/bulk?action=reject', name: 'bulk confirm', fields: await formFieldsOf(editor, 'form[aria-labelledby="bulk-confirm-title"]') });

    const before = { submitted: readReport(submitted), inReview: readReport(inReview) };
    for (const form of forms) {
      const multipart: Record<string, string> = Object.fromEntries(form.fields);
      if (form.name === 'reject') multipart.reason = 'A partner tries to reject.';
      if (form.name === 'verify') Object.assign(multipart, { sourceReliability: 'A', informationCredibility: '1' });
      if (form.name === 'request_changes') multipart.message = 'A partner writes as an editor.';
      if (form.name === 'internal note') multipart.body = 'A partner writes an internal note.';
      if (form.name === 'link') multipart.otherReportId = String(inReview);
      if (form.name === 'bulk' || form.name === 'bulk confirm') Object.assign(multipart, { action: 'reject', reason: 'x', reports: `${submitted}:1` });
      if (form.name === 'edit') multipart.title = 'Rewritten by a partner';
      const response = await partner.request.post(form.url, { multipart, maxRedirects: 0 });
      expect([403, 404], `${form.name} → ${response.status()}`).toContain(response.status());
    }
    expect(readReport(submitted)).toEqual(before.submitted);
    expect(readReport(inReview)).toEqual(before.inReview);
    expect(readEvents(submitted).map((e) => e.action)).toEqual(['submit']);
    expect(readEvents(inReview).map((e) => e.action)).toEqual(['submit']);
    expect(countMessages(submitted) + countMessages(inReview)).toBe(0);

    // Control: the same replayed claim form, posted by an editor, does claim the report — so the
    // refusals above came from the role checks, not from a malformed replay.
    const claim = forms.find((f) => f.name === 'claim');
    if (!claim) throw new Error('no claim form');
    const response = await editor.request.post(claim.url, { multipart: Object.fromEntries(claim.fields), maxRedirects: 0 });
    expect(response.status()).toBeLessThan(400);
    expect(readReport(submitted)).toMatchObject({ status: 'in_review', version: 2 });
  });
});
