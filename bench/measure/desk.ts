/**
 * The editors' desk trial (issue 19, "How it is shown"): N submitted reports a way (default 200),
 * triaged in Chromium by the demo editor on the production build — search, filter, assign (claim),
 * open, decide (verify with a grade, reject with a reason, request changes), next — counting the
 * steps per report: key presses, clicks (a choice in a drop-down counts as one), texts typed (one
 * step each, whatever their length) and page loads (every new page shown, a Server Action's answer
 * included).
 *
 * - **old way** (the mouse, as the desk worked before issue 19 item 12): from each decided report
 *   back to the filtered queue, click the next row, claim it, decide it.
 * - **new way**: select all on the queue's page and claim them in one bulk action, open the first
 *   with `j` `o`, then decide each with "… and next", which opens the next report of the same
 *   filtered queue; when a page's batch is done, back to the queue for the next one.
 *
 * Both ways start the same (search a word, filter by partner and status) and make the same
 * decisions on the same mix of reports (70 % verify with a grade, 15 % reject with a reason, 15 %
 * request changes; by position). Each way has its own partner's N reports, so the two never
 * touch each other's. At the end every report of both partners must have left the desk (verified,
 * rejected or changes requested), or the trial fails.
 */
import crypto from 'node:crypto';
import { execSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { openBenchDatabase, type BenchKey } from '../at-rest';
import { benchAccounts, createBenchDatabase } from '../generate';
import { startServer } from '../server';
import { SESSION_COOKIE, sessionCookie } from '../session';

const DB_FILE = 'field-reports.db';
/** The word every trial report holds in its narrative (the search the editor starts with). */
const SEARCH_WORD = 'crossing';

type Decision = 'verify' | 'reject' | 'request_changes';

/** The decision for the report at `index` of a way's queue order: 70 % verify, 15 % reject, 15 % changes. */
export function deskDecision(index: number): Decision {
  const slot = index % 20;
  return slot < 3 ? 'reject' : slot < 6 ? 'request_changes' : 'verify';
}

/** Steps of one way. */
export type DeskSteps = { keys: number; clicks: number; texts: number; loads: number };

export type DeskWayResult = DeskSteps & { way: 'old' | 'new'; reports: number; steps: number; perReport: number; seconds: number };

export type DeskResult = {
  reports: number;
  /** The unfiltered queue's table at 1,280 px wide: rows shown and its height in CSS pixels (issue 19: ≤ 1,400 for 25). */
  queueTable: { rows: number; heightPx: number };
  old: DeskWayResult;
  new: DeskWayResult;
  /** new steps per report ÷ old. */
  ratio: number;
  /** Statuses of the trial's reports after both ways (every one must have left the desk). */
  statuses: Record<string, number>;
};

/** Counts a way's steps while it drives the page. */
class StepCounter {
  readonly steps: DeskSteps = { keys: 0, clicks: 0, texts: 0, loads: 0 };
  constructor(private readonly page: Page) {}

  /** A click (or a tick, or a choice from a drop-down) that shows a new page when `load`. */
  async click(locator: ReturnType<Page['locator']>, { load = false, waitFor }: { load?: boolean; waitFor?: (url: URL) => boolean } = {}): Promise<void> {
    this.steps.clicks += 1;
    await this.act(() => locator.click(), load, waitFor);
  }

  async select(locator: ReturnType<Page['locator']>, value: string): Promise<void> {
    this.steps.clicks += 1;
    await locator.selectOption(value);
  }

  async check(locator: ReturnType<Page['locator']>): Promise<void> {
    this.steps.clicks += 1;
    await locator.check();
  }

  async type(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
    this.steps.texts += 1;
    await locator.fill(text);
  }

  async press(key: string, { load = false, waitFor }: { load?: boolean; waitFor?: (url: URL) => boolean } = {}): Promise<void> {
    this.steps.keys += 1;
    await this.act(() => this.page.keyboard.press(key), load, waitFor);
  }

  /** A page shown without a step of the editor's own (none in this trial but the first). */
  async goto(url: string): Promise<void> {
    this.steps.loads += 1;
    await this.page.goto(url);
  }

  /** A new page shown in place (a Server Action's answer that re-renders the same address). */
  countLoad(): void {
    this.steps.loads += 1;
  }

  private async act(action: () => Promise<void>, load: boolean, waitFor?: (url: URL) => boolean): Promise<void> {
    if (!load) return action();
    this.steps.loads += 1;
    const before = this.page.url();
    await Promise.all([this.page.waitForURL((url) => (waitFor ? waitFor(url) : url.href !== before)), action()]);
    await this.page.locator('h1').first().waitFor();
  }
}

/**
 * Insert `count` submitted reports by a fresh partner (as a partner's submission leaves them: the
 * report, one vehicle row, its 'submit' event and 'submission' revision), one minute apart.
 * Returns the partner's code name.
 */
function seedDeskReports(file: string, databaseKey: Buffer, label: string, count: number): string {
  const sqlite = openBenchDatabase(file, databaseKey);
  try {
    const codeName = `desk-${label}-${crypto.randomBytes(3).toString('hex')}`;
    const partnerId = (sqlite.prepare("INSERT INTO accounts (code_name, role, status, password_hash, is_demo) VALUES (?, 'partner', 'active', NULL, 0) RETURNING id").get(codeName) as { id: number }).id;
    const start = Date.now() - count * 60_000;
    sqlite.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        const now = start + i * 60_000;
        const content = {
          observedFrom: Date.UTC(2024, 4, 1 + (i % 28), 11),
          observedTo: Date.UTC(2024, 4, 1 + (i % 28), 20),
          timeZone: 'Asia/Pyongyang',
          timeNote: 'after sunset until dawn',
          placeId: i % 2 ? 'kp-hyesan' : 'kp-musan',
          placeDetail: 'upper reaches of the river',
          placePrecision: 'county',
          title: `Trucks and buses at the ${i % 2 ? 'Hyesan' : 'Musan'} river ${i + 1}`,
          narrative: `Dozens of trucks waited near the ${SEARCH_WORD} by day and crossed after sunset. Sighting ${i + 1}.`,
          sourceType: 'direct_observation',
          safetyNote: 'Publish the province only.',
          vehicles: [{ vehicleType: 'truck', count: 10 + (i % 30), isEstimate: true, direction: 'into_kp', colours: 'white, silver', cargo: 'electronics' }],
          goods: [],
          agencies: [],
        };
        const { id } = sqlite
          .prepare(
            `INSERT INTO reports (client_id, author_id, status, version, observed_from, observed_to, time_zone, time_note, place_id,
               place_detail, place_precision, title, narrative, source_type, safety_note, submitted_at, created_at, updated_at)
             VALUES (?, ?, 'submitted', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          )
          .get(crypto.randomUUID(), partnerId, content.observedFrom, content.observedTo, content.timeZone, content.timeNote, content.placeId, content.placeDetail,
            content.placePrecision, content.title, content.narrative, content.sourceType, content.safetyNote, now, now, now) as { id: number };
        const v = content.vehicles[0]!;
        sqlite.prepare('INSERT INTO report_vehicles (report_id, position, vehicle_type, count, is_estimate, direction, colours, cargo) VALUES (?, 0, ?, ?, 1, ?, ?, ?)')
          .run(id, v.vehicleType, v.count, v.direction, v.colours, v.cargo);
        sqlite.prepare("INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, created_at) VALUES (?, ?, 'submit', 'draft', 'submitted', ?)").run(id, partnerId, now);
        sqlite.prepare("INSERT INTO report_revisions (report_id, actor_id, kind, before, after, created_at) VALUES (?, ?, 'submission', NULL, ?, ?)").run(id, partnerId, JSON.stringify(content), now);
      }
    })();
    return codeName;
  } finally {
    sqlite.close();
  }
}

/** Search the word, then filter by the way's partner and by status Submitted (both ways alike). */
async function searchAndFilter(page: Page, steps: StepCounter, origin: string, partner: string): Promise<void> {
  await steps.goto(`${origin}/editor`);
  await steps.type(page.getByLabel('Search reports'), SEARCH_WORD);
  await steps.press('Enter', { load: true, waitFor: (url) => url.searchParams.has('q') });
  await queueReady(page);
  // The filters fold opens by itself when the search left a filter set (the order, here).
  const filtersFold = page.locator('form[aria-label="Filters"] details');
  if (!(await filtersFold.evaluate((d) => (d as HTMLDetailsElement).open))) await steps.click(page.getByText('Filters', { exact: true }));
  await page.getByLabel('Partner code name').waitFor();
  await steps.type(page.getByLabel('Partner code name'), partner);
  await steps.select(page.getByLabel('Status', { exact: true }), 'submitted');
  await steps.click(page.getByRole('button', { name: 'Apply filters' }), { load: true, waitFor: (url) => url.searchParams.get('status') === 'submitted' });
}

const grades = ['B2', 'C3', 'B3', 'A2', 'C2'] as const;

/** The decision's own fields and its button ("Verify", or with `andNext` "Verify and next"). */
async function decide(page: Page, steps: StepCounter, decision: Decision, index: number, andNext: boolean): Promise<void> {
  const reportUrl = page.url();
  const isAnswered = (url: URL) => url.href !== reportUrl && url.searchParams.has('done');
  if (decision === 'verify') {
    const form = page.getByRole('form', { name: 'Verify' });
    const grade = grades[index % grades.length]!;
    await steps.select(form.getByLabel('Source reliability'), grade[0]!);
    await steps.select(form.getByLabel('Information credibility'), grade[1]!);
    await steps.click(form.getByRole('button', { name: andNext ? 'Verify and next' : 'Verify', exact: true }), { load: true, waitFor: isAnswered });
  } else if (decision === 'reject') {
    const form = page.getByRole('form', { name: 'Reject' });
    await steps.type(form.getByLabel('Internal reason (editors only)'), `Duplicate of an earlier sighting (${index + 1}).`);
    await steps.check(form.getByRole('checkbox'));
    await steps.click(form.getByRole('button', { name: andNext ? 'Reject and next' : 'Reject', exact: true }), { load: true, waitFor: isAnswered });
  } else {
    const form = page.getByRole('form', { name: 'Request changes' });
    await steps.type(form.getByLabel('Message to the partner'), `Which night was it? (${index + 1})`);
    await steps.click(form.getByRole('button', { name: andNext ? 'Request changes and next' : 'Request changes', exact: true }), { load: true, waitFor: isAnswered });
  }
}

/** The queue page has hydrated (its keyboard hint shows only then): keys and boxes work. */
async function queueReady(page: Page): Promise<void> {
  await page.getByText('Keyboard: j/k move, o open, x select').waitFor();
}

const isReviewPage = (url: URL) => /^\/editor\/reports\/\d+$/.test(url.pathname);

/** The old way: back to the queue, click the next row, claim, decide — for every report. */
async function oldWay(page: Page, origin: string, partner: string, count: number): Promise<DeskSteps> {
  const steps = new StepCounter(page);
  await searchAndFilter(page, steps, origin, partner);
  for (let i = 0; i < count; i += 1) {
    if (i > 0) await steps.click(page.getByRole('link', { name: 'Back to the queue' }), { load: true, waitFor: (url) => url.pathname === '/editor' });
    await steps.click(page.locator('#queue-table tbody tr').first().getByRole('link'), { load: true, waitFor: isReviewPage });
    const decision = deskDecision(i);
    if (decision !== 'reject') {
      const claimAt = page.url();
      await steps.click(page.getByRole('form', { name: 'Claim' }).getByRole('button', { name: 'Claim' }), {
        load: true,
        waitFor: (url) => url.href !== claimAt && url.searchParams.get('done') === 'claim',
      });
    }
    await decide(page, steps, decision, i, false);
  }
  return steps.steps;
}

/** The new way: claim a page at once (select all), then j o, then "… and next" through the batch. */
async function newWay(page: Page, origin: string, partner: string, count: number): Promise<DeskSteps> {
  const steps = new StepCounter(page);
  await searchAndFilter(page, steps, origin, partner);
  let decided = 0;
  while (decided < count) {
    // On the queue filtered to Submitted: tick the page, claim it, switch to In review.
    await queueReady(page);
    await steps.check(page.getByRole('checkbox', { name: 'Select all on this page' }));
    const bulk = page.getByRole('form', { name: 'Bulk action' });
    await steps.select(bulk.getByLabel('Action'), 'claim');
    await steps.click(bulk.getByRole('button', { name: 'Apply to selected reports' }));
    steps.countLoad();
    await page.getByRole('status').filter({ hasText: /^Claim: \d+ reports? changed\./ }).waitFor();
    await steps.click(page.getByRole('link', { name: /^In review \(\d+\)$/ }), { load: true, waitFor: (url) => url.searchParams.get('status') === 'in_review' });
    await queueReady(page);
    await steps.press('j');
    await steps.press('o', { load: true, waitFor: isReviewPage });
    for (;;) {
      await decide(page, steps, deskDecision(decided), decided, true);
      decided += 1;
      if (new URL(page.url()).searchParams.get('last') === '1' || decided >= count) break;
    }
    if (decided >= count) break;
    await steps.click(page.getByRole('link', { name: 'Back to the queue' }), { load: true, waitFor: (url) => url.pathname === '/editor' });
    await steps.click(page.getByRole('link', { name: /^Submitted \(\d+\)$/ }), { load: true, waitFor: (url) => url.searchParams.get('status') === 'submitted' });
  }
  return steps.steps;
}

/** The unfiltered queue's first page at 1,280 px: how many rows, how high the table (no search: one line a row). */
async function measureQueueTable(browser: Browser, origin: string, cookie: string): Promise<DeskResult['queueTable']> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: SESSION_COOKIE, value: cookie.slice(SESSION_COOKIE.length + 1), domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' }]);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/editor`);
    const rows = await page.locator('#queue-table tbody tr').count();
    const box = await page.locator('#queue-table table').boundingBox();
    return { rows, heightPx: Math.round(box?.height ?? 0) };
  } finally {
    await context.close();
  }
}

function wayResult(way: 'old' | 'new', steps: DeskSteps, reports: number, seconds: number): DeskWayResult {
  const total = steps.keys + steps.clicks + steps.texts + steps.loads;
  return { way, ...steps, reports, steps: total, perReport: Math.round((total / reports) * 100) / 100, seconds: Math.round(seconds) };
}

function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || execSync('command -v chromium', { encoding: 'utf8' }).trim();
}

