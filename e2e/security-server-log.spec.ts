/**
 * The server log holds no report text, passwords, tokens, cookies, TOTP secrets or recovery codes,
 * and no client IP address or user agent (docs/security/README.md "Audit and privacy"; issue 9). e2e/server.ts
 * tees everything the server prints to <E2E_DATA_DIR>/server.log. This spec drives the sensitive
 * paths with marker values from a marked address and user agent — failed and good sign-ins, a
 * report filed in the browser, messages, an editor's 2FA enrolment, an invitation link — and then
 * reads the whole log (which also holds whatever the other specs of the run made the server print)
 * for the markers, for every report's and message's text in the database, for every TOTP secret,
 * and for session tokens, password hashes and loopback or marker addresses.
 *
 * It runs after every other spec and reads everything the run made the server print: its own
 * Playwright project depends on the project of all the others (playwright.config.ts). Run alone
 * with `--no-deps` (otherwise every spec runs first).
 *
 * The second test holds the log to its format (docs/architecture.md "Logging"): once the logger
 * has taken over, every line is one JSON object with `level`, `time` and `msg`; what comes before
 * the first JSON line is the start-up banner (Next's "▲ Next.js …" under `next start`) and is not
 * held to it. An unexpected error is one `onRequestError` line with the request id and no query
 * string.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, createTestAccount, openTestDb, signIn, totpCode } from './fixtures';
import { SAME_ORIGIN_HEADERS, callAction, demoAccount, form, freshPartner, http, reportFormFields, seedReport, signInCookie, withDb } from './security-kit';

const LOG_FILE = path.join(process.env.E2E_DATA_DIR ?? './data/e2e', 'server.log');
const MARK = crypto.randomBytes(5).toString('hex');
const MARKER_IP = '203.0.113.77';
const MARKER_AGENT = `MarkerAgent/${MARK}`;

test.describe('the server log', () => {
  test('holds no report text, secrets, tokens, IP addresses or user agents', async ({ browser }) => {
    test.setTimeout(120_000);
    const secrets: string[] = [];
    const marked = { 'x-forwarded-for': MARKER_IP, 'x-real-ip': MARKER_IP, 'user-agent': MARKER_AGENT };

    // Sign-in: a wrong password, an unknown code name, then a good sign-in.
    const partner = await createTestAccount('partner', `log-${MARK}`);
    const wrongPassword = `wrong-password-${MARK}`;
    const failedAttempts: [string, string][] = [
      [partner.codeName, wrongPassword],
      [`nobody-${MARK}`, `another-password-${MARK}`],
    ];
    for (const [codeName, password] of failedAttempts) {
      await callAction({ key: 'app/(auth)/sign-in/actions.ts#signInAction', page: '/sign-in', args: [{ ok: false, values: { codeName: '' } }, form({ codeName, password })], headers: { ...SAME_ORIGIN_HEADERS, ...marked } });
    }
    secrets.push(wrongPassword, `another-password-${MARK}`, partner.password);
    const cookie = await signInCookie(partner.codeName, partner.password, { forwardedFor: MARKER_IP });
    secrets.push(cookie.split('=').slice(1).join('='));

    // A report filed over HTTP with marker text in every free-text field, and a reply.
    const clientId = crypto.randomUUID();
    const text = {
      title: `Title ${MARK}`,
      narrative: `Narrative ${MARK} trucks crossed`,
      timeNote: `Time note ${MARK}`,
      placeDetail: `Place detail ${MARK}`,
      safetyNote: `Safety note ${MARK}`,
      'vehicles.0.cargo': `Cargo ${MARK}`,
    };
    const submitted = await callAction({
      key: 'app/(partner)/partner/reports/actions.ts#reportFormAction',
      page: '/partner/reports/new',
      cookie,
      args: [{ seq: 0, values: { clientId }, status: 'idle', message: null, fieldErrors: {}, formErrors: [], timeOptions: {}, placeQuery: '', placeMatches: null, focus: null, savedAt: null, reportId: null }, form({ ...reportFormFields(clientId), ...text, intent: 'submit' })],
      headers: { ...SAME_ORIGIN_HEADERS, ...marked },
    });
    const reportId = Number(/\/partner\/reports\/(\d+)/.exec(submitted.actionRedirect ?? '')?.[1]);
    expect(reportId, JSON.stringify(submitted.value)).toBeGreaterThan(0);
    secrets.push(...Object.values(text));
    await callAction({
      key: 'app/(partner)/partner/reports/actions.ts#postReportReply',
      page: `/partner/reports/${reportId}`,
      cookie,
      args: [{ seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' }, form({ reportId: String(reportId), body: `Reply ${MARK}` })],
      headers: { ...SAME_ORIGIN_HEADERS, ...marked },
    });
    secrets.push(`Reply ${MARK}`);

    // A report typed into the form in the browser (scripts on: autosave, the local copy).
    const context = await browser.newContext({ userAgent: MARKER_AGENT, extraHTTPHeaders: { 'x-forwarded-for': MARKER_IP } });
    const page = await context.newPage();
    await signIn(page, partner.codeName, partner.password, /\/partner$/);
    await page.goto('/partner/reports/new');
    await page.getByLabel(/^Title/).fill(`Browser title ${MARK}`);
    await page.getByLabel(/^What happened/).fill(`Browser narrative ${MARK}`);
    await page.getByLabel(/^Safety note/).fill(`Browser safety ${MARK}`);
    await page.getByRole('button', { name: /save draft/i }).click();
    // A draft keeps the form's values as typed (reports.draft_values).
    await expect
      .poll(() => withDb((db) => (db.prepare('SELECT count(*) AS n FROM reports WHERE instr(draft_values, ?) > 0').get(`Browser title ${MARK}`) as { n: number }).n))
      .toBe(1);
    secrets.push(`Browser title ${MARK}`, `Browser narrative ${MARK}`, `Browser safety ${MARK}`);

    // An editor enrols in two-step sign-in: the secret and the recovery codes.
    await context.clearCookies();
    const editor = await createTestAccount('editor', `log-${MARK}`);
    await signIn(page, editor.codeName, editor.password, /\/sign-in\/enrol$/);
    const totpSecret = (await page.getByLabel('Cannot scan? Type this key into the app instead').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(totpSecret));
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your recovery codes' })).toBeVisible();
    const recoveryCodes = await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    secrets.push(totpSecret, ...recoveryCodes.map((c) => c.trim()));
    await context.close();

    // An admin makes an invitation link: its token.
    const admin = demoAccount('admin');
    const adminCookie = await signInCookie(admin.codeName, admin.password, { forwardedFor: MARKER_IP });
    const created = await callAction({ key: 'app/(admin)/admin/actions.ts#createAccountAction', page: '/admin', cookie: adminCookie, args: [{ ok: true }, form({ codeName: `invited-${MARK}`, role: 'partner' })], headers: { ...SAME_ORIGIN_HEADERS, ...marked } });
    const link = (created.value as { link?: { url: string } }).link?.url;
    expect(link, JSON.stringify(created.value)).toBeTruthy();
    secrets.push(link!.split('/').at(-1)!);

    // A request that makes the server say something (a 404) and a final one so the log has caught up.
    await http(`/reports/missing-${MARK}`, { headers: marked });
    await http('/api/health', { headers: marked });

    const log = fs.readFileSync(LOG_FILE, 'utf8');
    expect(log.length, 'the log was captured').toBeGreaterThan(0);
    const found: string[] = [];
    const look = (value: string, what: string) => {
      if (value.length >= 6 && log.includes(value)) found.push(`${what}: ${JSON.stringify(value.slice(0, 60))}`);
    };
    for (const s of secrets) look(s, 'marker value');

    // Everything the run's reports and messages say, every TOTP secret and password hash.
    withDb((db) => {
      const reports = db.prepare('SELECT title, narrative, time_note, place_detail, safety_note, draft_values FROM reports').all() as Record<string, string | null>[];
      for (const { draft_values: draft, ...r } of reports) {
        for (const [field, value] of Object.entries(r)) if (value && value.length >= 12) look(value, `report ${field}`);
        if (draft) {
          const values = JSON.parse(draft) as Record<string, unknown>;
          for (const field of ['title', 'narrative', 'timeNote', 'placeDetail', 'safetyNote']) {
            const value = values[field];
            if (typeof value === 'string' && value.length >= 12) look(value, `draft ${field}`);
          }
        }
      }
      for (const m of db.prepare('SELECT body FROM report_messages').all() as { body: string }[]) if (m.body.length >= 12) look(m.body, 'message');
      for (const a of db.prepare('SELECT totp_secret, password_hash FROM accounts').all() as { totp_secret: string | null; password_hash: string | null }[]) {
        if (a.totp_secret) look(a.totp_secret, 'TOTP secret');
        if (a.password_hash) look(a.password_hash, 'password hash');
      }
    });
    // Tokens and cookies in any form; client addresses and user agents.
    for (const [pattern, what] of [
      [/eyJhbGciOiJkaXIi[\w.-]*/, 'an encrypted session token (JWE)'],
      [/fr\.(session|pending-sign-in)=/, 'a session cookie'],
      [/next-auth\.(csrf-token|session-token|callback-url)/, "a next-auth cookie"],
      [/\$argon2id\$/, 'a password hash'],
      [/\/invite\/[A-Za-z0-9_-]{20,}/, 'an invitation link'],
      [new RegExp(MARKER_IP.replace(/\./g, '\\.')), 'the client IP address'],
      [/(^|[^\d.])127\.0\.0\.1([^\d]|$)|::ffff:127\.0\.0\.1|(^|[^:\w])::1([^:\w]|$)/m, 'a loopback client address'],
      [new RegExp(MARKER_AGENT.replace('/', '\\/')), 'the user agent'],
    ] as const) {
      const m = pattern.exec(log);
      if (m) found.push(`${what}: ${JSON.stringify(log.slice(Math.max(0, m.index - 60), m.index + 80))}`);
    }
    expect(found, `the server log (${LOG_FILE}) holds what it must not`).toEqual([]);
  });
  test("attacker text in an error's message or stack (a callbackUrl's query, a Next-Action header with an address) never reaches the log", async () => {
    const logBefore = fs.readFileSync(LOG_FILE, 'utf8').length;
    const leaks = [`LEAKQ3${MARK}`, `LEAKQ4${MARK}`, `hunter2${MARK}`, '203.0.113.9'];
    const signin = await http(`/api/auth/signin?callbackUrl=%E2%82%AC%20https://evil.example/x?token=${leaks[0]}%26pw=${leaks[2]}`, {
      method: 'POST',
      headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(signin.status).toBeLessThan(500);
    const action = await http('/sign-in', {
      method: 'POST',
      headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'text/plain;charset=UTF-8', 'next-action': `https://evil.example/x?token=${leaks[1]} User-Agent Mozilla 203.0.113.9` },
      body: '[]',
    });
    expect(action.status).toBeLessThan(500);
    // Whatever the server wrote about them is in the log by the time the answers came back.
    const logged = fs.readFileSync(LOG_FILE, 'utf8').slice(logBefore);
    for (const leak of leaks) expect(logged, leak).not.toContain(leak);
  });

  test('after start-up every line is JSON; an unexpected error is one onRequestError line with a request id and no query string', async () => {
    test.setTimeout(60_000);
    const readLines = () => fs.readFileSync(LOG_FILE, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const parsed = (line: string): Record<string, unknown> | null => {
      try {
        const value: unknown = JSON.parse(line);
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    };
    const ROUTE = '/partner/reports/[id]';
    const errorLines = () => readLines().map(parsed).filter((line) => line?.event === 'onRequestError' && line.route === ROUTE) as Record<string, unknown>[];

    // A partner's report with a message: opening it marks the thread read, a database write.
    const partner = await freshPartner(`logerr-${MARK}`);
    const report = seedReport({ authorId: partner.id, status: 'submitted' });
    withDb((db) => db.prepare('INSERT INTO report_messages (report_id, author_id, body) VALUES (?, ?, ?)').run(report.id, partner.id, 'A message the page marks read'));
    const cookie = await signInCookie(partner.codeName, partner.password);
    const before = errorLines().length;

    // Hold the database's write lock: the page's write waits out the busy timeout and fails with
    // SQLITE_BUSY, an error the app does not expect. The query string carries a marker.
    const queryMarker = `query-${MARK}-marker`;
    const clientRequestId = `client-chosen-${MARK}`;
    const db = openTestDb();
    db.exec('BEGIN EXCLUSIVE');
    let status: number;
    try {
      ({ status } = await http(`/partner/reports/${report.id}?${queryMarker}=${queryMarker}`, { cookie, headers: { 'x-request-id': clientRequestId } }));
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
    expect(status).toBeGreaterThanOrEqual(500);
    await expect.poll(() => errorLines().length).toBe(before + 1);
    const line = errorLines().at(-1)!;
    expect(line).toMatchObject({ level: 'error', method: 'GET', routeType: 'render', route: ROUTE, msg: expect.any(String) });
    expect(line.err).toMatchObject({ type: expect.any(String), message: expect.any(String) });
    // server.ts gives every request a fresh id and replaces one a client sent.
    expect(line.requestId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(line.requestId).not.toBe(clientRequestId);
    const log = readLines().join('\n');
    expect(log, 'the query string is never logged').not.toContain(queryMarker);
    expect(log).not.toContain(clientRequestId);

    // Every line after the start-up banner is one JSON object with level, time and msg.
    const lines = readLines();
    const firstJson = lines.findIndex((text) => parsed(text) !== null);
    expect(firstJson, 'the log has JSON lines').toBeGreaterThanOrEqual(0);
    const offending = lines
      .slice(firstJson)
      .filter((text) => {
        const value = parsed(text);
        return !value || typeof value.level !== 'string' || typeof value.time !== 'string' || typeof value.msg !== 'string';
      })
      .map((text) => text.slice(0, 160));
    expect(offending, 'lines after start-up that are not JSON log lines').toEqual([]);
  });
});
