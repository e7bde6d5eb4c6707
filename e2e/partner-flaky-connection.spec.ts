/**
 * Issue 18: a partner files several reports on a connection that keeps dropping (scripts on).
 * 100 connection drops in all — `context.setOffline` flapping between the steps of filling a
 * report, a Submit pressed offline, and answers to Submit cut after the server committed them
 * (route.fetch() then route.abort()) — chosen by a seeded PRNG (E2E_FLAKY_SEED, default 18), so a
 * failing run can be replayed. No sleeps: each step waits for what the partner would see.
 * Checked in the database at the end: every report filed exactly once (0 lost, 0 duplicates), with
 * the text typed, and no draft left behind.
 *
 * The outbox (a report submitted with no connection waits on the phone, encrypted, and is sent
 * when the connection returns, once, by its client id) has its own tests below the long run: listed
 * offline and after a reload, sent once with two tabs open, refused, waiting for sign-in.
 *
 * The first reports get one photo picked on their form with the connection as it is; the end check
 * counts every photo once (a report with photos still to upload is submitted through the outbox).
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import sharp from 'sharp';
import { holdsInClear, storedRecords, waitUntilKeptForOffline } from './device-records';
import { createTestAccount, expect, openTestDb, signIn, test } from './fixtures';
import { endSessionsOf } from './security-kit';
import { prng } from '../scripts/synthetic-reports';
import { choosePlace, demoReport, field, fillReportParts, uniqueTitle } from './partner-form';

/**
 * Reports that get a photo (the first ones). Not all: in the full suite each report with a photo
 * took ~25 s (the outbox's save → photo → submit, cut by drops), 1.4 min alone for the whole run,
 * and 23 reports did not finish in 10 min.
 */
const WITH_PHOTO = 4;

/** Connection drops over the whole run. */
const DROPS = 100;
/** Reports filed at least (more are filed until every drop is spent). */
const MIN_REPORTS = 5;

/** The flapping connection: drops are counted, and spent only while the budget lasts. */
class Connection {
  drops = 0;
  private isOffline = false;
  constructor(
    private readonly context: BrowserContext,
    private readonly random: () => number,
  ) {}
  get isSpent() {
    return this.drops >= DROPS;
  }
  /** True with probability `p` while drops are left (the PRNG is drawn either way, for replay). */
  chance(p: number): boolean {
    return this.random() < p && !this.isSpent;
  }
  async drop() {
    if (this.isOffline || this.isSpent) return;
    this.drops += 1;
    this.isOffline = true;
    await this.context.setOffline(true);
  }
  async restore() {
    if (!this.isOffline) return;
    this.isOffline = false;
    await this.context.setOffline(false);
  }
  /** Drops the connection with probability `p`, else brings it back. */
  async flap(p: number) {
    if (this.chance(p)) await this.drop();
    else await this.restore();
  }
}

type Step = (page: Page) => Promise<unknown>;

type PhotoPayload = { name: string; mimeType: string; buffer: Buffer };

/** A small PNG photo, its bytes distinct for each `n`. */
async function photoFor(n: number): Promise<PhotoPayload> {
  const background = `#${((n * 2_654_435_761) >>> 8).toString(16).padStart(6, '0').slice(0, 6)}`;
  return { name: `crossing-${n}.png`, mimeType: 'image/png', buffer: await sharp({ create: { width: 32, height: 24, channels: 3, background } }).png().toBuffer() };
}

/** The steps of filling one report, each done with the connection as the PRNG left it. */
function fillingSteps(title: string, narrative: string, photo: PhotoPayload | null): Step[] {
  const report = demoReport(2);
  return [
    (page) => field(page, 'Observed from').fill(report.observed_from),
    (page) => field(page, 'Observed until').fill(report.observed_to),
    (page) => field(page, 'Time zone').selectOption(report.time_zone),
    (page) => field(page, 'Time note').fill(report.time_note),
    (page) => choosePlace(page, report.place),
    (page) => field(page, 'Place detail').fill(report.place_detail),
    (page) => field(page, 'How precise is the place?').selectOption(report.place_precision === 'city' ? 'county' : report.place_precision),
    (page) => field(page, 'Title').fill(title),
    (page) => field(page, 'What happened').fill(narrative),
    (page) => field(page, 'Source').selectOption(report.source_type),
    (page) => field(page, 'Safety note to the editors').fill(report.safety_note),
    // A photo picked on the form, uploaded once the draft exists (or carried by the outbox).
    ...(photo ? [(page: Page) => page.getByLabel('Add photos').setInputFiles(photo)] : []),
  ];
}

