/**
 * Shared tools of the security specs (authz-matrix, security-*.spec.ts) and the crash test:
 * - the app's routes and Server Actions, enumerated from the code (app/**) and from the production
 *   build (<distDir>/server/app-paths-manifest.json and server-reference-manifest.json);
 * - plain HTTP calls on loopback with `redirect: 'manual'`, and Server Action calls made the way
 *   React's client makes them (`Next-Action` header, multipart body in encodeReply's format);
 * - sessions for each caller, made by posting the real sign-in form action;
 * - seeding of the objects the specs need, written straight into the test server's database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { StoredReportContent } from '../lib/reports/content';
import { DEMO_PASSWORDS, createTestAccount, openTestDb } from './fixtures';

export const BASE_URL = process.env.E2E_BASE_URL ?? `http://localhost:${process.env.E2E_PORT ?? 3100}`;
export const BASE_ORIGIN = new URL(BASE_URL).origin;
/** The build folder of the running test server (NEXT_DIST_DIR, as next.config.js reads it). */
export const DIST_DIR = path.resolve(process.env.NEXT_DIST_DIR || '.next');
const APP_DIR = path.resolve('app');

// ---------------------------------------------------------------------------------------------
// Enumeration from the code
// ---------------------------------------------------------------------------------------------

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** Repo-relative POSIX path ('app/(partner)/partner/page.tsx'). */
function rel(file: string): string {
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}

/**
 * The URL pattern of an app/ route file: route groups '(x)' dropped, '/page.tsx' or '/route.ts'
 * dropped ('app/(editor)/editor/reports/[id]/page.tsx' → '/editor/reports/[id]').
 */
export function urlPatternOf(file: string): string {
  const segments = rel(file).split('/').slice(1, -1).filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  return `/${segments.join('/')}`;
}

/** True when a folder on the path is private ('_components'): Next.js makes no route of it. */
function isPrivate(file: string): boolean {
  return rel(file).split('/').slice(1, -1).some((s) => s.startsWith('_'));
}

const METADATA_ROUTE = /^(opengraph-image|twitter-image|icon|apple-icon|sitemap|robots|manifest)\.(tsx?|jsx?|png|jpe?g|ico|svg|txt|xml|json|webmanifest)$/;

/** Every page of the app (app/**\/page.tsx), as URL patterns. */
export function pagesInCode(): string[] {
  return walk(APP_DIR)
    .filter((f) => /\/page\.(tsx|ts|jsx|js|mdx)$/.test(f) && !isPrivate(f))
    .map(urlPatternOf)
    .sort();
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Exported names of a TypeScript module's source (functions, consts, `export { a as b }`; no types). */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of source.matchAll(/^export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  for (const m of source.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const item = part.trim();
      if (!item || item.startsWith('type ')) continue;
      const alias = item.split(/\s+as\s+/).at(-1)!.trim();
      if (alias) names.add(alias);
    }
  }
  if (/^export\s+default\s/m.test(source) && !/^export\s+default\s+(?:async\s+)?function\s+[A-Za-z_$]/m.test(source)) names.add('default');
  return [...names];
}

/** Every route handler and method of the app: 'GET /exports/reports.csv', 'POST /sign-out', … */
export function routeHandlersInCode(): string[] {
  const out: string[] = [];
  for (const file of walk(APP_DIR)) {
    if (isPrivate(file)) continue;
    const base = path.basename(file);
    if (/^route\.(ts|js)$/.test(base)) {
      const names = exportedNames(fs.readFileSync(file, 'utf8'));
      for (const method of HTTP_METHODS) if (names.includes(method)) out.push(`${method} ${urlPatternOf(file)}`);
    } else if (METADATA_ROUTE.test(base)) {
      const folder = urlPatternOf(path.join(path.dirname(file), 'x'));
      out.push(`GET ${folder === '/' ? '' : folder}/${base.replace(/\.(tsx?|jsx?)$/, '')}`);
    }
  }
  return out.sort();
}

