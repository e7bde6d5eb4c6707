/**
 * Authorization matrix (issue 9; docs/security/README.md "Access control"; docs/product.md "Roles"). Every page,
 * route handler and Server Action is enumerated from the code (app/**) and from the production
 * build, and must be listed in e2e/authz-manifest.ts; each is then called as anonymous (no cookie,
 * and a forged cookie that gets past proxy.ts's early redirect), a partner (own objects and another
 * partner's), an editor and an admin, and must give the documented outcome. A refused Server
 * Action must change nothing: its probe (the object or a row count) is read before and after.
 */
import { test, expect } from './fixtures';
import {
  ACTIONS,
  PAGES,
  ROUTES,
  seedWorld,
  type ActionOutcome,
  type PageOutcome,
  type World,
} from './authz-manifest';
import {
  BASE_ORIGIN,
  CALLERS,
  SAME_ORIGIN_HEADERS,
  actionIdOf,
  actionsInBuild,
  callAction,
  http,
  inlineServerActionFiles,
  ownerHintFor,
  pagesInCode,
  routeHandlersInCode,
  routesInBuild,
  serverActionsInCode,
  signInCookie,
  staysOnOrigin,
  type ActionResult,
  type Caller,
  type HttpResult,
} from './security-kit';

/** A cookie that passes proxy.ts's "has a session cookie" check but is no session at all. */
const FORGED_COOKIE = 'fr.session=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged';

let world: World;
let sessions: Record<Caller, string>;

test.beforeAll(async () => {
  ({ world, sessions } = await seedWorld());
});

async function sessionFor(caller: Caller, fresh: boolean): Promise<string> {
  if (!fresh || caller === 'anonymous') return sessions[caller];
  const account = caller === 'partner' ? world.partner : caller === 'editor' ? world.editor : world.admin;
  return signInCookie(account.codeName, account.password);
}

/** Where a redirect answer points, as a same-origin path ('/sign-in?callbackUrl=…'), or null. */
function redirectPath(result: HttpResult): string | null {
  if (result.status < 300 || result.status >= 400 || !result.location) return null;
  const url = new URL(result.location, BASE_ORIGIN);
  return url.origin === BASE_ORIGIN ? url.pathname + url.search : `OFF-ORIGIN ${result.location}`;
}

function describeOutcome(outcome: PageOutcome): string {
  return typeof outcome === 'object' ? `redirect ${outcome.redirect}` : String(outcome);
}

function assertPageOutcome(result: HttpResult, outcome: PageOutcome, requested: string, what: string) {
  const where = `${what}: HTTP ${result.status}${result.location ? ` → ${result.location}` : ''}, expected ${describeOutcome(outcome)}`;
  expect(result.status, where).toBeLessThan(500);
  expect(staysOnOrigin(result.location), `${where} (redirect off our origin)`).toBe(true);
  if (outcome === 'public') return;
  if (typeof outcome === 'number') {
    expect(result.status, where).toBe(outcome);
    return;
  }
  const target = redirectPath(result);
  expect(target, where).not.toBeNull();
  if (outcome === 'sign-in') {
    const url = new URL(target!, BASE_ORIGIN);
    expect(url.pathname, where).toBe('/sign-in');
    const asked = new URL(requested, BASE_ORIGIN);
    expect(url.searchParams.get('callbackUrl'), `${where}: callbackUrl brings them back`).toBe(asked.pathname + asked.search);
    return;
  }
  expect(target!, where).toMatch(outcome.redirect);
}

