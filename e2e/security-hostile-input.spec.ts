/**
 * Hostile input is stored verbatim or refused, never executed, never a 500 (issue 9; docs/security/README.md
 * "Input and output"). Script and event-handler text, `javascript:` URLs, SQL-looking text, LIKE
 * wildcards, NUL bytes, right-to-left overrides, 10 MB fields, thousands of fields and malformed
 * bodies go into the report form, messages, editor forms, publishing, sign-in, admin forms, every
 * search box and the exports' query parameters. Pages that show the text are opened in Chromium
 * with scripts on: no dialog, no injected element, `window.__xss` never set, the text shown as text.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import {
  BASE_URL,
  SAME_ORIGIN_HEADERS,
  actionIdOf,
  actionReturnValue,
  actionsInBuild,
  callAction,
  countRows,
  demoAccount,
  form,
  freshPartner,
  http,
  ownerHintFor,
  reportFormFields,
  signInCookie,
  withDb,
  type Account,
  type ActionResult,
} from './security-kit';
import { openTestDb } from './fixtures';

const XSS = {
  script: '<script>window.__xss=1</script>',
  img: '"><img src=x onerror="window.__xss=1;alert(1)">',
  svg: '<svg/onload=window.__xss=1>',
  jsUrl: 'javascript:window.__xss=1',
  sql: "'); DROP TABLE reports; -- ' OR '1'='1",
  like: '100% _real_ %_% [a-z]',
  rtl: 'invoice\u202Egnp.exe',
  template: '{{7*7}} ${7*7} #{7*7}',
};
const NUL = 'before\u0000after';
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

const REPORT_ACTION = 'app/(partner)/partner/reports/actions.ts#reportFormAction';
const DECIDE_ACTION = 'app/(editor)/editor/reports/[id]/actions.ts#decideAction';
const THREAD_ACTION = 'app/(editor)/editor/reports/[id]/actions.ts#postToThreadAction';
const REPLY_ACTION = 'app/(partner)/partner/reports/actions.ts#postReportReply';
const PUBLISH_ACTION = 'app/(editor)/editor/reports/[id]/publish/actions.ts#publishFormAction';
const RETRACT_ACTION = 'app/(editor)/editor/reports/[id]/publish/actions.ts#retractFormAction';
const EDITOR_STATE = { ok: true, values: {}, attempt: 0 };

let partner: Account;
let partnerCookie: string;
let editorCookie: string;
let adminCookie: string;

test.beforeAll(async () => {
  partner = await freshPartner('hostile');
  partnerCookie = await signInCookie(partner.codeName, partner.password);
  const editor = demoAccount('editor');
  editorCookie = await signInCookie(editor.codeName, editor.password);
  const admin = demoAccount('admin');
  adminCookie = await signInCookie(admin.codeName, admin.password);
});

function reportState(clientId: string) {
  return { seq: 0, values: { clientId, vehicles: [], goods: [], agencies: [] }, status: 'idle', message: null, fieldErrors: {}, formErrors: [], timeOptions: {}, placeQuery: '', placeMatches: null, focus: null, savedAt: null, reportId: null };
}

async function submitReport(fields: Record<string, string>, intent = 'submit'): Promise<{ result: ActionResult; clientId: string }> {
  const clientId = fields.clientId ?? crypto.randomUUID();
  const result = await callAction({ key: REPORT_ACTION, page: '/partner/reports/new', cookie: partnerCookie, args: [reportState(clientId), form({ ...reportFormFields(clientId), ...fields, intent })] });
  return { result, clientId };
}

/**
 * A client-router request (RSC) carrying `routerState`. Next.js first answers 307 to add its
 * cache-busting `_rsc` parameter; the router follows it with the same headers, and so does this.
 */
async function rscRequest(path: string, routerState: string) {
  const headers = { rsc: '1', 'next-router-state-tree': routerState };
  const first = await http(path, { headers });
  return first.status === 307 && first.location ? http(first.location, { headers }) : first;
}

const SIGN_IN_ACTION = 'app/(auth)/sign-in/actions.ts#signInAction';
const AUTOSAVE_ACTION = 'app/(partner)/partner/reports/actions.ts#autosaveReportDraft';
const SERVER_LOG = path.join(process.env.E2E_DATA_DIR ?? './data/e2e', 'server.log');