/** True when a module starts with the 'use server' directive (after comments). */
function isUseServerModule(source: string): boolean {
  const body = source.replace(/^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*/, '');
  return /^['"]use server['"]/.test(body.trimStart());
}

/**
 * Every Server Action exported by a 'use server' module of app/ or lib/:
 * 'app/(editor)/editor/actions.ts#bulkSelectedAction', …
 */
export function serverActionsInCode(): string[] {
  const out: string[] = [];
  for (const dir of [APP_DIR, path.resolve('lib')]) {
    for (const file of walk(dir)) {
      if (!/\.(ts|tsx)$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const source = fs.readFileSync(file, 'utf8');
      if (!isUseServerModule(source)) continue;
      for (const name of exportedNames(source)) out.push(`${rel(file)}#${name}`);
    }
  }
  return out.sort();
}

/** Files with an inline 'use server' function (not a module directive): each needs listing too. */
export function inlineServerActionFiles(): string[] {
  const out: string[] = [];
  for (const dir of [APP_DIR, path.resolve('lib')]) {
    for (const file of walk(dir)) {
      if (!/\.(ts|tsx)$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const source = fs.readFileSync(file, 'utf8');
      if (!isUseServerModule(source) && /^\s+['"]use server['"]/m.test(source)) out.push(rel(file));
    }
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Enumeration from the build
// ---------------------------------------------------------------------------------------------

/** Routes of the production build: { pattern, kind } from app-paths-manifest.json. */
export function routesInBuild(): { pattern: string; kind: 'page' | 'route' }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'server', 'app-paths-manifest.json'), 'utf8')) as Record<string, string>;
  return Object.keys(manifest)
    .filter((key) => !/^\/_(not-found|global-error)\/page$/.test(key))
    .map((key) => {
      const kind = key.endsWith('/route') ? ('route' as const) : ('page' as const);
      const segments = key.split('/').slice(1, -1).filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
      return { pattern: `/${segments.join('/')}`, kind };
    });
}

export type BuiltAction = { id: string; key: string; file: string; exportName: string; workers: string[] };

/**
 * Server Actions of the production build (server-reference-manifest.json: action id → the file
 * and export it came from, and the pages whose bundles hold it). Inline actions appear with their
 * page's file and a generated export name.
 */
export function actionsInBuild(): BuiltAction[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    key: `${entry.filename}#${entry.exportedName}`,
    file: entry.filename,
    exportName: entry.exportedName,
    workers: Object.keys(entry.workers),
  }));
}

let actionIds: Map<string, string> | null = null;
/** The build's action id of `key` ('app/…/actions.ts#name'), or null when the build holds none. */
export function actionIdOf(key: string): string | null {
  actionIds ??= new Map(actionsInBuild().map((a) => [a.key, a.id]));
  return actionIds.get(key) ?? null;
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

export type HttpResult = { status: number; headers: Headers; text: string; location: string | null };

/** Headers a browser sends on a same-origin request from our own pages. */
export const SAME_ORIGIN_HEADERS = { origin: BASE_ORIGIN, 'sec-fetch-site': 'same-origin' } as const;

/** One request on loopback; redirects are not followed (`location` holds the target). */
export async function http(
  urlPath: string,
  { method = 'GET', cookie = '', headers = {}, body }: { method?: string; cookie?: string; headers?: Record<string, string>; body?: BodyInit } = {},
): Promise<HttpResult> {
  const response = await fetch(new URL(urlPath, BASE_URL), {
    method,
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    body,
  });
  const text = method === 'HEAD' ? '' : await response.text();
  return { status: response.status, headers: response.headers, text, location: response.headers.get('location') };
}

/** A FormData argument of a Server Action call (fields in order; repeated names allowed). */
export type FormArg = { form: [string, string | Blob][] };
/** Build a {@link FormArg} from an object (array values repeat the field). */
export function form(fields: Record<string, string | number | boolean | Blob | (string | number)[]>): FormArg {
  const entries: [string, string | Blob][] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) entries.push([name, String(v)]);
    else entries.push([name, value instanceof Blob ? value : String(value)]);
  }
  return { form: entries };
}