/** What the partner may see after pressing Submit. */
const SUBMIT_STATES = {
  submitted: 'Your report was submitted.',
  reconciled: /^Your report was submitted at /,
  notReceived: 'Your report was not received. Your text is still here: press Submit report again.',
  checking: /^No answer to Submit yet\./,
  // Offline at the press (or when the answer was lost): the report waits in the device's outbox.
  queued: /^Saved on this phone; it will be sent when the connection returns\./,
  // Online with its photo still to upload: the report goes through the outbox at once.
  sending: 'Sending your report…',
} as const;

type SubmitState = keyof typeof SUBMIT_STATES;

/**
 * Waits until the page shows one of SUBMIT_STATES and says which (polled as a whole: a state can
 * pass quickly, e.g. "Sending…" → submitted, between a wait and a look).
 */
async function submitState(page: Page): Promise<SubmitState> {
  const entries = Object.entries(SUBMIT_STATES) as [SubmitState, string | RegExp][];
  let seen: SubmitState | null = null;
  await expect
    .poll(
      async () => {
        for (const [state, text] of entries) {
          if (await page.getByText(text).first().isVisible()) return (seen = state);
        }
        return null;
      },
      { timeout: 20_000 },
    )
    .not.toBeNull();
  return seen!;
}

/** True for the report form's Submit post (a Server Action call whose pressed button was Submit). */
function isSubmitPost(route: Route): boolean {
  const request = route.request();
  return request.method() === 'POST' && request.headers()['next-action'] !== undefined && /name="[^"]*intent"\r\n\r\nsubmit\r\n/.test(request.postData() ?? '');
}

/**
 * Presses Submit until the report is filed, the connection flapping: offline at the press, or the
 * answer cut after the server committed it. Returns how the partner learnt it was filed.
 */
async function submitUntilFiled(page: Page, connection: Connection): Promise<'submitted' | 'reconciled'> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const cutAnswer = connection.chance(0.4);
    if (cutAnswer) {
      let isDone = false;
      await page.route('**/partner/reports/**', async (route) => {
        if (isDone || !isSubmitPost(route)) return route.fallback();
        isDone = true;
        await route.fetch();
        await connection.drop();
        await route.abort('connectionreset');
      });
    } else {
      await connection.flap(0.3);
    }
    await page.getByRole('button', { name: 'Submit report' }).click();
    let state = await submitState(page);
    if (cutAnswer) await page.unrouteAll({ behavior: 'wait' });
    if (state === 'checking' || state === 'queued' || state === 'sending') {
      // The partner walks back into coverage: the form asks the server by itself, or the outbox sends.
      await connection.restore();
      await expect(page.getByText(SUBMIT_STATES[state])).toHaveCount(0, { timeout: 40_000 });
      state = await submitState(page);
    }
    if (state === 'submitted' || state === 'reconciled') {
      await connection.restore();
      return state;
    }
    // Not received: the text is still there; press Submit again (next round).
    await connection.restore();
  }
  throw new Error('Submit never got through in 20 attempts');
}

