import type { Page } from '@playwright/test';
import { createTestAccount, expect, openTestDb, test } from './fixtures';
import { readEvents, readReport, seedReports } from './editor-fixtures';

/** The reasons written for the partner on a report's rejections (what they read), oldest first. */
function readPartnerNotes(reportId: number): (string | null)[] {
  const db = openTestDb();
  try {
    return (db.prepare("SELECT partner_note AS note FROM report_events WHERE report_id = ? AND action = 'reject' ORDER BY id").all(reportId) as { note: string | null }[]).map((r) => r.note);
  } finally {
    db.close();
  }
}

/** Report ids in the queue table, in page order. */
async function queueIds(page: Page): Promise<number[]> {
  const links = await page.getByRole('table').getByRole('link').allTextContents();
  return links.map((text) => Number(/^#(\d+)/.exec(text.trim())?.[1]));
}

test.describe('moderation queue', () => {
  test.use({ signedInAs: 'editor' });

  test('pagination: reports added with the same timestamp between pages cause no duplicates and no gaps', async ({ page }) => {
    const partner = await createTestAccount('partner');
    const sameTime = Date.now() - 60_000;
    const original = seedReports(Array.from({ length: 30 }, (_, i) => ({ partner: partner.codeName, title: `Paging ${i}`, submittedAt: sameTime })));

    await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}`);
    await expect(page.getByRole('link', { name: 'Submitted (30)' })).toBeVisible();
    const first = await queueIds(page);
    expect(first).toHaveLength(25);

    // Arrivals between pages, with the very same submitted time (and one a moment older).
    const added = seedReports([
      ...Array.from({ length: 4 }, (_, i) => ({ partner: partner.codeName, title: `Late ${i}`, submittedAt: sameTime })),
      { partner: partner.codeName, title: 'Late older', submittedAt: sameTime - 1 },
    ]);

    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/after=/);
    const second = await queueIds(page);
    const seen = [...first, ...second];
    const originalSeen = seen.filter((id) => original.includes(id));
    expect(new Set(originalSeen).size).toBe(originalSeen.length);
    expect([...originalSeen].sort((a, b) => a - b)).toEqual([...original].sort((a, b) => a - b));
    // The same-time arrivals sort before the cursor (higher ids first), so they are on page 1 now, not page 2.
    for (const id of added.slice(0, 4)) expect(second).not.toContain(id);
    expect(second).toContain(added[4]);
    expect(new Set(seen).size).toBe(seen.length);

    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect(page).toHaveURL(/before=/);
    // Back: the 25 rows just before page 2 — ending, like page 1 did, right before it.
    const back = await queueIds(page);
    expect(back).toHaveLength(25);
    expect(back.at(-1)).toBe(first.at(-1));
    for (const id of second) expect(back).not.toContain(id);
  });

  test('filters live in the URL and work without scripts; counts per status are shown', async ({ browser, page: signInPage }) => {
    // Sign in with scripts on, then browse the queue with scripts off in the same session.
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signInPage.context().storageState() });
    try {
      const page = await context.newPage();
      const partner = await createTestAccount('partner');
      const [hyesan, musan] = seedReports([
        { partner: partner.codeName, title: 'Filter Hyesan', placeId: 'crossing-hyesan-changbai' },
        { partner: partner.codeName, title: 'Filter Musan', placeId: 'kp-musan', status: 'in_review', claimedBy: 'editor' },
      ]);
      await page.goto('/editor');
      await page.getByText('Filters', { exact: true }).click();
      await page.getByLabel('Partner code name').fill(partner.codeName);
      await page.getByLabel('Place (and places under it)').selectOption('kp-yanggang');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(new RegExp(`place=kp-yanggang`));
      expect(await queueIds(page)).toEqual([hyesan]);
      await expect(page.getByRole('link', { name: 'Submitted (1)' })).toBeVisible();

      await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}&claimed=me`);
      expect(await queueIds(page)).toEqual([musan]);
      await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}&status=rejected&from=not-a-date`);
      await expect(page.getByText('No reports match these filters.')).toBeVisible();
      await expect(page.getByText('These filter values were not valid and were ignored: from.')).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test('bulk reject of every report the filter matched at confirmation leaves a report that arrived later untouched', async ({ page }) => {
    const partner = await createTestAccount('partner');
    const matched = seedReports([1, 2, 3].map((i) => ({ partner: partner.codeName, title: `Bulk ${i}` })));
    await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}&status=submitted`);
    const all = page.getByRole('region', { name: 'Every report matching these filters' });
    await all.getByLabel('Action').selectOption('reject');
    await all.getByRole('button', { name: /Review action on all 3 matching/ }).click();
    await expect(page.getByText('Reject: 3 reports match these filters now.')).toBeVisible();

    const [late] = seedReports([{ partner: partner.codeName, title: 'Bulk late' }]);
    if (late === undefined) throw new Error('no report');

    await page.getByRole('button', { name: 'Confirm: Reject' }).click();
    await expect(page.getByText('Give a reason.').first()).toBeVisible();
    await page.getByLabel('Internal reason (editors only)').fill('Duplicates of one sighting.');
    await page.getByRole('button', { name: 'Confirm: Reject' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Reject: 3 reports changed.' })).toBeVisible();

    for (const id of matched) {
      expect(readReport(id).status).toBe('rejected');
      expect(readEvents(id).filter((e) => e.action === 'reject')).toEqual([
        { action: 'reject', fromStatus: 'submitted', toStatus: 'rejected', note: 'Duplicates of one sighting.', actor: 'editor' },
      ]);
    }
    expect(readReport(late)).toMatchObject({ status: 'submitted', version: 1 });
    expect(readEvents(late).map((e) => e.action)).toEqual(['submit']);
  });

  test('bulk claim of ticked rows', async ({ page }) => {
    const partner = await createTestAccount('partner');
    const [a, b, c] = seedReports([1, 2, 3].map((i) => ({ partner: partner.codeName, title: `Tick ${i}` })));
    if (a === undefined || b === undefined || c === undefined) throw new Error('no reports');
    await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}`);
    await page.getByLabel(`Select report #${a}`).check();
    await page.getByLabel(`Select report #${c}`).check();
    const bulk = page.getByRole('form', { name: 'Bulk action' });
    await bulk.getByLabel('Action').selectOption('claim');
    await bulk.getByRole('button', { name: 'Apply to selected reports' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Claim: 2 reports changed.' })).toBeVisible();
    expect(readReport(a).status).toBe('in_review');
    expect(readReport(b).status).toBe('submitted');
    expect(readReport(c).status).toBe('in_review');
    await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}&claimed=me`);
    expect((await queueIds(page)).sort((x, y) => x - y)).toEqual([a, c].sort((x, y) => x - y));
  });

  test('bulk reject of ticked rows needs the confirming box and takes the reason the partner reads, like every reject', async ({ page }) => {
    const partner = await createTestAccount('partner');
    const [a, b] = seedReports([1, 2].map((i) => ({ partner: partner.codeName, title: `Reject tick ${i}` })));
    if (a === undefined || b === undefined) throw new Error('no reports');
    await page.goto(`/editor?partner=${encodeURIComponent(partner.codeName)}`);
    await page.getByLabel(`Select report #${a}`).check();
    const bulk = page.getByRole('form', { name: 'Bulk action' });
    await bulk.getByLabel('Action').selectOption('reject');
    await bulk.getByLabel(/^Internal reason/).fill('Seen twice.');
    await bulk.getByLabel(/^Reason for the partners/).fill('Already reported by another partner, thank you.');
    await bulk.getByRole('button', { name: 'Apply to selected reports' }).click();
    await expect(bulk.getByText('Tick the box to confirm. Nothing was changed.').first()).toBeVisible();
    expect(readReport(a).status).toBe('submitted');
    // Both reasons are kept as typed.
    await expect(bulk.getByLabel(/^Reason for the partners/)).toHaveValue('Already reported by another partner, thank you.');

    await page.getByLabel(`Select report #${a}`).check();
    await bulk.getByLabel('Action').selectOption('reject');
    await bulk.getByLabel(/^To reject: I am sure/).check();
    await bulk.getByRole('button', { name: 'Apply to selected reports' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Reject: 1 report changed.' })).toBeVisible();
    expect(readReport(a).status).toBe('rejected');
    expect(readReport(b).status).toBe('submitted');
    expect(readPartnerNotes(a)).toEqual(['Already reported by another partner, thank you.']);
  });
});