function isFormArg(value: unknown): value is FormArg {
  return typeof value === 'object' && value !== null && 'form' in value && Array.isArray((value as FormArg).form);
}

function escapeReplyStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('$') ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(escapeReplyStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeReplyStrings(v)]));
  return value;
}

/**
 * The multipart body React's `encodeReply(args)` makes for a Server Action call: each FormData
 * argument's fields under the prefix `_<n>_` first, then field '0' holding the JSON array of
 * arguments, where a FormData argument is the reference "$K<n>" and strings starting with '$'
 * are escaped as '$$…'. (Checked against react-server-dom-webpack's client; the server reads the
 * prefixed fields in order, so they must come before '0'.)
 */
export function encodeActionArgs(args: unknown[]): FormData {
  const body = new FormData();
  let next = 1;
  const root = args.map((arg) => {
    if (!isFormArg(arg)) return escapeReplyStrings(arg);
    const id = next++;
    for (const [name, value] of arg.form) body.append(`_${id}_${name}`, value);
    return `$K${id}`;
  });
  body.append('0', JSON.stringify(root));
  return body;
}

export type ActionResult = HttpResult & {
  /** `x-action-redirect` target without its ';push'/';replace' suffix, or null. */
  actionRedirect: string | null;
  /** The action's return value when it returned one (the RSC payload's root 'a' chunk), else undefined. */
  value: unknown;
};

/** Read the value a Server Action returned from its RSC answer ('0:{"a":"$@1",…}' then '1:<json>'). */
export function actionReturnValue(text: string): unknown {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m) lines.set(m[1]!, m[2]!);
  }
  const root = lines.get('0');
  if (!root) return undefined;
  try {
    const parsed = JSON.parse(root) as { a?: unknown };
    if (typeof parsed.a === 'string' && parsed.a.startsWith('$@')) {
      const chunk = lines.get(parsed.a.slice(2));
      return chunk === undefined ? undefined : JSON.parse(chunk);
    }
    return parsed.a;
  } catch {
    return undefined;
  }
}

const ownerHints = new Map<string, string | null>();

/**
 * The owner hint a partner's pages carry for the session `cookie` (the hidden `_keptOwner` of the
 * new-report form: lib/reports/kept-post-owner.ts), or null when the cookie is no partner's.
 */
export async function ownerHintFor(cookie: string): Promise<string | null> {
  if (!cookie) return null;
  if (!ownerHints.has(cookie)) {
    const page = await http('/partner/reports/new', { cookie });
    ownerHints.set(cookie, /name="_keptOwner" value="([A-Za-z0-9_-]{43})"/.exec(page.text)?.[1] ?? null);
  }
  return ownerHints.get(cookie) ?? null;
}

/**
 * `args` of a partner action bound to the owner hint `hint`, as the partner's pages send them
 * (lib/auth/tab-owner.ts): a FormData argument gets the `_keptOwner` field, a single value
 * argument (autosave, the outbox) the `_keptOwner` key.
 */
export function withOwnerHintArgs(args: unknown[], hint: string): unknown[] {
  return args.map((arg) => {
    if (isFormArg(arg)) return arg.form.some(([name]) => name === '_keptOwner') ? arg : { form: [['_keptOwner', hint], ...arg.form] };
    if (args.length === 1 && arg && typeof arg === 'object' && !Array.isArray(arg) && !('_keptOwner' in arg)) return { ...arg, _keptOwner: hint };
    return arg;
  });
}