test.describe('authorization matrix', () => {
  test('every page, route handler and Server Action in the code and the build is listed in the manifest', () => {
    const unlisted: string[] = [];
    for (const pattern of pagesInCode()) if (!PAGES[pattern]) unlisted.push(`page ${pattern}`);
    for (const key of routeHandlersInCode()) if (!ROUTES[key]) unlisted.push(`route ${key}`);
    for (const key of serverActionsInCode()) if (!ACTIONS[key]) unlisted.push(`action ${key}`);
    for (const { pattern, kind } of routesInBuild()) {
      if (kind === 'page' && !PAGES[pattern]) unlisted.push(`built page ${pattern}`);
      if (kind === 'route' && !Object.keys(ROUTES).some((key) => key.endsWith(` ${pattern}`))) unlisted.push(`built route ${pattern}`);
    }
    for (const action of actionsInBuild()) if (!ACTIONS[action.key]) unlisted.push(`built action ${action.key}`);
    for (const file of inlineServerActionFiles()) unlisted.push(`inline 'use server' function in ${file} (make it a listed export of an actions module)`);
    expect(unlisted, 'unlisted route: add it to e2e/authz-manifest.ts with its outcome for every role').toEqual([]);

    // And no entry names something that no longer exists (a stale manifest proves nothing).
    const pages = new Set(pagesInCode());
    const routes = new Set(routeHandlersInCode());
    const actions = new Set(serverActionsInCode());
    const stale = [
      ...Object.keys(PAGES).filter((p) => !pages.has(p)),
      ...Object.keys(ROUTES).filter((r) => !routes.has(r)),
      ...Object.keys(ACTIONS).filter((a) => !actions.has(a)),
    ];
    expect(stale, 'manifest entries with no route or action in the code').toEqual([]);
  });

  for (const [pattern, cases] of Object.entries(PAGES)) {
    test(`page ${pattern}`, async () => {
      for (const c of cases) {
        const requested = c.path(world);
        for (const caller of CALLERS) {
          const what = `${caller} GET ${requested} (${c.label})`;
          const result = await http(requested, { cookie: sessions[caller] });
          assertPageOutcome(result, c.expect[caller], requested, what);
          if (caller === 'anonymous' && c.expect.anonymous === 'sign-in') {
            // The page's own check, not only proxy.ts's early redirect (a cookie that is no session).
            const forged = await http(requested, { cookie: FORGED_COOKIE });
            assertPageOutcome(forged, 'sign-in', requested, `${what} with a forged session cookie`);
          }
        }
      }
    });
  }

  for (const [key, cases] of Object.entries(ROUTES)) {
    test(`route ${key}`, async () => {
      const method = key.split(' ')[0]!;
      for (const c of cases) {
        for (const caller of CALLERS) {
          const requested = c.path(world);
          const cookie = await sessionFor(caller, c.freshSession ?? false);
          // A partner's page names its account in every upload (lib/auth/tab-owner.ts).
          const hint = method === 'GET' ? null : await ownerHintFor(cookie);
          const result = await http(requested, {
            method,
            cookie,
            headers: { ...(method === 'GET' ? {} : SAME_ORIGIN_HEADERS), ...(hint ? { 'x-fr-owner': hint } : {}), ...c.headers },
            body: await c.body?.(),
          });
          assertPageOutcome(result, c.expect[caller], requested, `${caller} ${method} ${requested} (${c.label})`);
        }
      }
    });
  }

  for (const [key, cases] of Object.entries(ACTIONS)) {
    test(`action ${key}`, async () => {
      if (!actionIdOf(key)) {
        // Exported but used by no page: the build has no id for it, so nothing can call it. Once a
        // page uses it, this test calls it like every other.
        test.info().annotations.push({ type: 'not reachable', description: `${key} is in no page's bundle` });
        expect(actionsInBuild().some((a) => a.key === key)).toBe(false);
        return;
      }
      for (const c of cases) {
        for (const caller of CALLERS) {
          const call = await c.prepare(world, caller);
          const before = call.probe();
          const result = await callAction({ key, page: call.page, args: call.args, cookie: call.cookie ?? sessions[caller] });
          const after = call.probe();
          call.cleanup?.();
          assertActionOutcome(result, c.expect[caller], before, after, `${caller} → ${key} (${c.label}): HTTP ${result.status} ${result.actionRedirect ?? ''} ${JSON.stringify(result.value)?.slice(0, 300)}`);
        }
      }
    });
  }
});

/** True when the answer tells the caller no (and so the browser shows no success). */
function isRefusalAnswer(result: ActionResult): boolean {
  if (result.status === 403 || result.status === 404) return true;
  if (result.actionRedirect?.startsWith('/sign-in')) return true;
  const value = result.value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.ok === false) return true;
    if (v.status === 'refused' || v.status === 'invalid') return true;
    if (typeof v.message === 'string' && v.message.length > 0 && v.ok !== true) return true;
  }
  return false;
}

function assertActionOutcome(result: ActionResult, outcome: ActionOutcome, before: unknown, after: unknown, what: string) {
  expect(result.status, what).toBeLessThan(500);
  expect(staysOnOrigin(result.actionRedirect), `${what}: redirect off our origin`).toBe(true);
  if (outcome === 'public') return;
  if (outcome === 'allowed') {
    expect(after, `${what}: expected the change to be made`).not.toEqual(before);
    return;
  }
  expect(after, `${what}: a refused call changed something`).toEqual(before);
  expect(isRefusalAnswer(result), `${what}: a refused call must not answer with success`).toBe(true);
}
