/**
 * A partner works in Korean from start to finish: switches the language, files a report in
 * Hangul with Korean labels (the place found by typing its Korean name), reads the Korean
 * confirmation; an editor working in English reads the Hangul intact, verifies and publishes it;
 * the CSV export keeps the Hangul. The language choice is remembered on the account and, before
 * sign-in, in the browser.
 *
 * The spec changes partner-k17's and partner-y04's interface language: it puts both back to
 * English afterwards, so the other specs find them as they expect.
 */
import type { Browser, Locator, Page } from '@playwright/test';
import { createTestAccount, DEMO_PASSWORDS, expect, openTestDb, signIn, signInAs, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const PARTNER = 'partner-k17';
const SUFFIX = Date.now().toString(36);
const TITLE = `혜산 강변에서 밤에 화물차 건너감 ${SUFFIX}`;
const NARRATIVE = `해가 진 뒤 중국 쪽에서 화물차 열두 대가 다리를 건너 혜산으로 들어왔다. 전자제품과 옷을 싣고 있었다. ${SUFFIX}`;

function setLocale(codeName: string, locale: 'en' | 'ko') {
  const db = openTestDb();
  try {
    db.prepare('UPDATE accounts SET locale = ? WHERE code_name = ?').run(locale, codeName);
  } finally {
    db.close();
  }
}

function localeOf(codeName: string): string {
  const db = openTestDb();
  try {
    return (db.prepare('SELECT locale FROM accounts WHERE code_name = ?').get(codeName) as { locale: string }).locale;
  } finally {
    db.close();
  }
}

function reportByTitle(title: string): { id: number; status: string; title: string; narrative: string } | undefined {
  const db = openTestDb();
  try {
    return db.prepare('SELECT id, status, title, narrative FROM reports WHERE title = ?').get(title) as
      | { id: number; status: string; title: string; narrative: string }
      | undefined;
  } finally {
    db.close();
  }
}

/**
 * A field of the Korean report form by its visible label; required fields add " *" and a hidden
 * "(제출에 필요)" to the accessible name.
 */
function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}( \\*)?( \\(제출에 필요\\))?$`));
}

/** The header's language switch (a plain form: works with and without scripts). */
async function switchLanguage(page: Page, to: 'en' | 'ko', { from }: { from: 'en' | 'ko' }) {
  const header = page.getByRole('banner');
  await header.getByLabel(from === 'en' ? 'Language' : '언어').selectOption(to);
  await header.getByRole('button', { name: from === 'en' ? 'Change language' : '언어 바꾸기' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', to);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test.beforeAll(() => {
  setLocale(PARTNER, 'en');
  setLocale('partner-y04', 'en');
});

test.afterAll(() => {
  setLocale(PARTNER, 'en');
  setLocale('partner-y04', 'en');
});

let reportId = 0;

test.use({ signedInAs: PARTNER });

test('partner-k17 switches to Korean and files a report in Hangul, the place found by its Korean name', async ({ page }) => {
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await switchLanguage(page, 'ko', { from: 'en' });
  await expect(page).toHaveURL(/\/partner$/);
  await expect(page.getByRole('heading', { level: 1, name: '내 보고' })).toBeVisible();
  expect(localeOf(PARTNER)).toBe('ko');

  await page.getByRole('link', { name: '새 보고 쓰기' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '새 보고' })).toBeVisible();

  // Submitting the empty form: the browser's checks answer in Korean.
  await page.getByRole('button', { name: '보고 제출' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary.getByRole('heading', { name: '고칠 것이 있습니다' })).toBeVisible();
  await expect(summary.getByRole('link', { name: '제목: 제목을 입력해 주세요.' })).toBeVisible();
  await expect(summary.getByRole('link', { name: '장소: 지명 목록에서 장소를 골라 주세요.' })).toBeVisible();

  // 23:30–23:59 on 4 May 2018 never happened in Pyongyang (the clocks jumped to UTC+9).
  await field(page, '관찰 시작').fill('2018-05-04T22:00');
  await field(page, '관찰 끝').fill('2018-05-04T23:45');
  // The time zone follows the place until one is chosen: none yet.
  await expect(field(page, '시간대')).toHaveValue('');
  await expect(field(page, '시간대').locator('option:checked')).toHaveText('장소의 시간대');
  await field(page, '시간 메모').fill('해가 진 뒤부터 새벽까지');

  // The place: typed in Korean, searched, chosen by its Korean name with its province.
  await field(page, '지명 검색').fill('혜산');
  await page.getByRole('button', { name: '검색', exact: true }).click();
  await expect(page.getByText(/“혜산”에 맞는 장소 \d+곳\./)).toBeVisible();
  await field(page, '장소').selectOption({ label: '혜산 — 량강도' });
  await expect(field(page, '장소')).toHaveValue('kp-hyesan');
  await expect(field(page, '시간대').locator('option:checked')).toHaveText('장소의 시간대: 평양 시간 (Asia/Pyongyang)');
  await field(page, '장소는 얼마나 정확합니까?').selectOption({ label: '군 또는 시' });

  await field(page, '제목').fill(TITLE);
  await field(page, '있었던 일').fill(NARRATIVE);
  await field(page, '출처').selectOption({ label: '직접 보았습니다' });

  // Reference lists and choices in Korean.
  await page.getByRole('button', { name: '차량 추가' }).click();
  const vehicle = page.getByRole('group', { name: '차량 1', exact: true });
  await field(vehicle, '차량 종류').selectOption({ label: '화물차' });
  await field(vehicle, '대수').fill('12');
  await field(vehicle, '방향').selectOption({ label: '북한으로 들어옴' });
  await field(vehicle, '색깔').fill('흰색, 은색');
  await page.getByRole('button', { name: '물품 추가' }).click();
  const goods = page.getByRole('group', { name: '물품 1', exact: true });
  await field(goods, '종류').selectOption({ label: '전자제품' });
  await field(goods, '방향').selectOption({ label: '북한으로 들어옴' });
  await field(goods, '설명').fill('중국산 텔레비전');

  // The server refuses the time that never existed, in Korean, and keeps what was typed.
  await page.getByRole('button', { name: '보고 제출' }).click();
  await expect(summary.getByRole('link', { name: /^관찰 끝: 선택한 시간대에는 이 시각이 없었습니다\./ })).toBeVisible();
  await expect(page.locator('#f-observedTo-error')).toContainText('시계가 앞으로 당겨지면서 건너뛰었습니다');
  await expect(field(page, '제목')).toHaveValue(TITLE);
  expect(reportByTitle(TITLE)?.status ?? 'draft').toBe('draft');

  await field(page, '관찰 시작').fill('2018-07-12T19:30');
  await field(page, '관찰 끝').fill('2018-07-13T04:30');
  await page.getByRole('button', { name: '보고 제출' }).click();
  await expect(page).toHaveURL(/\/partner\/reports\/\d+\?submitted=1$/);
  await expect(page.getByText('보고를 제출했습니다. 편집자가 검토합니다.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await expect(page.locator('.status').first()).toHaveText('제출됨');
  const details = page.getByRole('region', { name: '제출한 내용' });
  // Observed times as entered, on Pyongyang's clock, written the Korean way.
  await expect(details.getByText('2018년 7월 12일 19:30 (UTC+9)')).toBeVisible();
  await expect(details.getByText('2018년 7월 13일 04:30 (UTC+9)')).toBeVisible();
  await expect(details.getByText('혜산 — 량강도')).toBeVisible();
  await expect(details.getByText(NARRATIVE)).toBeVisible();
  await expect(details.getByRole('cell', { name: '화물차' })).toBeVisible();
  await expect(details.getByRole('cell', { name: '전자제품' })).toBeVisible();
  await expect(details.getByRole('cell', { name: '북한으로 들어옴' }).first()).toBeVisible();
  // Dates in the Korean way, on the 24-hour clock.
  await expect(page.getByRole('region', { name: '기록' })).toContainText(/\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} UTC — 제출됨 \(내가\)/);

  const stored = reportByTitle(TITLE);
  expect(stored).toMatchObject({ status: 'submitted', title: TITLE, narrative: NARRATIVE });
  expect(stored!.title.normalize('NFC')).toBe(stored!.title);
  reportId = stored!.id;

  await page.getByRole('link', { name: '내 보고로 돌아가기' }).click();
  const line = page.getByRole('row').filter({ hasText: TITLE });
  await expect(line.getByText('제출됨')).toBeVisible();
  await expect(line).toContainText(/\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} UTC/);
});

test('the editor, working in English, reads the Hangul intact, verifies and publishes it; the CSV export keeps the Hangul', async ({ browser, request }) => {
  expect(reportId).toBeGreaterThan(0);
  const page = await newPage(browser);
  try {
    await signInAs(page, 'editor');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('link', { name: TITLE }).click();
    // The queue's link carries the queue (its place in it): ?at=…
    await expect(page).toHaveURL(new RegExp(`/editor/reports/${reportId}(\\?|$)`));
    await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
    // In the report and in the original submission below it.
    await expect(page.getByText(NARRATIVE).first()).toBeVisible();

    await page.getByRole('button', { name: 'Claim' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report claimed.' })).toBeVisible();
    const verify = page.getByRole('form', { name: 'Verify' });
    await verify.getByLabel('Source reliability').selectOption('B');
    await verify.getByLabel('Information credibility').selectOption('2');
    await verify.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report verified.' })).toBeVisible();

    await page.goto(`/editor/reports/${reportId}/publish`);
    // The partner wrote in Korean: the text is prefilled as the Korean public text.
    await expect(page.getByLabel('Public title (Korean)')).toHaveValue(TITLE);
    await expect(page.getByLabel('Public title (English)')).toHaveValue('');
    // It names Hyesan, finer than the province shown: the editor confirms each flag (issue 19).
    const keep = page.getByRole('checkbox', { name: /^Keep “혜산”/ });
    await expect(keep).toHaveCount(2);
    for (const box of await keep.all()) await box.check();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByText('Published. The public page now shows this snapshot.')).toBeVisible();
  } finally {
    await page.context().close();
  }

  const response = await request.get('/exports/reports.csv');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('charset=utf-8');
  const bytes = await response.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const lines = csv.split('\r\n').filter((l) => l.includes(TITLE));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).toContain('량강도');
  expect(lines.join('\n')).toContain(NARRATIVE.slice(0, 20));
});

test('the Korean choice is remembered on the account: signed out, in a fresh browser, signed back in → still Korean', async ({ browser }) => {
  const page = await newPage(browser);
  try {
    await signInAs(page, PARTNER);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await page.getByRole('banner').getByRole('button', { name: '로그아웃' }).click();
    // Signed out in the same browser: the sign-in page still speaks Korean.
    await expect(page).toHaveURL(/\/sign-in\?signedOut=1$/);
    await expect(page.getByText('로그아웃되었습니다.')).toBeVisible();

    // Forget everything this browser knew: the account alone remembers.
    await page.context().clearCookies();
    await page.goto('/sign-in');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await signIn(page, PARTNER, DEMO_PASSWORDS[PARTNER], /\/partner$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1, name: '내 보고' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: TITLE }).getByText('게시됨')).toBeVisible();

    // Back to English with the same switch: remembered too.
    await switchLanguage(page, 'en', { from: 'ko' });
    await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
    expect(localeOf(PARTNER)).toBe('en');
  } finally {
    await page.context().close();
  }
});

test('before sign-in the browser remembers the choice (cookie), and signing in keeps it', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await switchLanguage(page, 'ko', { from: 'en' });
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { level: 1, name: '로그인' })).toBeVisible();
    expect((await context.cookies()).find((c) => c.name === 'fr.locale')).toMatchObject({ value: 'ko', httpOnly: true });

    // The public site speaks the language its URL names (one URL, one page for every reader, so
    // caches can keep it: docs/decisions/0014-script-free-public-pages.md), not the cookie.
    await page.goto('/reports');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('link', { name: '한국어' }).click();
    await expect(page).toHaveURL(/\/reports\?lang=ko$/);
    await expect(page.getByRole('heading', { level: 1, name: '게시된 보고' })).toBeVisible();

    // Signing in from the Korean page keeps Korean, and the account now remembers it.
    expect(localeOf('partner-y04')).toBe('en');
    await page.goto('/sign-in');
    await page.getByLabel('암호명').fill('partner-y04');
    await page.getByLabel('비밀번호').fill(DEMO_PASSWORDS['partner-y04']);
    await page.getByRole('button', { name: '로그인' }).click();
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByRole('heading', { level: 1, name: '내 보고' })).toBeVisible();
    expect(localeOf('partner-y04')).toBe('ko');
  } finally {
    await context.close();
  }
});

test('a first visit follows the browser’s languages (a Korean phone gets Korean); a language chosen in the browser wins', async ({ browser, request }) => {
  const korean = await browser.newContext({ locale: 'ko-KR' });
  try {
    const page = await korean.newPage();
    await page.goto('/sign-in');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1, name: '로그인' })).toBeVisible();
    // The public site follows its URL, not the phone: English unless the link says Korean.
    await page.goto('/reports');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    // The switch writes the choice into the browser: it wins over the phone's language.
    await page.goto('/sign-in');
    await switchLanguage(page, 'en', { from: 'ko' });
    await page.goto('/sign-in');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  } finally {
    await korean.close();
  }

  // A language the site does not have (Chinese first) falls back along the list, then to English.
  for (const [acceptLanguage, lang] of [
    ['zh-CN,zh;q=0.9,ko;q=0.8,en;q=0.5', 'ko'],
    ['zh-CN,zh;q=0.9', 'en'],
  ] as const) {
    const response = await request.get('/sign-in', { headers: { 'Accept-Language': acceptLanguage } });
    expect(await response.text(), acceptLanguage).toMatch(new RegExp(`<html[^>]* lang="${lang}"`));
  }
});

test('a Korean browser signing in to an account whose language was never chosen gets Korean after sign-in too', async ({ browser }) => {
  const { codeName, password } = await createTestAccount('partner', 'partner-ko-browser');
  const korean = await browser.newContext({ locale: 'ko-KR' });
  try {
    const page = await korean.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: '로그인' })).toBeVisible();
    await page.getByLabel('암호명').fill(codeName);
    await page.getByLabel('비밀번호').fill(password);
    await page.getByRole('button', { name: '로그인' }).click();
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1, name: '내 보고' })).toBeVisible();
    await page.goto('/partner/reports/new');
    await expect(page.getByRole('heading', { level: 1, name: '새 보고' })).toBeVisible();
    // Followed, not chosen: no cookie was written, so the browser's languages still decide.
    expect((await korean.cookies()).find((c) => c.name === 'fr.locale')).toBeUndefined();
    expect(localeOf(codeName)).toBe('ko');
  } finally {
    await korean.close();
  }
});