/**
 * Call a Server Action as the browser's React client does: POST to a page that holds it, with
 * `Next-Action: <id>` and the encodeReply body. `headers` replace the same-origin defaults (use
 * them to pose as a cross-site caller). A partner action's call carries the owner hint of the
 * cookie's account, as a partner's own page sends it, unless `ownerHint` says otherwise (a hint
 * to send instead, or null for none).
 */
export async function callAction({
  key,
  page,
  args,
  cookie = '',
  headers = SAME_ORIGIN_HEADERS,
  ownerHint,
}: {
  key: string;
  page: string;
  args: unknown[];
  cookie?: string;
  headers?: Record<string, string>;
  ownerHint?: string | null;
}): Promise<ActionResult> {
  const id = actionIdOf(key);
  if (!id) throw new Error(`the build holds no Server Action ${key}`);
  const hint = ownerHint === undefined ? (key.startsWith('app/(partner)/') ? await ownerHintFor(cookie) : null) : ownerHint;
  if (hint) args = withOwnerHintArgs(args, hint);
  const result = await http(page, {
    method: 'POST',
    cookie,
    headers: { accept: 'text/x-component', 'next-action': id, ...headers },
    body: encodeActionArgs(args),
  });
  const redirect = result.headers.get('x-action-redirect');
  return { ...result, actionRedirect: redirect ? redirect.replace(/;(push|replace)$/, '') : null, value: actionReturnValue(result.text) };
}