test('100 connection drops while filing, attaching photos and submitting several reports: none lost, none twice, every photo once', async ({ page, context }) => {
  test.setTimeout(600_000);
  const seed = Number(process.env.E2E_FLAKY_SEED ?? 18);
  const connection = new Connection(context, prng(seed));
  const partner = await createTestAccount('partner', 'flaky');
  await signIn(page, partner.codeName, partner.password, /\/partner$/);

  const filed: { title: string; narrative: string; how: string }[] = [];
  while (filed.length < MIN_REPORTS || !connection.isSpent) {
    const n = filed.length + 1;
    const title = uniqueTitle(`Flaky ${n}`);
    const narrative = `Report ${n} (seed ${seed}): buses and trucks crossed after sunset.`;
    await connection.restore();
    await page.goto('/partner/reports/new');
    // A new report starts empty: nothing of an earlier report is put back into it.
    await expect(field(page, 'Title')).toHaveValue('');
    for (const step of fillingSteps(title, narrative, n <= WITH_PHOTO ? await photoFor(n) : null)) {
      await connection.flap(0.35);
      await step(page);
    }
    const how = await submitUntilFiled(page, connection);
    filed.push({ title, narrative, how });
    if (filed.length > 40) throw new Error(`drops not spent after 40 reports (${connection.drops})`);
  }
  await connection.restore();
  expect(connection.drops).toBe(DROPS);

  const db = openTestDb();
  try {
    const rows = db.prepare('SELECT title, narrative, status FROM reports WHERE author_id = ? ORDER BY id').all(partner.id) as { title: string; narrative: string; status: string }[];
    // 0 lost, 0 duplicates, no draft left over: exactly the reports filed, each once, as typed.
    expect(rows).toEqual(filed.map(({ title, narrative }) => ({ title, narrative, status: 'submitted' })));
    // Every photo once: each of the first WITH_PHOTO reports holds exactly the photo picked on its form.
    const photos = db
      .prepare('SELECT r.title AS title, count(p.id) AS photos, count(DISTINCT p.client_id) AS clientIds FROM reports r LEFT JOIN photos p ON p.report_id = r.id WHERE r.author_id = ? GROUP BY r.id ORDER BY r.id')
      .all(partner.id);
    expect(photos).toEqual(filed.map(({ title }, i) => ({ title, photos: i < WITH_PHOTO ? 1 : 0, clientIds: i < WITH_PHOTO ? 1 : 0 })));
  } finally {
    db.close();
  }
  // For the run's record: how many reports learnt their outcome by asking after a lost answer.
  test.info().annotations.push({ type: 'flaky-connection', description: `seed ${seed}: ${filed.length} reports, ${connection.drops} drops, ${filed.filter((f) => f.how === 'reconciled').length} reconciled after a lost answer` });
});

/** Every report of one account, oldest first: title, status and how many times it was submitted. */
function reportsOf(accountId: number): { title: string; status: string; submissions: number }[] {
  const db = openTestDb();
  try {
    return db
      .prepare(
        "SELECT r.title, r.status, (SELECT COUNT(*) FROM report_events e WHERE e.report_id = r.id AND e.action = 'submit') AS submissions FROM reports r WHERE r.author_id = ? ORDER BY r.id",
      )
      .all(accountId) as { title: string; status: string; submissions: number }[];
  } finally {
    db.close();
  }
}

const QUEUED = /^Saved on this phone; it will be sent when the connection returns\./;

/** A new partner, signed in, whose phone has kept the pages for offline use; a report filled in and saved as a draft. */
async function fillWithServiceWorker(page: Page, prefix: string) {
  const partner = await createTestAccount('partner', prefix);
  await signIn(page, partner.codeName, partner.password, /\/partner$/);
  await waitUntilKeptForOffline(page);
  const title = uniqueTitle(`Outbox ${prefix}`);
  await page.goto('/partner/reports/new');
  await fillReportParts(page, demoReport(2), { title });
  await expect(page.getByText(/^Draft saved at/)).toBeVisible();
  return { partner, title, editUrl: page.url() };
}

/** The outbox's line for the report titled `title` on My reports. */
const outboxItem = (page: Page, title: string) => page.getByRole('region', { name: 'Waiting to be sent' }).getByRole('listitem').filter({ hasText: title });

