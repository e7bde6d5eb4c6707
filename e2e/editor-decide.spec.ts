import type { Browser, Page } from '@playwright/test';
import { createTestAccount, expect, openTestDb, test } from './fixtures';
import { readEvents, readReport, seedReports } from './editor-fixtures';
import { publishThroughEditorUi, seedDemoReportCopy } from './publishing-helpers';

/**
 * Issue 19 "Decide": an editor grades without verifying, keeps their work when another editor
 * saved first (scripts on and off), confirms what cannot be undone (scripts off), links a nearby
 * report in one click, and sees a possible duplicate flagged.
 */

/** A browser context with scripts off, in the session of `signedIn` (signed in with scripts on). */
async function pageWithoutScripts(browser: Browser, signedIn: Page): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn.context().storageState() });
  return context.newPage();
}

/** A report's title and narrative, read from the database. */
function readContent(reportId: number): { title: string; narrative: string } {
  const db = openTestDb();
  try {
    return db.prepare('SELECT title, narrative FROM reports WHERE id = ?').get(reportId) as { title: string; narrative: string };
  } finally {
    db.close();
  }
}

/** The corroboration links stored from `reportId`'s page. */
function readLinks(reportId: number): { otherReportId: number; kind: string }[] {
  const db = openTestDb();
  try {
    return db.prepare('SELECT other_report_id AS otherReportId, kind FROM report_links WHERE report_id = ? ORDER BY id').all(reportId) as { otherReportId: number; kind: string }[];
  } finally {
    db.close();
  }
}

test.describe('editor decides', () => {
  test.use({ signedInAs: 'editor' });

  test('grades a report in review without verifying it; the history shows the grade and the report stays in review', async ({ page }) => {
    const title = `Grade alone ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title, status: 'in_review', claimedBy: 'editor' }]);
    if (reportId === undefined) throw new Error('no report');
    await page.goto(`/editor/reports/${reportId}`);
    const grade = page.getByRole('form', { name: 'Grade only' });
    await grade.getByLabel('Source reliability').selectOption('C');
    await grade.getByLabel('Information credibility').selectOption('3');
    await grade.getByLabel('Grading note').fill('One source so far.');
    await grade.getByRole('button', { name: 'Save grade' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Grade saved. The report was not verified.' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Key facts' }).getByText('C3', { exact: true })).toBeVisible();
    await page.getByRole('heading', { name: /^History/ }).click();
    await expect(page.getByRole('region', { name: 'History' }).getByRole('cell', { name: 'Graded' })).toBeVisible();
    // Verify starts from the grade now.
    await expect(page.getByRole('form', { name: 'Verify' }).getByLabel('Source reliability')).toHaveValue('C');
    expect(readReport(reportId)).toMatchObject({ status: 'in_review', sourceReliability: 'C', informationCredibility: '3', version: 2 });
    expect(readEvents(reportId).at(-1)).toEqual({ action: 'grade', fromStatus: 'in_review', toStatus: 'in_review', note: 'C3 — One source so far.', actor: 'editor' });
  });

  test('a possible duplicate (same partner, overlapping window, same place tree) is flagged with a link; another partner nearby is not', async ({ page }) => {
    const partner = await createTestAccount('partner', 'dup');
    const other = await createTestAccount('partner', 'dup-other');
    const stamp = Date.now();
    const [reportId, duplicateId, nearbyId] = seedReports([
      { partner: partner.codeName, title: `Manpo trucks ${stamp}`, placeId: 'kp-manpo' },
      { partner: partner.codeName, title: `Chagang trucks ${stamp}`, placeId: 'kp-chagang' },
      { partner: other.codeName, title: `Manpo trucks seen by another ${stamp}`, placeId: 'kp-manpo' },
    ]);
    if (reportId === undefined || duplicateId === undefined || nearbyId === undefined) throw new Error('no reports');
    await page.goto(`/editor/reports/${reportId}`);
    const duplicates = page.getByRole('region', { name: 'Possible duplicates' });
    await expect(duplicates.getByRole('link')).toHaveCount(1);
    await duplicates.getByRole('link', { name: `Report #${duplicateId}: Chagang trucks ${stamp}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Chagang trucks ${stamp}` })).toBeVisible();
    // Seen from the other side, the first is flagged too.
    await expect(page.getByRole('region', { name: 'Possible duplicates' }).getByRole('link', { name: `Report #${reportId}: Manpo trucks ${stamp}` })).toBeVisible();
  });

  test('links a nearby report as corroborating in one click, and another as contradicting with scripts off', async ({ page, browser }) => {
    const partner = await createTestAccount('partner', 'near');
    const other = await createTestAccount('partner', 'near-other');
    const stamp = Date.now();
    const [reportId, corroboratingId, contradictingId] = seedReports([
      { partner: partner.codeName, title: `River crossing ${stamp}`, placeId: 'river-amrok-chagang' },
      { partner: other.codeName, title: `Same crossing, other partner ${stamp}`, placeId: 'river-amrok-chagang' },
      { partner: other.codeName, title: `Province-wide quiet night ${stamp}`, placeId: 'kp-chagang' },
    ]);
    if (reportId === undefined || corroboratingId === undefined || contradictingId === undefined) throw new Error('no reports');
    await page.goto(`/editor/reports/${reportId}`);
    const nearby = page.getByRole('region', { name: /^Other reports from this place/ });
    // The map of this private page, folded: the exact place, and the nearby reports at their exact places.
    await nearby.locator('summary', { hasText: "Map of this report's exact place and nearby reports" }).click();
    await expect(nearby.getByRole('img', { name: "Map of this report's exact place and nearby reports" })).toBeVisible();
    const mapTable = nearby.getByRole('table', { name: "Map of this report's exact place and nearby reports" });
    await expect(mapTable.getByRole('rowheader', { name: 'Amrok-gang (Yalu River), Chagang stretch (exact place of this report)' })).toBeVisible();
    await expect(mapTable.getByRole('rowheader', { name: 'Chagang Province' })).toBeVisible();
    await nearby.getByRole('button', { name: `Link report #${corroboratingId}: it corroborates this one` }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Reports linked.' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Corroboration' }).getByRole('link', { name: new RegExp(`#${corroboratingId}`) })).toBeVisible();

    const noScript = await pageWithoutScripts(browser, page);
    try {
      await noScript.goto(`/editor/reports/${reportId}`);
      await noScript
        .getByRole('region', { name: /^Other reports from this place/ })
        .getByRole('button', { name: `Link report #${contradictingId}: it contradicts this one` })
        .click();
      await expect(noScript.getByRole('status').filter({ hasText: 'Reports linked.' })).toBeVisible();
    } finally {
      await noScript.context().close();
    }
    expect(readLinks(reportId)).toEqual([
      { otherReportId: corroboratingId, kind: 'corroborates' },
      { otherReportId: contradictingId, kind: 'contradicts' },
    ]);
  });
});