/** True when `target` (a Location or x-action-redirect value) stays on our origin. */
export function staysOnOrigin(target: string | null): boolean {
  if (target === null) return true;
  try {
    return new URL(target, BASE_URL).origin === BASE_ORIGIN;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

export type Caller = 'anonymous' | 'partner' | 'editor' | 'admin';
export const CALLERS: readonly Caller[] = ['anonymous', 'partner', 'editor', 'admin'];

const SIGN_IN_ACTION = 'app/(auth)/sign-in/actions.ts#signInAction';

/**
 * Sign in through the sign-in form's Server Action and return the `name=value` of the session
 * cookie. `forwardedFor` sets X-Forwarded-For, so hostile-input specs keep their failed attempts
 * off the loopback address's throttle counter.
 */
export async function signInCookie(codeName: string, password: string, { forwardedFor }: { forwardedFor?: string } = {}): Promise<string> {
  const result = await callAction({
    key: SIGN_IN_ACTION,
    page: '/sign-in',
    args: [{ ok: false, values: { codeName: '' } }, form({ codeName, password })],
    headers: { ...SAME_ORIGIN_HEADERS, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  });
  const cookie = result.headers.getSetCookie().find((c) => /^(__Secure-)?fr\.session=[^;]+/.test(c));
  if (!cookie) throw new Error(`sign-in as ${codeName} failed: HTTP ${result.status} ${result.text.slice(0, 300)}`);
  return cookie.split(';')[0]!;
}

export type Account = { id: number; codeName: string; password: string };

/** A demo account's id and password (editor and admin are exempt from 2FA in demo mode). */
export function demoAccount(codeName: keyof typeof DEMO_PASSWORDS): Account {
  const db = openTestDb();
  try {
    const row = db.prepare('SELECT id FROM accounts WHERE code_name = ?').get(codeName) as { id: number };
    return { id: row.id, codeName, password: DEMO_PASSWORDS[codeName] };
  } finally {
    db.close();
  }
}

/** A fresh partner account of this spec (so counts and filters see only its own reports). */
export async function freshPartner(prefix: string): Promise<Account> {
  const account = await createTestAccount('partner', prefix);
  return { id: account.id, codeName: account.codeName, password: account.password };
}

// ---------------------------------------------------------------------------------------------
// Database: seeding and reading
// ---------------------------------------------------------------------------------------------

/** Run `fn` with the test server's database open. */
export function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = openTestDb();
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Ends every session of an account (signed out elsewhere, as far as a phone can tell): its session version moves on. */
export function endSessionsOf(accountId: number): void {
  withDb((db) => db.prepare('UPDATE accounts SET session_version = session_version + 1 WHERE id = ?').run(accountId));
}

export type SeededReport = { id: number; clientId: string; version: number; authorId: number; title: string };

/** Local wall-clock observation window the seeded reports use (Asia/Pyongyang, UTC+9 in 2018). */
export const SEED_OBSERVED = { fromLocal: '2018-07-12T19:30', toLocal: '2018-07-13T04:30', fromUtc: Date.UTC(2018, 6, 12, 10, 30), toUtc: Date.UTC(2018, 6, 12, 19, 30) };

/** The report form's fields for a complete, valid report (names as lib/reports/form-data.ts reads them). */
export function reportFormFields(clientId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    clientId,
    observedFrom: SEED_OBSERVED.fromLocal,
    observedTo: SEED_OBSERVED.toLocal,
    timeZone: 'Asia/Pyongyang',
    timeNote: 'after sunset until dawn',
    placeId: 'kp-hyesan',
    placeDetail: 'upper reaches of the river',
    placePrecision: 'province',
    title: 'Trucks cross at night',
    narrative: 'Dozens of trucks came from China after sunset.',
    sourceType: 'direct_observation',
    safetyNote: 'Publish the province only.',
    'vehicles.0.vehicleType': 'truck',
    'vehicles.0.count': '40',
    'vehicles.0.isEstimate': 'on',
    'vehicles.0.direction': 'into_kp',
    'vehicles.0.colours': 'white',
    'vehicles.0.cargo': 'electronics',
    ...overrides,
  };
}

/** What submitReport keeps in a seeded report's 'submission' revision: the whole content as stored. */
function seededContent(title: string): StoredReportContent {
  return {
    observedFrom: SEED_OBSERVED.fromUtc,
    observedTo: SEED_OBSERVED.toUtc,
    timeZone: 'Asia/Pyongyang',
    timeNote: 'after sunset until dawn',
    placeId: 'kp-hyesan',
    placeDetail: 'upper reaches of the river',
    placePrecision: 'province',
    title,
    narrative: 'Dozens of trucks came from China after sunset.',
    sourceType: 'direct_observation',
    safetyNote: 'Publish the province only.',
    vehicles: [{ vehicleType: 'truck', count: 40, isEstimate: true, direction: 'into_kp', colours: 'white', cargo: 'electronics' }],
    goods: [],
    agencies: [],
  };
}

/** A draft's form values as reports.draft_values keeps them (ReportFormValues). */
function draftFormValues(clientId: string, title: string) {
  const { clientId: _c, ...scalars } = reportFormFields(clientId, { title });
  const fields = Object.fromEntries(Object.entries(scalars).filter(([name]) => !name.includes('.')));
  return { clientId, observedFromChoice: '', observedToChoice: '', ...fields, vehicles: [], goods: [], agencies: [] };
}

/**
 * Insert a report by `authorId` in `status`, as the partner's data layer leaves it (content, one
 * vehicle row, a submit event and submission revision past draft; the form's values kept in
 * draft_values for drafts). Returns its ids.
 */
export function seedReport({ authorId, status, title = `Seeded ${crypto.randomBytes(3).toString('hex')}`, claimedBy = null }: { authorId: number; status: string; title?: string; claimedBy?: number | null }): SeededReport {
  return withDb((db) =>
    db.transaction(() => {
      const clientId = crypto.randomUUID();
      const now = Date.now();
      const isDraft = status === 'draft';
      const draftValues = isDraft ? JSON.stringify(draftFormValues(clientId, title)) : null;
      const { id } = db
        .prepare(
          `INSERT INTO reports (client_id, author_id, status, version, observed_from, observed_to, time_zone, time_note, place_id,
             place_detail, place_precision, title, narrative, source_type, safety_note, draft_values, claimed_by, claimed_at,
             source_reliability, information_credibility, submitted_at, created_at, updated_at)
           VALUES (?, ?, ?, 1, ?, ?, 'Asia/Pyongyang', 'after sunset until dawn', 'kp-hyesan', 'upper reaches of the river', 'province',
             ?, 'Dozens of trucks came from China after sunset.', 'direct_observation', 'Publish the province only.', ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id`,
        )
        .get(
          clientId,
          authorId,
          status,
          isDraft ? null : SEED_OBSERVED.fromUtc,
          isDraft ? null : SEED_OBSERVED.toUtc,
          title,
          draftValues,
          claimedBy,
          claimedBy ? now : null,
          status === 'verified' || status === 'published' ? 'B' : null,
          status === 'verified' || status === 'published' ? '2' : null,
          isDraft ? null : now,
          now,
          now,
        ) as { id: number };
      if (!isDraft) {
        db.prepare(
          "INSERT INTO report_vehicles (report_id, position, vehicle_type, count, is_estimate, direction, colours, cargo) VALUES (?, 0, 'truck', 40, 1, 'into_kp', 'white', 'electronics')",
        ).run(id);
        db.prepare("INSERT INTO report_events (report_id, actor_id, action, from_status, to_status, created_at) VALUES (?, ?, 'submit', 'draft', 'submitted', ?)").run(id, authorId, now);
        db.prepare("INSERT INTO report_revisions (report_id, actor_id, kind, before, after, created_at) VALUES (?, ?, 'submission', NULL, ?, ?)").run(
          id,
          authorId,
          JSON.stringify(seededContent(title)),
          now,
        );
      }
      return { id, clientId, version: 1, authorId, title };
    })(),
  );
}

/** One row of a table as JSON (for before/after comparisons). */
export function rowJson(table: string, where: string, ...params: unknown[]): string {
  return withDb((db) => JSON.stringify(db.prepare(`SELECT * FROM ${table} WHERE ${where}`).all(...params)));
}

/** `SELECT count(*)` of a table with a condition. */
export function countRows(table: string, where = '1', ...params: unknown[]): number {
  return withDb((db) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n);
}

/**
 * A fingerprint of everything a request could change: every table's row count and a hash of its
 * rows (audit tables included). Two equal fingerprints mean nothing was written.
 */
export function databaseFingerprint({ except = [] }: { except?: string[] } = {}): Record<string, string> {
  return withDb((db) => {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
      .map((t) => t.name)
      .filter((name) => !except.includes(name));
    const out: Record<string, string> = {};
    for (const name of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).raw().all();
      out[name] = `${rows.length}:${crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
    }
    return out;
  });
}


// ---------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------

/** A small, valid PNG made in memory (sharp), for upload cases. */
export async function tinyPng(): Promise<Blob> {
  const { default: sharp } = await import('sharp');
  const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();
  return new Blob([new Uint8Array(bytes)], { type: 'image/png' });
}

/** The upload form's multipart body (field names as lib/photos/upload-request.ts reads them). */
export async function photoUploadBody(caption = 'river bank'): Promise<FormData> {
  const body = new FormData();
  body.append('photo', await tinyPng(), 'photo.png');
  body.append('caption', caption);
  return body;
}

/** Upload a photo to a report through the partner's upload route; returns the photo id. */
export async function uploadPhoto(cookie: string, reportId: number): Promise<number> {
  const hint = await ownerHintFor(cookie);
  const result = await http(`/partner/reports/${reportId}/photos/upload`, {
    method: 'POST',
    cookie,
    headers: { ...SAME_ORIGIN_HEADERS, accept: 'application/json', ...(hint ? { 'x-fr-owner': hint } : {}) },
    body: await photoUploadBody(),
  });
  const answer = JSON.parse(result.text || '{}') as { ok?: boolean; photoId?: number };
  if (!answer.ok || typeof answer.photoId !== 'number') throw new Error(`photo upload failed: HTTP ${result.status} ${result.text.slice(0, 200)}`);
  return answer.photoId;
}