/** A multipart body of `[name, value]` parts with boundary `q`, exactly as given (no encoding of names). */
function multipartBody(parts: [string, string][]): string {
  return parts.map(([name, value]) => `--q\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + '--q--\r\n';
}

/**
 * One POST over a raw connection with `Transfer-Encoding: chunked` and no Content-Length (what
 * fetch and browsers never send for a form): the headers and the first 64 KiB chunk of `body` go
 * out, the rest only if the server asks for it by not answering. Resolves with the answer, or
 * status 0 when none came within 10 s while the whole body was sent (the server waited to read
 * it). Stopping early keeps the test clear of the connection reset a client may get when it
 * writes on after an early answer.
 */
function postChunked(urlPath: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const base = new URL(BASE_URL);
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request({ host: '127.0.0.1', port: Number(base.port), path: urlPath, method: 'POST', agent: false, headers: { host: base.host, ...SAME_ORIGIN_HEADERS, 'transfer-encoding': 'chunked', ...headers } });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, text: '' });
    }, 10_000);
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => (answered || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.write(body.subarray(0, 64 * 1024));
    // The rest, slowly, only while no answer has come.
    let at = 64 * 1024;
    const more = setInterval(() => {
      if (answered || req.destroyed || at >= body.length) {
        clearInterval(more);
        if (!answered && !req.destroyed && at >= body.length) req.end();
        return;
      }
      req.write(body.subarray(at, at + 1024 * 1024));
      at += 1024 * 1024;
    }, 200);
  });
}

/** The fullest report the form can hold: every text at its limit, typed in Hangul, every row section full. */
function fullestReportValues(clientId: string) {
  const t = (n: number) => '가'.repeat(n);
  return {
    ...Object.fromEntries(Object.entries(reportFormFields(clientId)).filter(([name]) => !name.includes('.'))),
    clientId,
    observedFromChoice: '',
    observedToChoice: '',
    timeNote: t(500),
    placeDetail: t(500),
    title: t(120),
    narrative: t(20_000),
    safetyNote: t(2_000),
    vehicles: Array.from({ length: 50 }, () => ({ vehicleType: '', count: '3', isEstimate: true, direction: '', colours: t(200), cargo: t(500) })),
    goods: Array.from({ length: 50 }, () => ({ categoryId: '', description: t(500), direction: '', quantity: '1', unit: t(40), value: '', currency: '' })),
    agencies: Array.from({ length: 30 }, () => ({ agencyId: 'other', otherName: t(200), role: '', note: t(1_000) })),
  };
}

function reportRow(clientId: string) {
  return withDb((db) => db.prepare('SELECT * FROM reports WHERE client_id = ?').get(clientId) as Record<string, unknown> | undefined);
}

function version(reportId: number): string {
  return String(withDb((db) => (db.prepare('SELECT version FROM reports WHERE id = ?').get(reportId) as { version: number }).version));
}

/** A browser context signed in with `cookie` (or anonymous), recording dialogs. */
async function inertPage(browser: Browser, cookie: string) {
  const context = await browser.newContext({ baseURL: BASE_URL });
  if (cookie) {
    const [name, ...value] = cookie.split('=');
    await context.addCookies([{ name: name!, value: value.join('='), url: BASE_URL, httpOnly: true, sameSite: 'Lax' }]);
  }
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return { page, dialogs, close: () => context.close() };
}

/** Open `path` and check nothing hostile ran or was injected, and that `texts` are shown as text. */
async function expectInert(page: Page, dialogs: string[], path: string, texts: string[]) {
  const response = await page.goto(path);
  expect(response?.status(), `${path}`).toBeLessThan(500);
  await page.waitForLoadState('networkidle');
  // Open every folded part (the review page folds its long parts), as a reader would, so all of
  // the page's text is there to be read.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
  const state = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
    injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], script:not([src]):not([nonce]), a[href^="javascript:" i], iframe').length,
    text: document.body.innerText,
  }));
  expect(state.xss, `${path}: hostile script ran`).toBeNull();
  expect(state.injected, `${path}: an element was injected`).toBe(0);
  expect(dialogs, `${path}: a dialog opened`).toEqual([]);
  for (const text of texts) expect(state.text, `${path} shows ${JSON.stringify(text)} as text`).toContain(text);
}

test.describe('hostile input', () => {
  test('the report form stores script, SQL, wildcard and RTL text verbatim and every page shows it as text', async ({ browser }) => {
    const fields = {
      title: XSS.img,
      timeNote: XSS.script,
      placeDetail: XSS.sql,
      narrative: Object.values(XSS).join('\n'),
      safetyNote: XSS.svg,
      'vehicles.0.colours': XSS.jsUrl,
      'vehicles.0.cargo': `${XSS.like} ${XSS.rtl}`,
    };
    const { result, clientId } = await submitReport(fields);
    expect(result.status).toBeLessThan(500);
    expect(result.actionRedirect, JSON.stringify(result.value)).toMatch(/^\/partner\/reports\/\d+\?submitted=1$/);
    const row = reportRow(clientId)!;
    expect(row.title).toBe(fields.title);
    expect(row.time_note).toBe(fields.timeNote);
    expect(row.place_detail).toBe(fields.placeDetail);
    expect(row.narrative).toBe(fields.narrative);
    expect(row.safety_note).toBe(fields.safetyNote);
    const vehicle = withDb((db) => db.prepare('SELECT colours, cargo FROM report_vehicles WHERE report_id = ?').get(row.id) as { colours: string; cargo: string });
    expect(vehicle).toEqual({ colours: fields['vehicles.0.colours'], cargo: fields['vehicles.0.cargo'] });
    expect(countRows('reports'), 'the SQL text dropped nothing').toBeGreaterThan(0);

    const asPartner = await inertPage(browser, partnerCookie);
    await expectInert(asPartner.page, asPartner.dialogs, `/partner/reports/${row.id}`, [XSS.img, XSS.script, XSS.sql, XSS.svg]);
    await expectInert(asPartner.page, asPartner.dialogs, '/partner', [XSS.img]);
    await asPartner.close();
    const asEditor = await inertPage(browser, editorCookie);
    await expectInert(asEditor.page, asEditor.dialogs, `/editor/reports/${row.id}`, [XSS.img, XSS.script, XSS.sql, XSS.svg, XSS.jsUrl]);
    await expectInert(asEditor.page, asEditor.dialogs, `/editor?partner=${encodeURIComponent(partner.codeName)}`, [XSS.img]);
    await expectInert(asEditor.page, asEditor.dialogs, `/editor/reports/${row.id}/edit`, []);
    await asEditor.close();
  });

  test('NUL bytes and other control characters in report text are refused for submission; the draft keeps them verbatim', async () => {
    for (const [name, value] of [['title', NUL], ['narrative', `a\u0000b`], ['placeDetail', 'x\u0007y'], ['vehicles.0.cargo', 'bad\u001b[31m']] as const) {
      const { result, clientId } = await submitReport({ [name]: value });
      expect(result.status, name).toBeLessThan(500);
      expect(result.actionRedirect, `${name}: refused`).toBeNull();
      // Never lose what the partner typed: a refused submit keeps the form as a draft, as typed.
      expect((result.value as { status?: string }).status, name).toBe('savedWithProblems');
      const row = reportRow(clientId);
      expect(row?.status, `${name}: not submitted`).toBe('draft');
      expect(row?.submitted_at, `${name}: not submitted`).toBeNull();
      expect(row?.title, `${name}: no structured content written`).toBe('');
      expect(String(row?.draft_values), `${name}: kept verbatim in the draft`).toContain(JSON.stringify(value).slice(1, -1));
    }
  });

  test('messages, notes, decisions, publication and retraction keep hostile text inert', async ({ browser }) => {
    const { result, clientId } = await submitReport({ title: `Thread ${crypto.randomBytes(3).toString('hex')}` });
    expect(result.actionRedirect).toMatch(/^\/partner\/reports\/\d+/);
    const reportId = Number(reportRow(clientId)!.id);
    const ok = (r: ActionResult, what: string) => {
      expect(r.status, what).toBeLessThan(500);
      expect(r.actionRedirect ?? '', `${what}: ${JSON.stringify(r.value)}`).toMatch(/^\/editor\/reports\//);
    };
    const editor = (key: string, fields: Record<string, string>) =>
      callAction({ key, page: `/editor/reports/${reportId}`, cookie: editorCookie, args: [EDITOR_STATE, form({ reportId: String(reportId), version: version(reportId), ...fields })] });

    ok(await editor(DECIDE_ACTION, { action: 'claim' }), 'claim');
    ok(await editor(THREAD_ACTION, { kind: 'message', body: `${XSS.img} ${XSS.sql}` }), 'message to the partner');
    ok(await editor(THREAD_ACTION, { kind: 'note', body: `${XSS.svg} ${XSS.rtl}` }), 'internal note');
    const reply = await callAction({
      key: REPLY_ACTION,
      page: `/partner/reports/${reportId}`,
      cookie: partnerCookie,
      args: [{ seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' }, form({ reportId: String(reportId), body: `${XSS.script} ${XSS.template}` })],
    });
    expect((reply.value as { ok?: boolean }).ok, JSON.stringify(reply.value)).toBe(true);
    const bodies = withDb((db) => (db.prepare('SELECT body FROM report_messages WHERE report_id = ? ORDER BY id').all(reportId) as { body: string }[]).map((m) => m.body));
    expect(bodies).toEqual([`${XSS.img} ${XSS.sql}`, `${XSS.svg} ${XSS.rtl}`, `${XSS.script} ${XSS.template}`]);

    ok(await editor(DECIDE_ACTION, { action: 'verify', sourceReliability: 'B', informationCredibility: '2', note: XSS.jsUrl }), 'verify');
    const publish = await callAction({
      key: PUBLISH_ACTION,
      page: `/editor/reports/${reportId}/publish`,
      cookie: editorCookie,
      args: [
        { status: 'idle', message: null, fieldErrors: {}, values: {}, preview: null },
        form({ reportId: String(reportId), version: version(reportId), intent: 'publish', titleEn: XSS.img, summaryEn: `=HYPERLINK("http://evil.example","x") ${XSS.script}`, placeCoarsening: 'province', timeCoarsening: 'day' }),
      ],
    });
    expect(publish.actionRedirect, JSON.stringify(publish.value)).toMatch(/publish\?done=published$/);
    const publicId = withDb((db) => (db.prepare('SELECT public_id AS id FROM publications WHERE report_id = ?').get(reportId) as { id: string }).id);

    const asEditor = await inertPage(browser, editorCookie);
    await expectInert(asEditor.page, asEditor.dialogs, `/editor/reports/${reportId}`, [XSS.img, XSS.svg, XSS.script]);
    await expectInert(asEditor.page, asEditor.dialogs, `/editor/reports/${reportId}/publish`, []);
    await asEditor.close();
    const asPartner = await inertPage(browser, partnerCookie);
    await expectInert(asPartner.page, asPartner.dialogs, `/partner/reports/${reportId}`, [XSS.img, XSS.script]);
    await asPartner.close();
    const anonymous = await inertPage(browser, '');
    await expectInert(anonymous.page, anonymous.dialogs, `/reports/${publicId}`, [XSS.img, XSS.script]);
    await expectInert(anonymous.page, anonymous.dialogs, '/reports', [XSS.img]);

    // Machine-readable output: escaped for its format, and no spreadsheet formula.
    const feed = await http('/feed.xml');
    expect(feed.text).not.toContain('<script>window.__xss');
    expect(feed.text).not.toContain('<img src=x');
    const csv = await http('/exports/reports.csv');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"") ${XSS.script}"`);
    const json = JSON.parse((await http('/exports/reports.json')).text) as unknown;
    expect(JSON.stringify(json)).toContain(JSON.stringify(XSS.img).slice(1, -1));

    const retract = await callAction({
      key: RETRACT_ACTION,
      page: `/editor/reports/${reportId}/publish`,
      cookie: editorCookie,
      args: [{ message: null, fieldErrors: {}, reason: '' }, form({ reportId: String(reportId), version: version(reportId), reason: `${XSS.svg} ${XSS.sql}`, confirm: 'yes' })],
    });
    expect(retract.actionRedirect, JSON.stringify(retract.value)).toMatch(/done=retracted$/);
    await expectInert(anonymous.page, anonymous.dialogs, `/reports/${publicId}`, [`${XSS.svg} ${XSS.sql}`]);
    await anonymous.close();
  });

  test('sign-in with hostile code names and passwords is refused alike, never signs anyone in', async () => {
    const attempts: [string, string][] = [
      ["' OR '1'='1' --", "' OR '1'='1"],
      ['%', '%'],
      ['_', '_'],
      ['admin%', 'x'],
      ['ADMIN\u0000', 'demo-admin-password'],
      [XSS.script, XSS.img],
      ['\u202Enimda', 'x'],
      ['admin', TEN_MB],
      [TEN_MB, 'x'],
      ['', ''],
      [partner.codeName, `wrong-password-marker-${crypto.randomBytes(4).toString('hex')}`],
    ];
    for (const [i, [codeName, password]] of attempts.entries()) {
      const result = await callAction({
        key: 'app/(auth)/sign-in/actions.ts#signInAction',
        page: '/sign-in',
        args: [{ ok: false, values: { codeName: '' } }, form({ codeName, password })],
        // Each attempt from its own address, so the loopback address's throttle is not spent here.
        headers: { ...SAME_ORIGIN_HEADERS, 'x-forwarded-for': `198.51.100.${i + 10}` },
      });
      const what = `sign-in as ${JSON.stringify(codeName.slice(0, 40))}`;
      expect(result.status, what).toBeLessThan(500);
      expect(result.actionRedirect, what).toBeNull();
      expect(result.headers.getSetCookie().some((c) => /fr\.session=[^;]/.test(c)), `${what}: no session`).toBe(false);
      expect((result.value as { ok?: boolean }).ok, what).toBe(false);
      if (password.startsWith('wrong-password-marker-')) expect(result.text, `${what}: the password is never echoed`).not.toContain(password);
      expect(result.text.length, `${what}: the answer does not echo a 10 MB field`).toBeLessThan(100_000);
    }
  });

  test('admin forms: hostile names are stored verbatim or refused and shown as text', async ({ browser }) => {
    const account = await callAction({ key: 'app/(admin)/admin/actions.ts#createAccountAction', page: '/admin', cookie: adminCookie, args: [{ ok: true }, form({ codeName: XSS.img, role: 'partner' })] });
    expect(account.status).toBeLessThan(500);
    const accepted = (account.value as { ok?: boolean }).ok === true;
    expect(countRows('accounts', 'code_name = ?', XSS.img), accepted ? 'accepted: stored verbatim' : 'refused: nothing stored').toBe(accepted ? 1 : 0);

    const nameEn = `${XSS.img} ${crypto.randomBytes(3).toString('hex')}`;
    const added = await callAction({
      key: 'app/(admin)/admin/lists/actions.ts#addEntryAction',
      page: '/admin/lists',
      cookie: adminCookie,
      args: [{ ok: true }, form({ list: 'agencies', nameEn, nameKo: XSS.script, kind: 'trading_company' })],
    });
    expect((added.value as { ok?: boolean }).ok, JSON.stringify(added.value)).toBe(true);
    expect(countRows('agencies', 'name_en = ? AND name_ko = ?', nameEn, XSS.script)).toBe(1);
    const tooLong = await callAction({
      key: 'app/(admin)/admin/lists/actions.ts#addEntryAction',
      page: '/admin/lists',
      cookie: adminCookie,
      args: [{ ok: true }, form({ list: 'agencies', nameEn: TEN_MB, nameKo: 'x', kind: 'trading_company' })],
    });
    expect(tooLong.status).toBeLessThan(500);
    expect(countRows('agencies', 'length(name_en) > 1000')).toBe(0);

    const asAdmin = await inertPage(browser, adminCookie);
    await expectInert(asAdmin.page, asAdmin.dialogs, '/admin/lists?list=agencies', [nameEn]);
    await expectInert(asAdmin.page, asAdmin.dialogs, '/admin', []);
    await expectInert(asAdmin.page, asAdmin.dialogs, '/admin/audit', []);
    // The new agency's own page, and the partner's report form that lists it.
    const agencyId = withDb((db) => (db.prepare('SELECT id FROM agencies WHERE name_en = ?').get(nameEn) as { id: string }).id);
    await expectInert(asAdmin.page, asAdmin.dialogs, `/admin/lists/agencies/${encodeURIComponent(agencyId)}`, [nameEn]);
    await asAdmin.close();
    const asPartner = await inertPage(browser, partnerCookie);
    await expectInert(asPartner.page, asPartner.dialogs, '/partner/reports/new', []);
    await asPartner.close();
  });

  test('LIKE wildcards match nothing in any search box', async () => {
    // Gazetteer search of the report form (the no-script search button).
    const search = async (placeQuery: string) => {
      const clientId = crypto.randomUUID();
      const result = await callAction({ key: REPORT_ACTION, page: '/partner/reports/new', cookie: partnerCookie, args: [reportState(clientId), form({ ...reportFormFields(clientId), placeQuery, intent: 'search-place' })] });
      expect(result.status, placeQuery).toBeLessThan(500);
      return (result.value as { placeMatches?: string[] | null }).placeMatches;
    };
    expect(await search('Hyesan'), 'control: a real name matches').toContain('kp-hyesan');
    for (const wildcard of ['%', '_', '%%', '%_%', '\\', "' OR 1=1 --", '*', '.*']) {
      expect(await search(wildcard), `gazetteer search for ${wildcard}`).toEqual([]);
    }

    // Moderation queue: the partner filter.
    expect((await submitReport({})).result.actionRedirect).toMatch(/^\/partner\/reports\/\d+/);
    // A queue row's link carries the queue after the id (?partner=…&at=…).
    const reportLinks = (html: string) => (html.match(/href="\/editor\/reports\/\d+[?"]/g) ?? []).length;
    const control = await http(`/editor?partner=${encodeURIComponent(partner.codeName)}`, { cookie: editorCookie });
    expect(reportLinks(control.text), 'control: the partner filter finds their reports').toBeGreaterThan(0);
    for (const wildcard of ['%', '_', `${partner.codeName.slice(0, 4)}%`, partner.codeName.replace(/.$/, '_')]) {
      const result = await http(`/editor?partner=${encodeURIComponent(wildcard)}`, { cookie: editorCookie });
      expect(result.status, `queue partner=${wildcard}`).toBe(200);
      expect(reportLinks(result.text), `queue partner=${wildcard}`).toBe(0);
    }
    for (const query of ['place=%25', 'agency=_', 'from=%25&to=_', 'status=%25', 'sort=%25', 'cursor=%25']) {
      expect((await http(`/editor?${query}`, { cookie: editorCookie })).status, `queue ${query}`).toBe(200);
    }

    // Audit log filters.
    for (const query of ['actor=%25', 'kind=%25', 'kind=_', 'from=%25&to=_', 'before=%25']) {
      expect((await http(`/admin/audit?${query}`, { cookie: adminCookie })).status, `audit ${query}`).toBe(200);
    }

    // Public filters and exports: a wildcard is no filter value of ours, so it matches nothing.
    for (const query of ['place=%25', 'place=_', 'vehicle=%25', 'category=_', 'category=%25', 'agency=%25', 'agency=_']) {
      const page = await http(`/reports?${query}`);
      expect(page.status, `/reports?${query}`).toBeLessThan(500);
      const exported = await http(`/exports/reports.json?${query}`);
      expect(exported.status, `/exports/reports.json?${query}`).toBeLessThan(500);
      if (exported.status === 200) {
        const body = JSON.parse(exported.text) as { rows?: unknown[] } | unknown[];
        const rows = Array.isArray(body) ? body : (body.rows ?? []);
        expect(rows.length, `/exports/reports.json?${query} matched rows`).toBe(0);
      }
    }
  });

  test("exports' and feeds' query parameters never cause a 500 and are never reflected as markup", async ({ browser }) => {
    const hostile = [
      `place=${encodeURIComponent(XSS.script)}`,
      `from=${encodeURIComponent(XSS.sql)}`,
      'from=9999-99-99&to=0000-00-00',
      'to=2018-02-30',
      'page=-1',
      'page=1e309',
      'cursor=AAAA%00',
      `cursor=${'A'.repeat(10_000)}`,
      'lang=%00',
      `lang=${encodeURIComponent(XSS.img)}`,
      'place=a&place=b&place=c',
      'vehicle[]=car',
      '__proto__[x]=1',
      `agency=${encodeURIComponent(XSS.rtl)}`,
    ];
    for (const path of ['/exports/reports.csv', '/exports/reports.json', '/feed.xml', '/reports', '/stats']) {
      for (const query of hostile) {
        const result = await http(`${path}?${query}`);
        expect(result.status, `${path}?${query.slice(0, 60)}`).toBeLessThan(500);
        expect(result.text, `${path}?${query.slice(0, 60)} reflects markup`).not.toContain('<script>window.__xss');
        expect(result.text).not.toContain('<img src=x');
      }
    }
    // Next.js's image optimizer (unused here) fetches nothing from elsewhere.
    for (const url of ['https://evil.example/a.avif', '//evil.example/a.png', 'http://127.0.0.1:22/']) {
      const image = await http(`/_next/image?url=${encodeURIComponent(url)}&w=64&q=75`);
      expect(image.status, `/_next/image?url=${url}`).toBeGreaterThanOrEqual(400);
      expect(image.status, `/_next/image?url=${url}`).toBeLessThan(500);
    }
    const anonymous = await inertPage(browser, '');
    await expectInert(anonymous.page, anonymous.dialogs, `/reports?from=${encodeURIComponent(`"><svg onload=window.__xss=1>`)}&place=${encodeURIComponent(XSS.script)}`, []);
    await anonymous.close();
  });

  test('oversized fields and thousands of fields are refused with nothing stored', async () => {
    // 10 MB title in the report form.
    const big = await submitReport({ title: TEN_MB });
    expect(big.result.status).toBeLessThan(500);
    expect(reportRow(big.clientId), '10 MB title: nothing stored').toBeUndefined();

    // 10,000 fields.
    const clientId = crypto.randomUUID();
    const many: Record<string, string> = { ...reportFormFields(clientId), intent: 'submit' };
    for (let i = 0; i < 10_000; i += 1) many[`extra${i}`] = 'x';
    const flood = await callAction({ key: REPORT_ACTION, page: '/partner/reports/new', cookie: partnerCookie, args: [reportState(clientId), form(many)] });
    expect(flood.status).toBeLessThan(500);
    expect(reportRow(clientId), '10,000 fields: nothing stored').toBeUndefined();

    // 10 MB message from an editor, and from a partner.
    const { clientId: threadClient } = await submitReport({});
    const reportId = Number(reportRow(threadClient)!.id);
    const before = countRows('report_messages', 'report_id = ?', reportId);
    const editorMessage = await callAction({
      key: THREAD_ACTION,
      page: `/editor/reports/${reportId}`,
      cookie: editorCookie,
      args: [EDITOR_STATE, form({ reportId: String(reportId), version: version(reportId), kind: 'message', body: TEN_MB })],
    });
    expect(editorMessage.status).toBeLessThan(500);
    const partnerReply = await callAction({
      key: REPLY_ACTION,
      page: `/partner/reports/${reportId}`,
      cookie: partnerCookie,
      args: [{ seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' }, form({ reportId: String(reportId), body: TEN_MB })],
    });
    expect(partnerReply.status).toBeLessThan(500);
    expect(countRows('report_messages', 'report_id = ?', reportId)).toBe(before);

    // A body over the 12 MB cap.
    const huge = await callAction({ key: REPORT_ACTION, page: '/partner/reports/new', cookie: partnerCookie, args: [reportState(clientId), form({ ...reportFormFields(clientId), narrative: 'y'.repeat(13 * 1024 * 1024), intent: 'submit' })] });
    expect(huge.status).toBeLessThan(500);
    expect(reportRow(clientId)).toBeUndefined();
  });

  test('100,000 form fields are refused with 413 before any parsing, and nothing is stored', async () => {
    const clientId = crypto.randomUUID();
    const many: Record<string, string> = { ...reportFormFields(clientId), intent: 'submit' };
    for (let i = 0; i < 100_000; i += 1) many[`extra${i}`] = 'x';
    const flood = await callAction({ key: REPORT_ACTION, page: '/partner/reports/new', cookie: partnerCookie, args: [reportState(clientId), form(many)] });
    expect(flood.status).toBe(413);
    expect(flood.headers.get('cache-control')).toBe('no-store');
    expect(reportRow(clientId), '100,000 fields: nothing stored').toBeUndefined();

    // The same as a no-script post and as a url-encoded body (next-auth's sign-in callback).
    const noScript = new FormData();
    for (let i = 0; i < 100_000; i += 1) noScript.append(`f${i}`, 'x');
    expect((await http('/partner/reports/new', { method: 'POST', cookie: partnerCookie, headers: SAME_ORIGIN_HEADERS, body: noScript })).status).toBe(413);
    const encoded = Array.from({ length: 100_000 }, (_, i) => `f${i}=x`).join('&');
    const callback = await http('/api/auth/callback/credentials', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: encoded });
    expect(callback.status).toBe(413);
    expect(callback.headers.getSetCookie().some((c) => /fr\.session=[^;]/.test(c)), 'no session').toBe(false);

    // The largest form our pages send (every row section full, ~800 fields) still goes through.
    const fullRows: Record<string, string | string[]> = { ...reportFormFields(crypto.randomUUID()), intent: 'save' };
    for (let i = 0; i < 50; i += 1) for (const f of ['vehicleType', 'count', 'isEstimate', 'direction', 'colours', 'cargo']) fullRows[`vehicles.${i}.${f}`] = '';
    for (let i = 0; i < 50; i += 1) for (const f of ['categoryId', 'description', 'direction', 'quantity', 'unit', 'value', 'currency']) fullRows[`goods.${i}.${f}`] = '';
    for (let i = 0; i < 30; i += 1) for (const f of ['agencyId', 'otherName', 'role', 'note']) fullRows[`agencies.${i}.${f}`] = '';
    const full = await callAction({ key: REPORT_ACTION, page: '/partner/reports/new', cookie: partnerCookie, args: [reportState(String(fullRows.clientId)), form(fullRows)] });
    expect(full.status, 'the full report form is not refused').toBe(200);
    expect(reportRow(String(fullRows.clientId))?.status, 'the full report form saved its draft').toBe('draft');
  });

  test('deeply nested JSON in a Server Action call is answered 400 and never reaches the action', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    // The autosave action takes one plain value, so React would send it as a text/plain body.
    const autosave = actionIdOf('app/(partner)/partner/reports/actions.ts#autosaveReportDraft')!;
    const drafts = countRows('reports', 'author_id = ?', partner.id);
    const text = await http('/partner/reports/new', { method: 'POST', cookie: partnerCookie, headers: { ...SAME_ORIGIN_HEADERS, 'next-action': autosave, 'content-type': 'text/plain;charset=UTF-8' }, body: `[${deep}]` });
    expect(text.status).toBe(400);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const parts = new FormData();
    parts.append('0', deep);
    const multipart = await http('/partner/reports/new', { method: 'POST', cookie: partnerCookie, headers: { ...SAME_ORIGIN_HEADERS, 'next-action': autosave }, body: parts });
    expect(multipart.status).toBe(400);
    expect(countRows('reports', 'author_id = ?', partner.id), 'no draft saved').toBe(drafts);
    // Brackets in what a person typed are text, not nesting: a narrative of 5,000 '[' is saved.
    const { result, clientId } = await submitReport({ narrative: '['.repeat(5_000) }, 'save');
    expect(result.status).toBe(200);
    expect(String(reportRow(clientId)?.draft_values)).toContain('['.repeat(5_000));
  });

  test('a malformed Next-Router-State-Tree header is answered 400, a real one passes', async () => {
    // Checked by the app's server before Next.js parses it (lib/http/router-state-guard.ts).
    for (const value of ['garbage', '%FF', '%5B1%5D', encodeURIComponent('["",{},"x"]'), encodeURIComponent(`${'['.repeat(1_000)}${']'.repeat(1_000)}`)]) {
      const result = await rscRequest('/reports', value);
      expect(result.status, value.slice(0, 40)).toBe(400);
      expect(result.headers.get('cache-control'), value.slice(0, 40)).toBe('no-store');
    }
    // Longer than Node's header limit (16 KiB): Node answers 431 itself.
    expect((await rscRequest('/reports', 'x'.repeat(50_000))).status).toBe(431);
    const real = encodeURIComponent(JSON.stringify(['', { children: ['reports', { children: ['__PAGE__', {}, null, null] }, null, null] }, null, null]));
    expect((await rscRequest('/reports', real)).status).toBe(200);
  });

  test("next-auth's error page answers a malformed or non-word error code with 400, and so does a path that does not percent-decode", async () => {
    for (const path of ['/api/auth/error?error=%FF', '/api/auth/error?error=%E2%82%AC', '/api/auth/error?error=a%0Ab', '/api/auth/error/%E2%82%AC', '/api/auth/%FF', '/reports/%FF', '/photos/%C0']) {
      const result = await http(path);
      expect(result.status, path).toBe(400);
      expect(result.headers.get('cache-control'), path).toBe('no-store');
    }
    for (const code of ['CredentialsSignin', 'Configuration']) {
      const known = await http(`/api/auth/error?error=${code}`);
      expect(known.status, `${code}: a real error code is still redirected to sign-in`).toBe(302);
      expect(known.location, code).toContain(`error=${code}`);
    }
  });

  test('malformed bodies to every Server Action and mutating route are refused, never a 500', async () => {
    const malformed: { label: string; headers: Record<string, string>; body: string }[] = [
      { label: 'bad multipart', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n[broken' },
      { label: 'multipart without a boundary', headers: { 'content-type': 'multipart/form-data' }, body: 'a=b' },
      { label: 'JSON where a form is expected', headers: { 'content-type': 'application/json' }, body: '{"codeName":"admin","password":"x"}' },
      { label: 'a JSON argument list of strings', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '["a","b"]' },
      { label: 'text that is not JSON', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'garbage{' },
      { label: 'url-encoded', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b&c=d' },
      { label: 'a further numbered part that is not JSON', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$1"]\r\n--xyz\r\nContent-Disposition: form-data; name="1"\r\n\r\n{broken\r\n--xyz--\r\n' },
      { label: 'bound-action data that is not JSON', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="$ACTION_REF_1"\r\n\r\n\r\n--xyz\r\nContent-Disposition: form-data; name="$ACTION_1:0"\r\n\r\n{broken\r\n--xyz\r\nContent-Disposition: form-data; name="$ACTION_KEY"\r\n\r\nk\r\n--xyz--\r\n' },
      { label: 'JSON nested 100,000 deep', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
      { label: 'multipart whose argument list is nested 100,000 deep', headers: { 'content-type': 'multipart/form-data; boundary=q' }, body: `--q\r\nContent-Disposition: form-data; name="0"\r\n\r\n${'['.repeat(100_000)}${']'.repeat(100_000)}\r\n--q--\r\n` },
    ];
    const actions = actionsInBuild();
    expect(actions.length).toBeGreaterThan(20);
    for (const action of actions) {
      const page = action.workers[0]!.replace(/^app/, '').replace(/\/page$/, '').replace(/\/\([^)]+\)/g, '').replace(/\[[^\]]+\]/g, '1') || '/';
      for (const m of malformed) {
        const result = await http(page, { method: 'POST', cookie: adminCookie, headers: { ...SAME_ORIGIN_HEADERS, 'next-action': action.id, ...m.headers }, body: m.body });
        expect(result.status, `${action.key} with ${m.label} at ${page}`).toBeLessThan(500);
      }
      // A no-script post naming the action directly with the wrong argument shape.
      const noScript = new FormData();
      noScript.append(`$ACTION_ID_${action.id}`, '');
      noScript.append('codeName', 'x');
      const result = await http(page, { method: 'POST', cookie: adminCookie, headers: SAME_ORIGIN_HEADERS, body: noScript });
      expect(result.status, `${action.key} as a no-script $ACTION_ID_ post`).toBeLessThan(500);
    }
    // Garbage posted to pages, and to the mutating route handlers.
    for (const path of ['/', '/sign-in', '/partner/reports/new', '/editor', '/admin', '/sign-out', '/api/auth/callback/credentials', '/api/health', '/partner/reports/1/photos/upload']) {
      for (const m of malformed) {
        const result = await http(path, { method: 'POST', cookie: partnerCookie, headers: { ...SAME_ORIGIN_HEADERS, ...m.headers }, body: m.body });
        expect(result.status, `POST ${path} with ${m.label}`).toBeLessThan(500);
      }
    }
    // An unknown action id.
    const emptyCall = new FormData();
    emptyCall.append('0', '[]');
    const unknown = await http('/', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'next-action': 'ab'.repeat(21) }, body: emptyCall });
    expect(unknown.status).toBeLessThan(500);
  });
});

test.describe('request limits and calls React cannot decode', () => {
  // The sweep above posts to /sign-out with the partner's cookie, which ends that session.
  test.beforeAll(async () => {
    partnerCookie = await signInCookie(partner.codeName, partner.password);
  });

  test("large shallow JSON in a Server Action call is refused with 413 before React decodes it, while the fullest report's autosave still saves", async () => {
    const signIn = actionIdOf(SIGN_IN_ACTION)!;
    const bodies: [string, string][] = [
      ['an object of 600,000 keys (6.8 MB)', `[{${Array.from({ length: 600_000 }, (_, i) => `"k${i}":0`).join(',')}}]`],
      ['900,000 small objects (6.9 MB)', `[${Array(900_000).fill('{"a":1}').join(',')}]`],
      ['5.5 million zeros (10.5 MB)', `[${Array(5_500_000).fill('0').join(',')}]`],
      ['30,000 zeros (60 KB: too many values, not too many bytes)', `[${Array(30_000).fill('0').join(',')}]`],
    ];
    for (const [label, body] of bodies) {
      // Anonymous, before any authorisation: React's decoder used to walk it all (1.4–1.9 s each).
      const result = await http('/sign-in', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'next-action': signIn, 'content-type': 'text/plain;charset=UTF-8' }, body });
      expect(result.status, label).toBe(413);
      expect(result.headers.get('content-type'), label).toMatch(/^text\/plain/);
    }
    // Four at once, and a page asked for meanwhile is answered.
    const big = bodies[0]![1];
    const flood = Array.from({ length: 4 }, () => http('/sign-in', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'next-action': signIn, 'content-type': 'text/plain;charset=UTF-8' }, body: big }));
    expect((await http('/api/health')).status).toBe(200);
    expect((await Promise.all(flood)).map((r) => r.status)).toEqual([413, 413, 413, 413]);

    // The largest autosave the report form makes (every field full, in Hangul: about 385 KB) is saved.
    const clientId = crypto.randomUUID();
    const autosave = await http('/partner/reports/new', {
      method: 'POST',
      cookie: partnerCookie,
      headers: { ...SAME_ORIGIN_HEADERS, accept: 'text/x-component', 'next-action': actionIdOf(AUTOSAVE_ACTION)!, 'content-type': 'text/plain;charset=UTF-8' },
      // Bound to the partner's account as the form's autosave is (lib/auth/tab-owner.ts).
      body: JSON.stringify([{ ...fullestReportValues(clientId), _keptOwner: await ownerHintFor(partnerCookie) }]),
    });
    expect(autosave.status).toBe(200);
    const saved = actionReturnValue(autosave.text) as { ok?: boolean } | undefined;
    expect(saved?.ok, JSON.stringify(saved).slice(0, 300)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify([fullestReportValues(clientId)]))).toBeGreaterThan(300_000);
    expect(String(reportRow(clientId)?.draft_values).includes('가'.repeat(20_000)), 'the fullest draft is saved').toBe(true);
  });

  test('a Server Action call whose arguments React cannot decode is answered 400, never a 500 or Next\'s error payload', async () => {
    const signIn = actionIdOf(SIGN_IN_ACTION)!;
    const autosave = actionIdOf(AUTOSAVE_ACTION)!;
    const mp = 'multipart/form-data; boundary=q';
    const text = 'text/plain;charset=UTF-8';
    const calls: { label: string; contentType: string; body: string; script?: false }[] = [
      ...['["$K1","$Q2","$@3"]', '["$F1"]', '["$h1"]', '["$Sfoo"]', '["$B1"]', '["$AB1"]', '["$i1"]', '["$0:__proto__:constructor"]'].map((body) => ({ label: body, contentType: text, body })),
      { label: 'part 0 ["$Q1"] with a part 1 that is no Map', contentType: mp, body: multipartBody([['0', '["$Q1"]'], ['1', '{"a":1}']]) },
      { label: 'part 0 ["$W1"] with a part 1 that is no Set', contentType: mp, body: multipartBody([['0', '["$W1"]'], ['1', '5']]) },
      { label: 'part 0 ["$5","$K9"]: missing parts', contentType: mp, body: multipartBody([['0', '["$5","$K9"]']]) },
      { label: 'a chain of 1,500 references', contentType: mp, body: multipartBody([['0', '["$1"]'], ...Array.from({ length: 1_500 }, (_, i): [string, string] => [String(i + 1), `"$${i + 2}"`]), ['1501', '1']]) },
      { label: 'part 1 nested 200,000 deep', contentType: mp, body: multipartBody([['0', '["$1"]'], ['1', `${'['.repeat(200_000)}${']'.repeat(200_000)}`]]) },
      { label: 'no-script: $ACTION_1:1 is {bad', contentType: mp, script: false, body: multipartBody([['$ACTION_REF_1', ''], ['$ACTION_1:0', `{"id":"${signIn}","bound":"$@1"}`], ['$ACTION_1:1', '{bad']]) },
      { label: 'no-script: $ACTION_1:1 nested 10,000 deep', contentType: mp, script: false, body: multipartBody([['$ACTION_REF_1', ''], ['$ACTION_1:0', `{"id":"${signIn}","bound":"$@1"}`], ['$ACTION_1:1', `${'['.repeat(10_000)}${']'.repeat(10_000)}`]]) },
      { label: 'no-script: bound data React cannot decode', contentType: mp, script: false, body: multipartBody([['$ACTION_REF_1', ''], ['$ACTION_1:0', `{"id":"${signIn}","bound":"$@1"}`], ['$ACTION_1:1', '["$Q5"]']]) },
    ];
    for (const [page, id, cookie] of [['/sign-in', signIn, ''], ['/partner/reports/new', autosave, partnerCookie]] as const) {
      for (const call of calls) {
        const body = call.script === false ? call.body.replaceAll(signIn, id) : call.body;
        const headers = { ...SAME_ORIGIN_HEADERS, 'content-type': call.contentType, ...(call.script === false ? {} : { accept: 'text/x-component', 'next-action': id }) };
        const result = await http(page, { method: 'POST', cookie, headers, body });
        expect(result.status, `${page}: ${call.label}`).toBe(400);
        expect(result.headers.get('content-type'), `${page}: ${call.label}`).toMatch(/^text\/plain/);
        expect(result.text, `${page}: ${call.label}: no error payload`).toMatch(/^Malformed (Server Action call|request)/);
      }
    }
  });

  test('an error inside a Server Action that has started stays a 500 (a bug of ours is not passed off as bad input)', async () => {
    test.setTimeout(60_000);
    const { clientId } = await submitReport({});
    const reportId = Number(reportRow(clientId)!.id);
    // Hold the database's write lock: the reply's write waits out the busy timeout and fails.
    const db = openTestDb();
    db.exec('BEGIN EXCLUSIVE');
    let reply: ActionResult;
    try {
      reply = await callAction({ key: REPLY_ACTION, page: `/partner/reports/${reportId}`, cookie: partnerCookie, args: [{ seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' }, form({ reportId: String(reportId), body: 'held by the lock' })] });
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
    expect(reply.status).toBe(500);
    expect(reply.text).not.toContain('Malformed');
  });

  test("next-auth's error page refuses a repeated error parameter whose later value is not a plain word, and logs nothing of it", async () => {
    const mark = crypto.randomBytes(5).toString('hex');
    const logBefore = fs.readFileSync(SERVER_LOG, 'utf8').length;
    for (const query of ['error=x&error=%FF', 'error=Configuration&error=%E2%82%AC', 'error=Configuration&error=a%0Ab', `error=Configuration&error=${mark}%0A${mark}`]) {
      const result = await http(`/api/auth/error?${query}`);
      expect(result.status, query).toBe(400);
      expect(result.headers.get('cache-control'), query).toBe('no-store');
    }
    const known = await http('/api/auth/error?error=Configuration&error=CredentialsSignin');
    expect(known.status).toBe(302);
    expect(known.location).toContain('error=CredentialsSignin');
    const logged = fs.readFileSync(SERVER_LOG, 'utf8').slice(logBefore);
    expect(logged, "the attacker's text is not in the log").not.toContain(mark);
    expect(logged.split('\n').filter((line) => line.includes('"level":"error"')), 'no error line').toEqual([]);
  });

  test('a request body of undeclared length (chunked) is refused with 411 before anything reads it, and its query string is never logged', async () => {
    const mark = `secret-query-${crypto.randomBytes(5).toString('hex')}`;
    const logBefore = fs.readFileSync(SERVER_LOG, 'utf8').length;
    // 15 MB: it used to be cut silently at 12 MB by Next's proxy buffer, and the rest processed.
    const big = Buffer.from(`codeName=${encodeURIComponent(partner.codeName)}&password=x&${'a='.padEnd(15 * 1024 * 1024, 'x')}`);
    for (const urlPath of [`/api/health?${mark}=1`, '/api/auth/callback/credentials', '/sign-in']) {
      const result = await postChunked(urlPath, big, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(result.status, urlPath).toBe(411);
    }
    // A small chunked Server Action call is refused the same way.
    const small = await postChunked('/sign-in', Buffer.from('[]'), { 'next-action': actionIdOf(SIGN_IN_ACTION)!, 'content-type': 'text/plain;charset=UTF-8' });
    expect(small.status).toBe(411);
    // Declared over 12 MiB: 413 from the headers.
    const declared = await http(`/api/health?${mark}=2`, { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(13 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(fs.readFileSync(SERVER_LOG, 'utf8').slice(logBefore), 'no query string in the log').not.toContain(mark);
  });
});

test.describe("the attacker's retest: cheap stalls, next-auth's 500s, the 400 for malformed calls", () => {
  const B = 'XyZ123boundary';
  const MP = `multipart/form-data; boundary=${B}`;
  /** One part with 2.4 million `A:b` header lines (11.4 MB): undici's parser held the server ~2 s on it. */
  const HUGE_PART_HEADERS = `--${B}\r\nContent-Disposition: form-data; name="f0"\r\n${'A:b\r\n'.repeat(2_400_000)}\r\nv\r\n--${B}--\r\n`;
  /** 1,999 parts with 700 `X-A: b` lines each (10.8 MB): 1.4–1.7 s. */
  const MANY_PART_HEADERS = `${Array.from({ length: 1_999 }, (_, i) => `--${B}\r\nContent-Disposition: form-data; name="f${i}"\r\n${'X-A: b\r\n'.repeat(700)}\r\nv\r\n`).join('')}--${B}--\r\n`;

  test('multipart posts with huge part headers are refused with 413 before parsing, and a page asked for meanwhile is answered', async () => {
    test.setTimeout(90_000);
    for (const [label, body] of [['one part of 2.4 million header lines', HUGE_PART_HEADERS], ['1,999 parts of 700 header lines', MANY_PART_HEADERS]] as const) {
      const started = Date.now();
      const result = await http('/sign-in', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'content-type': MP }, body });
      test.info().annotations.push({ type: 'timing', description: `${label}: ${result.status} in ${Date.now() - started} ms (was 400 after 1.4–2.3 s)` });
      expect(result.status, label).toBe(413);
      expect(result.text, label).toMatch(/^Request too large: multipart part headers too large/);
    }
    // Four at once (they held a GET for 4.3 s): each is refused, and the health check is answered meanwhile.
    const flood = Array.from({ length: 4 }, () => http('/sign-in', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'content-type': MP }, body: HUGE_PART_HEADERS }));
    const healthStarted = Date.now();
    expect((await http('/api/health')).status).toBe(200);
    test.info().annotations.push({ type: 'timing', description: `GET /api/health beside four: ${Date.now() - healthStarted} ms (was 4.3 s)` });
    expect((await Promise.all(flood)).map((r) => r.status)).toEqual([413, 413, 413, 413]);
    // A url-encoded body of 12 MB of '+' (URLSearchParams in next-auth: 2 s) is refused as well.
    const plus = await http('/api/auth/callback/credentials', { method: 'POST', headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: `codeName=a&password=${'+'.repeat(12_000_000)}` });
    expect(plus.status).toBe(413);
  });

  test('a file named with 255 Hangul characters still passes the part-header cap', async () => {
    const upload = new FormData();
    upload.append('photo', new Blob([Buffer.from('not really a photo')], { type: 'image/jpeg' }), `${'가'.repeat(251)}.jpg`);
    // Anonymous: refused by the route for want of a session (303 to sign-in or 401), not by the guard's 413.
    const result = await http('/partner/reports/1/photos/upload', { method: 'POST', headers: SAME_ORIGIN_HEADERS, body: upload });
    expect(result.status).not.toBe(413);
    expect(result.status).toBeLessThan(500);
  });

  test("next-auth's routes answer GET on the sign-in callback with 405 and a callbackUrl that is not ours with 400, log nothing of it, and no hostile query or body gets a 500", async () => {
    test.setTimeout(120_000);
    const mark = crypto.randomBytes(5).toString('hex');
    const logBefore = fs.readFileSync(SERVER_LOG, 'utf8').length;
    // Its own throttle bucket: failed credentials below must not slow other specs' sign-ins.
    const own = { ...SAME_ORIGIN_HEADERS, 'x-forwarded-for': `198.18.${crypto.randomInt(256)}.${crypto.randomInt(256)}` };
    for (const method of ['GET', 'HEAD']) {
      const result = await http('/api/auth/callback/credentials', { method, headers: own });
      expect({ method, status: result.status, allow: result.headers.get('allow') }).toEqual({ method, status: 405, allow: 'POST' });
    }
    const form = { ...own, 'content-type': 'application/x-www-form-urlencoded' };
    const badCallbacks = ['%E2%82%AC', '%0Ab', 'x%0D%0Ay', `${mark}%0A${mark}`, 'https://evil.example/x', '%2F%2Fevil.example', '%2F%5Cevil.example'];
    for (const value of badCallbacks) {
      for (const [method, urlPath] of [['GET', '/api/auth/signin'], ['POST', '/api/auth/signin'], ['POST', '/api/auth/callback/credentials'], ['GET', '/api/auth/signout'], ['GET', '/api/auth/session']] as const) {
        const result = await http(`${urlPath}?callbackUrl=${value}`, { method, headers: form, body: method === 'POST' ? 'a=b' : undefined });
        expect(result.status, `${method} ${urlPath}?callbackUrl=${value}`).toBe(400);
      }
      const inBody = await http('/api/auth/signin', { method: 'POST', headers: form, body: `a=b&callbackUrl=${value}` });
      expect(inBody.status, `callbackUrl=${value} in the body`).toBe(400);
    }
    // A sweep of hostile queries and bodies over every next-auth endpoint: a 4xx or a redirect, never a 500.
    const endpoints = ['signin', 'signin/credentials', 'signout', 'csrf', 'providers', 'session', 'callback/credentials', 'callback/nope', 'error', '_log', 'verify-request', 'nope'];
    const queries = ['', `?callbackUrl=%E2%82%AC`, '?error=%E2%82%AC', '?csrf=true&json=%FF', '?provider=%0A', '?callbackUrl=%2Fpartner&callbackUrl=%0A', '?token=%00&email=%E2%82%AC'];
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', `csrfToken=%00&callbackUrl=%E2%82%AC&json=true`],
      ['application/x-www-form-urlencoded', 'csrfToken=x&codeName=%E2%82%AC&password=%0A&json=true'],
      ['application/json', '{broken'],
      ['application/json', '["callbackUrl"]'],
      ['application/json', '{"callbackUrl":{"a":1},"csrfToken":null}'],
      ['multipart/form-data; boundary=q', '--q\r\nContent-Disposition: form-data; name="callbackUrl"\r\n\r\n\u20ac\r\n--q--\r\n'],
      ['text/plain', '\u0000\u20ac'],
    ];
    const fivehundreds: string[] = [];
    for (const endpoint of endpoints) {
      for (const query of queries) {
        for (const method of ['GET', 'HEAD']) {
          const result = await http(`/api/auth/${endpoint}${query}`, { method, headers: own });
          if (result.status >= 500) fivehundreds.push(`${method} ${endpoint}${query}: ${result.status}`);
        }
        for (const [type, body] of bodies) {
          // POST signout is the app's own sign-out (no session here): harmless.
          const result = await http(`/api/auth/${endpoint}${query}`, { method: 'POST', headers: { ...own, 'content-type': type }, body });
          if (result.status >= 500) fivehundreds.push(`POST ${endpoint}${query} ${type} ${JSON.stringify(body)}: ${result.status}`);
        }
      }
    }
    expect(fivehundreds).toEqual([]);
    const logged = fs.readFileSync(SERVER_LOG, 'utf8').slice(logBefore);
    expect(logged, "the attacker's text is not in the log").not.toContain(mark);
    expect(logged.split('\n').filter((line) => line.includes('"level":"error"')).map((line) => line.slice(0, 300)), 'no error line').toEqual([]);
  });

  test('a Next-Action header or $ACTION_ field that names no action does not pass a Route Handler off as a malformed Server Action call', async () => {
    const own = { ...SAME_ORIGIN_HEADERS, 'x-forwarded-for': `198.18.${crypto.randomInt(256)}.${crypto.randomInt(256)}` };
    const routeCalls: { label: string; path: string; headers: Record<string, string>; body: string }[] = [
      { label: 'Next-Action: x on next-auth', path: '/api/auth/signin?callbackUrl=%E2%82%AC', headers: { 'content-type': 'application/x-www-form-urlencoded', 'next-action': 'x' }, body: 'a=b' },
      { label: 'a $ACTION_x field on next-auth', path: '/api/auth/signin?callbackUrl=%E2%82%AC', headers: { 'content-type': 'multipart/form-data; boundary=QQ' }, body: '--QQ\r\nContent-Disposition: form-data; name="$ACTION_x"\r\n\r\nv\r\n--QQ--\r\n' },
      { label: 'an action id on the health check', path: '/api/health', headers: { 'content-type': 'text/plain;charset=UTF-8', 'next-action': actionIdOf(SIGN_IN_ACTION)! }, body: '["$Q1"]' },
      { label: 'an action id on the unseal route', path: '/unseal', headers: { 'content-type': 'text/plain;charset=UTF-8', 'next-action': actionIdOf(SIGN_IN_ACTION)! }, body: '["$Q1"]' },
    ];
    for (const call of routeCalls) {
      const result = await http(call.path, { method: 'POST', headers: { ...own, ...call.headers }, body: call.body });
      expect(result.text, call.label).not.toContain('Malformed Server Action call');
      expect(result.status, call.label).toBeLessThan(500);
    }
    // The next-auth answers are its own refusal of the callbackUrl.
    const refused = await http('/api/auth/signin?callbackUrl=%E2%82%AC', { method: 'POST', headers: { ...own, 'content-type': 'application/x-www-form-urlencoded', 'next-action': 'x' }, body: 'a=b' });
    expect(refused.text).toMatch(/^Malformed request: callbackUrl/);
    // The other way: a real action id with arguments React cannot decode, at a page, is still the 400.
    const page = await http('/sign-in', { method: 'POST', headers: { ...own, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8', 'next-action': actionIdOf(SIGN_IN_ACTION)! }, body: '["$Q1"]' });
    expect({ status: page.status, text: page.text }).toEqual({ status: 400, text: 'Malformed Server Action call.' });
  });
});
