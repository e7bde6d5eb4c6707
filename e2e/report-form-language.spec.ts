/**
 * Changing the interface language in the middle of a report keeps what was typed (issue 18, a
 * new-user trial: without scripts the header's switch, a separate form, posted nothing of the
 * report and the page came back in Korean with an empty form). The report form carries its own
 * switch: it saves the draft, remembers the language and shows the draft in it. Each test uses an
 * account of its own, so no other spec finds a partner in Korean.
 */
import type { Locator, Page } from '@playwright/test';
import { createTestAccount, expect, openTestDb, signIn, test } from './fixtures';
import { field, reportIdFromUrl, uniqueTitle } from './partner-form';

/** A report's status and the title and narrative of its draft as saved. */
function storedDraft(id: number): { status: string; title: unknown; narrative: unknown } | undefined {
  const db = openTestDb();
  try {
    const row = db.prepare('SELECT status, draft_values AS v FROM reports WHERE id = ?').get(id) as { status: string; v: string | null } | undefined;
    if (!row) return undefined;
    const values = JSON.parse(row.v ?? '{}') as Record<string, unknown>;
    return { status: row.status, title: values.title, narrative: values.narrative };
  } finally {
    db.close();
  }
}

/** A field of the Korean form by its label (required fields add " *" and a hidden note). */
function koreanField(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^${label}( \\*)?( \\(제출에 필요\\))?$`));
}

for (const javaScriptEnabled of [false, true]) {
  test.describe(`scripts ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('typing a report, then changing the language: the page is Korean and the text is still there, saved as a draft', async ({ page }) => {
      const { codeName, password } = await createTestAccount('partner', 'partner-lang');
      await signIn(page, codeName, password, /\/partner$/);
      await page.goto('/partner/reports/new');
      const title = uniqueTitle(`Language mid-form ${javaScriptEnabled}`);
      const narrative = `Two trucks crossed at dusk. 트럭 두 대. ${title}`;
      await field(page, 'Title').fill(title);
      await field(page, 'What happened').fill(narrative);

      // The header points to the form's own switch instead of a form that would drop the text.
      const banner = page.getByRole('banner');
      await expect(banner.getByRole('button', { name: 'Change language' })).toHaveCount(0);
      await banner.getByRole('link', { name: 'Language: in the form below' }).click();
      const language = page.getByRole('group', { name: 'Language' });
      await language.getByRole('button', { name: '한국어' }).click();

      // The draft's edit page (at the switch, where the partner was).
      await expect(page).toHaveURL(/\/partner\/reports\/\d+\/edit(#report-language)?$/);
      await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
      await expect(page.getByRole('heading', { level: 1, name: '보고 고치기' })).toBeVisible();
      await expect(koreanField(page, '제목')).toHaveValue(title);
      await expect(koreanField(page, '있었던 일')).toHaveValue(narrative);
      expect(storedDraft(reportIdFromUrl(page.url()))).toEqual({ status: 'draft', title, narrative });

      // And back: the form's switch now offers English; the text stays.
      await page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(field(page, 'Title')).toHaveValue(title);
      await expect(field(page, 'What happened')).toHaveValue(narrative);
    });
  });
}