test.describe('two editors edit one report', () => {
  for (const scripts of ['on', 'off'] as const) {
    test(`the second keeps their typed change beside the fresh version, with the diff, and saves it knowingly (scripts ${scripts})`, async ({ pageAs, browser }) => {
      const title = `Contested edit ${scripts} ${Date.now()}`;
      const [reportId] = seedReports([{ partner: 'partner-y04', title, status: 'in_review', claimedBy: 'editor' }]);
      if (reportId === undefined) throw new Error('no report');
      const first = await pageAs('editor');
      const signedIn = await pageAs('admin');
      const second = scripts === 'on' ? signedIn : await pageWithoutScripts(browser, signedIn);
      await first.goto(`/editor/reports/${reportId}/edit`);
      await second.goto(`/editor/reports/${reportId}/edit`);

      await first.getByLabel('Title').fill(`${title}, at the bridge`);
      await first.getByRole('button', { name: 'Save changes' }).last().click();
      await expect(first.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();

      const typed = 'Forty trucks crossed, counted twice from the bank.';
      await second.getByLabel('Narrative').fill(typed);
      await second.getByRole('button', { name: 'Save changes' }).last().click();

      const conflict = second.getByRole('alert').filter({ hasText: 'Another editor saved this report after you opened it.' });
      await expect(conflict).toBeVisible();
      if (scripts === 'on') await expect(conflict).toBeFocused();
      else await expect(second).toHaveURL(/#edit-conflict$/);
      // Beside the save button, not at the top of the long form.
      const conflictBox = await conflict.boundingBox();
      const saveBox = await second.getByRole('button', { name: 'Save my changes' }).boundingBox();
      expect(conflictBox && saveBox && saveBox.y - (conflictBox.y + conflictBox.height)).toBeLessThan(100);
      await expect(conflict.getByRole('row', { name: new RegExp(`Title ${title}, at the bridge ${title}$`) })).toBeVisible();
      await expect(conflict.getByRole('row', { name: new RegExp(`Narrative .* ${typed}$`) })).toBeVisible();
      await expect(second.getByLabel('Narrative')).toHaveValue(typed);
      expect(readContent(reportId).title).toBe(`${title}, at the bridge`);

      // They take the other editor's title and save their narrative over the fresh version.
      await second.getByLabel('Title').fill(`${title}, at the bridge`);
      await second.getByRole('button', { name: 'Save my changes' }).click();
      await expect(second.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();
      expect(readContent(reportId)).toEqual({ title: `${title}, at the bridge`, narrative: typed });
      expect(readReport(reportId).version).toBe(3);
      if (scripts === 'off') await second.context().close();
    });
  }
});

test.describe('confirmation before what cannot be undone (scripts off)', () => {
  test.use({ signedInAs: 'editor' });

  test('reject needs the confirming tick: without it nothing changes and the reason is kept', async ({ page, browser }) => {
    const title = `Reject with confirmation ${Date.now()}`;
    const [reportId] = seedReports([{ partner: 'partner-k17', title }]);
    if (reportId === undefined) throw new Error('no report');
    const noScript = await pageWithoutScripts(browser, page);
    try {
      await noScript.goto(`/editor/reports/${reportId}`);
      let reject = noScript.getByRole('form', { name: 'Reject' });
      await reject.getByLabel('Internal reason (editors only)').fill('Duplicate of an earlier report.');
      await reject.getByRole('button', { name: 'Reject', exact: true }).click();
      reject = noScript.getByRole('form', { name: 'Reject' });
      await expect(reject.getByRole('alert').filter({ hasText: 'Tick the box to confirm. Nothing was changed.' })).toBeVisible();
      await expect(reject.getByLabel('Internal reason (editors only)')).toHaveValue('Duplicate of an earlier report.');
      expect(readReport(reportId)).toMatchObject({ status: 'submitted', version: 1 });

      await reject.getByLabel(/I am sure: reject this report/).check();
      await reject.getByRole('button', { name: 'Reject', exact: true }).click();
      await expect(noScript.getByRole('status').filter({ hasText: 'Report rejected.' })).toBeVisible();
      expect(readReport(reportId)).toMatchObject({ status: 'rejected', version: 2 });
    } finally {
      await noScript.context().close();
    }
  });

  test('retract needs the confirming tick: without it the publication stays', async ({ page, browser }) => {
    const { reportId } = seedDemoReportCopy();
    await publishThroughEditorUi(browser, reportId);
    const noScript = await pageWithoutScripts(browser, page);
    try {
      await noScript.goto(`/editor/reports/${reportId}/publish`);
      await noScript.getByLabel('Reason (shown publicly)').fill('Could not be confirmed.');
      await noScript.getByRole('button', { name: 'Retract publication' }).click();
      await expect(noScript.getByText('Tick the box to confirm the retraction. Nothing was changed.').first()).toBeVisible();
      await expect(noScript.getByLabel('Reason (shown publicly)')).toHaveValue('Could not be confirmed.');
      expect(readReport(reportId).status).toBe('published');

      await noScript.getByLabel('I am sure: retract this publication. A retraction is final.').check();
      await noScript.getByRole('button', { name: 'Retract publication' }).click();
      await expect(noScript.getByText('Retracted. The public page now shows only the retraction notice')).toBeVisible();
      expect(readReport(reportId).status).toBe('retracted');
    } finally {
      await noScript.context().close();
    }
  });
});

test.describe('admin: confirmation before what cannot be undone (scripts off)', () => {
  test.use({ signedInAs: 'admin' });

  /** Insert an agency of the managed list; returns its id and English name. */
  function seedAgency(label: string): { id: string; nameEn: string } {
    const id = `decide-${label}-${Date.now().toString(36)}`;
    const nameEn = `Decide ${label} Trading ${id}`;
    const db = openTestDb();
    try {
      db.prepare("INSERT INTO agencies (id, kind, name_en, name_ko, retired_at) VALUES (?, 'trading_company', ?, '시험 회사', NULL)").run(id, nameEn);
    } finally {
      db.close();
    }
    return { id, nameEn };
  }

  function mergedInto(agencyId: string): string | null {
    const db = openTestDb();
    try {
      return (db.prepare('SELECT merged_into AS mergedInto FROM agencies WHERE id = ?').get(agencyId) as { mergedInto: string | null }).mergedInto;
    } finally {
      db.close();
    }
  }

  test('merging a list entry and deactivating an account need the confirming tick', async ({ page, browser }) => {
    const gone = seedAgency('gone');
    const stays = seedAgency('stays');
    const partner = await createTestAccount('partner', 'confirm');
    const noScript = await pageWithoutScripts(browser, page);
    try {
      await noScript.goto(`/admin/lists/agencies/${gone.id}`);
      await noScript.getByLabel('Merge into', { exact: true }).selectOption(stays.id);
      await noScript.getByRole('button', { name: 'Merge' }).click();
      await expect(noScript.getByText('Tick the box to confirm. Nothing was changed.').first()).toBeVisible();
      expect(mergedInto(gone.id)).toBeNull();
      await noScript.getByLabel('Merge into', { exact: true }).selectOption(stays.id);
      await noScript.getByLabel('I am sure: merge this entry. This cannot be undone.').check();
      await noScript.getByRole('button', { name: 'Merge' }).click();
      await expect(noScript.getByText(/This entry was merged into/)).toBeVisible();
      expect(mergedInto(gone.id)).toBe(stays.id);

      await noScript.goto(`/admin/accounts/${partner.id}`);
      await noScript.getByRole('button', { name: 'Deactivate' }).click();
      await expect(noScript.getByText('Tick the box to confirm. Nothing was changed.').first()).toBeVisible();
      await expect(noScript.getByRole('button', { name: 'Deactivate' })).toBeVisible();
      await noScript.getByLabel('I am sure: deactivate this account and end its sessions.').check();
      await noScript.getByRole('button', { name: 'Deactivate' }).click();
      await expect(noScript.getByText('Account deactivated. Their open sessions have ended.')).toBeVisible();
    } finally {
      await noScript.context().close();
    }
  });
});