test.describe('the outbox: a report submitted with no connection', () => {
  test('waits on the phone (encrypted), is listed on My reports offline and after a reload, and is sent once when the connection returns', async ({ page, context }) => {
    const { partner, title } = await fillWithServiceWorker(page, 'outbox');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText(QUEUED)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Submit report' })).toBeDisabled();
    const records = await storedRecords(page);
    expect(records.filter((r) => r.kind === 'outbox').map((r) => [r.accountId, r.isEncrypted])).toEqual([[partner.id, true]]);
    expect(holdsInClear(records, title)).toBe(false);
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['draft']);

    // My reports opens with no connection (from the device) and lists it as waiting, after a reload too.
    await page.goto('/partner');
    await expect(outboxItem(page, title)).toContainText('Waiting for the connection');
    await page.reload();
    await expect(outboxItem(page, title)).toContainText('Waiting for the connection');
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['draft']);

    await context.setOffline(false);
    await expect(outboxItem(page, title)).toContainText('Sent');
    await expect(outboxItem(page, title).getByRole('link', { name: 'Open your report' })).toBeVisible();
    expect(reportsOf(partner.id)).toEqual([{ title, status: 'submitted', submissions: 1 }]);
    // Shown as sent, then gone from the phone; the list from the server has it, once.
    await expect.poll(async () => (await storedRecords(page)).filter((r) => r.kind !== 'page')).toEqual([]);
    await page.reload();
    await expect(page.getByRole('link', { name: title })).toHaveCount(1);
    await expect(page.getByRole('heading', { name: 'Waiting to be sent' })).toHaveCount(0);
  });

  test('sent after the page was closed and opened again, and once with two tabs open when the connection returns', async ({ page, context }) => {
    const { partner, title } = await fillWithServiceWorker(page, 'twotabs');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText(QUEUED)).toBeVisible();
    await page.close();

    // Two tabs, opened while offline (from the device): the list and a new report.
    const list = await context.newPage();
    await list.goto('/partner');
    await expect(outboxItem(list, title)).toContainText('Waiting for the connection');
    const form = await context.newPage();
    await form.goto('/partner/reports/new');
    await expect(field(form, 'Title')).toHaveValue('');

    await context.setOffline(false);
    await expect(outboxItem(list, title)).toContainText('Sent');
    expect(reportsOf(partner.id)).toEqual([{ title, status: 'submitted', submissions: 1 }]);
    await list.reload();
    await expect(list.getByRole('link', { name: title })).toHaveCount(1);
  });

  test('refused (filed meanwhile with other text): stays listed with the reason and opens in the form with the text', async ({ page, context, browser }) => {
    const { partner, title, editUrl } = await fillWithServiceWorker(page, 'refused');
    await context.setOffline(true);
    const changed = 'Buses crossed at dawn, typed with no connection.';
    await field(page, 'What happened').fill(changed);
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText(QUEUED)).toBeVisible();
    await page.goto('/partner');
    await expect(outboxItem(page, title)).toContainText('Waiting for the connection');

    // Meanwhile the same draft is submitted from another phone, as saved before (other text).
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, partner.codeName, partner.password, /\/partner$/);
    await otherPage.goto(editUrl);
    await otherPage.getByRole('button', { name: 'Submit report' }).click();
    await expect(otherPage.getByText('Your report was submitted.')).toBeVisible();
    await other.close();

    await context.setOffline(false);
    await expect(outboxItem(page, title)).toContainText('Not sent');
    await expect(outboxItem(page, title)).toContainText('this report was filed already');
    await page.reload();
    await expect(outboxItem(page, title)).toContainText('Not sent');
    expect(reportsOf(partner.id)).toEqual([expect.objectContaining({ title, status: 'submitted', submissions: 1 })]);

    await outboxItem(page, title).getByRole('link', { name: 'Open it in the form' }).click();
    await expect(field(page, 'What happened')).toHaveValue(changed);
    await expect(page.getByText(/^This report was already submitted on .+; your changes were not sent\./)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start a new report from this text' })).toBeVisible();
    // Opened in the form: no longer in the outbox.
    await expect.poll(async () => (await storedRecords(page)).filter((r) => r.kind === 'outbox')).toEqual([]);
  });

  test('signed out meanwhile: waits for the partner to sign in again, then is sent', async ({ page, context }) => {
    const { partner, title } = await fillWithServiceWorker(page, 'signedout');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Submit report' }).click();
    await expect(page.getByText(QUEUED)).toBeVisible();
    await page.goto('/partner');
    endSessionsOf(partner.id);

    await context.setOffline(false);
    await expect(outboxItem(page, title)).toContainText('Waiting for you to sign in again');
    expect(reportsOf(partner.id).map((r) => r.status)).toEqual(['draft']);

    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await expect(outboxItem(page, title)).toContainText('Sent');
    expect(reportsOf(partner.id)).toEqual([{ title, status: 'submitted', submissions: 1 }]);
  });
});