/**
 * Run the desk trial: a fresh encrypted database (the app's migrations, reference lists, demo
 * accounts, `background` synthetic reports of every status) with `reports` submitted reports for
 * each way, the app's server on `port`, and Chromium signed in as the demo editor.
 * Throws when a way could not finish or a report was left undecided.
 */
export async function runDeskTrial({
  tmp,
  distDir,
  key,
  secret,
  port,
  reports,
  log,
  background = 300,
}: {
  tmp: string;
  distDir: string;
  key: BenchKey;
  secret: string;
  port: number;
  reports: number;
  log: (message: string) => void;
  background?: number;
}): Promise<DeskResult> {
  const dataDir = path.join(tmp, 'desk');
  log(`desk trial: a database with ${background} background reports and ${reports} submitted reports for each way …`);
  await createBenchDatabase({ dataDir, reports: background, seed: 30, key });
  const file = path.join(dataDir, DB_FILE);
  const partners = { old: seedDeskReports(file, key.databaseKey, 'old', reports), new: seedDeskReports(file, key.databaseKey, 'new', reports) };
  const server = await startServer({ label: 'desk', distDir, dataDir, key, port, secret, tracePath: null });
  const database = { dataDir, databaseKey: key.databaseKey };
  const cookie = await sessionCookie({ account: benchAccounts(database).editor, secret });
  const { chromium } = await import('@playwright/test');
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const run = async (way: 'old' | 'new'): Promise<DeskWayResult> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: SESSION_COOKIE, value: cookie.slice(SESSION_COOKIE.length + 1), domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' }]);
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const started = performance.now();
      log(`desk trial: the ${way} way, ${reports} reports …`);
      try {
        const steps = way === 'old' ? await oldWay(page, server.origin, partners.old, reports) : await newWay(page, server.origin, partners.new, reports);
        return wayResult(way, steps, reports, (performance.now() - started) / 1000);
      } finally {
        await context.close();
      }
    };
    const queueTable = await measureQueueTable(browser, server.origin, cookie);
    log(`desk trial: the queue's table is ${queueTable.heightPx} px high for ${queueTable.rows} rows at 1,280 px`);
    const old = await run('old');
    const fresh = await run('new');
    const sqlite = openBenchDatabase(file, key.databaseKey, { readonly: true, fileMustExist: true });
    let statuses: Record<string, number>;
    try {
      const rows = sqlite
        .prepare('SELECT r.status AS status, count(*) AS n FROM reports r JOIN accounts a ON a.id = r.author_id WHERE a.code_name IN (?, ?) GROUP BY r.status')
        .all(partners.old, partners.new) as { status: string; n: number }[];
      statuses = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    } finally {
      sqlite.close();
    }
    const left = (statuses.submitted ?? 0) + (statuses.in_review ?? 0);
    if (left > 0) throw new Error(`desk trial: ${left} reports were left on the desk (${JSON.stringify(statuses)})`);
    return { reports, queueTable, old, new: fresh, ratio: Math.round((fresh.perReport / old.perReport) * 100) / 100, statuses };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** The trial's figures as lines of text. */
export function deskLines(result: DeskResult): string[] {
  const row = (r: DeskWayResult) =>
    `| ${r.way} | ${r.keys} | ${r.clicks} | ${r.texts} | ${r.loads} | ${r.steps} | **${r.perReport.toFixed(2)}** | ${r.seconds} s |`;
  return [
    `Desk trial: ${result.reports} submitted reports a way (70 % verify with a grade, 15 % reject with a reason, 15 % request changes), Chromium at 1,280 px as the demo editor`,
    '',
    '| way | keys | clicks | texts | page loads | steps | steps a report | time |',
    '|---|---|---|---|---|---|---|---|',
    row(result.old),
    row(result.new),
    '',
    `The queue's table: ${result.queueTable.heightPx} px high for ${result.queueTable.rows} rows at 1,280 px (issue 19: 3,600 px before; aim ≤ 1,400).`,
    `new ÷ old, steps a report: ${result.ratio.toFixed(2)} (aim: ≤ 0.5); reports after the trial: ${Object.entries(result.statuses).map(([s, n]) => `${s} ${n}`).join(', ')}`,
  ];
}
