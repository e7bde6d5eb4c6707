/**
 * Authorization cases for everyone: the public site, its exports and feed, signing in and out,
 * one-time links, the caller's own account security and language.
 */
import crypto from 'node:crypto';
import { countRows, freshPartner, rowJson, signInCookie, withDb } from '../security-kit';
import { action, ANYONE, ANYONE_MAY, at, callerAccount, EVERYONE, form, hex, NOBODY, NOT_FOUND_FOR_ALL, PARTNER_ONLY, PUBLIC, redirectAll, SIGNED_IN } from './cases';
import type { ActionCall, ActionCase, ActionExpect, PageCase, PageExpect, RouteCase } from './cases';
import { freshAccount, freshInvitation, withFreshTotp } from './world';

const SIGNED_IN_GO_HOME: PageExpect = { anonymous: 200, partner: { redirect: /^\/partner$/ }, editor: { redirect: /^\/editor$/ }, admin: { redirect: /^\/admin$/ } };

export const PAGES: Record<string, PageCase[]> = {
  '/sign-in': [at('sign-in', '/sign-in', SIGNED_IN_GO_HOME)],
  '/sign-in/two-factor': [at('second step without a pending sign-in', '/sign-in/two-factor', SIGNED_IN_GO_HOME)],
  '/sign-in/enrol': [at('enrolment without a pending sign-in', '/sign-in/enrol', PUBLIC)],
  // "Is this yours?" for a post kept with no account named (decision 0009): only with such a post
  // in this browser's cookie; without one, each caller goes home and anonymous callers to sign-in.
  '/sign-in/kept-post': [
    at('"is this yours?" without a kept post', '/sign-in/kept-post', {
      anonymous: { redirect: /^\/sign-in$/ },
      partner: { redirect: /^\/partner$/ },
      editor: { redirect: /^\/editor$/ },
      admin: { redirect: /^\/admin$/ },
    }),
  ],
  '/invite/[token]': [at('an unknown one-time link', () => `/invite/${crypto.randomBytes(32).toString('base64url')}`, PUBLIC)],
  '/account/security': [at('own two-step sign-in settings', '/account/security', { anonymous: 'sign-in', partner: 200, editor: 200, admin: 200 })],
};

export const ROUTES: Record<string, RouteCase[]> = {
  // The public pages are route handlers rendering HTML without scripts (docs/decisions/0014-script-free-public-pages.md).
  'GET /': [at('front page', '/', PUBLIC)],
  'GET /reports': [at('published reports', '/reports', PUBLIC)],
  'GET /reports/[publicId]': [
    at('a published report', (w) => `/reports/${w.publicId}`, PUBLIC),
    at('an unknown public id', '/reports/no-such-report', NOT_FOUND_FOR_ALL),
    at('an internal report id', (w) => `/reports/${w.verified.id}`, NOT_FOUND_FOR_ALL),
  ],
  'GET /stats': [at('statistics', '/stats', PUBLIC)],
  'GET /exports/reports.csv': [at('CSV export', '/exports/reports.csv', PUBLIC)],
  'GET /exports/reports.json': [at('JSON export', '/exports/reports.json', PUBLIC)],
  'GET /exports/reports.schema.json': [at('export schema', '/exports/reports.schema.json', PUBLIC)],
  'GET /exports/official-trade.csv': [at('official trade figures as CSV', '/exports/official-trade.csv', PUBLIC)],
  'GET /exports/official-trade.json': [at('official trade figures as JSON', '/exports/official-trade.json', PUBLIC)],
  'GET /exports/official-trade.schema.json': [at('official trade export schema', '/exports/official-trade.schema.json', PUBLIC)],
  'GET /feed.xml': [at('Atom feed', '/feed.xml', PUBLIC)],
  'GET /api/health': [at('liveness', '/api/health', PUBLIC)],
  'GET /icon.svg': [at('site icon (app/icon.svg)', '/icon.svg', PUBLIC)],
  // The test server holds its key (a key file), so it is never sealed: the form is not there and a
  // passphrase changes nothing (the sealed behaviour: lib/at-rest/unseal.test.ts, e2e/security-at-rest.spec.ts).
  'GET /unseal': [at('the unseal form of a server that is not sealed', '/unseal', NOT_FOUND_FOR_ALL)],
  'POST /unseal': [
    at('a passphrase sent to a server that is not sealed', '/unseal', redirectAll(/^\/$/), { body: () => new URLSearchParams({ passphrase: 'anything at all, long enough' }) }),
  ],
  // The answer proxy.ts gives a no-script post on a partner page whose session ended (e2e/partner-session-ended.spec.ts):
  // a page for anyone without a session; a signed-in caller keeps nothing and goes home.
  'POST /sign-in/kept': [
    at('a form post kept for the next sign-in', '/sign-in/kept', SIGNED_IN_GO_HOME, {
      body: () => new URLSearchParams({ clientId: crypto.randomUUID(), title: 'Kept across sign-in' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  ],
  'POST /sign-out': [
    at('sign out', '/sign-out', redirectAll(/^\/sign-in\?signedOut=1$/), { freshSession: true }),
    at('the quick exit (then=exit)', '/sign-out', redirectAll(/^\/welcome$/), { freshSession: true, body: () => new URLSearchParams({ then: 'exit' }) }),
  ],
  // Where the quick exit lands, and the partner app's manifest (fetched without cookies).
  'GET /welcome': [at('the neutral page', '/welcome', PUBLIC)],
  'GET /app.webmanifest': [at('web app manifest', '/app.webmanifest', PUBLIC)],
  // A path the app does not know, by any method: the script-free not-found page (app/(public)/[...unknown]/route.ts).
  'GET /[...unknown]': [
    at('an unknown path', '/no-such-page', NOT_FOUND_FOR_ALL),
    at('an unknown path below a public page', '/reports/a/b', NOT_FOUND_FOR_ALL),
  ],
  'POST /[...unknown]': [at('a form posted to an unknown path', '/no-such-page', NOT_FOUND_FOR_ALL, { body: () => new URLSearchParams({ a: '1' }) })],
  'PUT /[...unknown]': [at('PUT to an unknown path', '/no-such-page', NOT_FOUND_FOR_ALL, { body: () => new URLSearchParams({ a: '1' }) })],
  'PATCH /[...unknown]': [at('PATCH to an unknown path', '/no-such-page', NOT_FOUND_FOR_ALL, { body: () => new URLSearchParams({ a: '1' }) })],
  'DELETE /[...unknown]': [at('DELETE of an unknown path', '/no-such-page', NOT_FOUND_FOR_ALL)],
  // next-auth's own endpoints (the sign-in page uses the Server Action; these answer anyone).
  'GET /api/auth/[...nextauth]': [
    at('providers', '/api/auth/providers', ANYONE),
    at('CSRF token', '/api/auth/csrf', ANYONE),
    at('session', '/api/auth/session', ANYONE),
    at("next-auth's sign-in page (sends to ours)", '/api/auth/signin', ANYONE),
  ],
  'POST /api/auth/[...nextauth]': [
    at('credentials callback without a CSRF token', '/api/auth/callback/credentials', ANYONE, {
      body: () => new URLSearchParams({ codeName: 'nobody', password: 'wrong' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  ],
};

/** Before/after probe of an account and its recovery codes. */
const accountProbe = (id: number) => () => rowJson('accounts', 'id = ?', id) + countRows('recovery_codes', 'account_id = ?', id);

/** A post of a one-time `code` (the sign-in steps' and the security page's forms). */
const codePost = (page: string, code: string, probe: () => unknown, extra: Partial<ActionCall> = {}): ActionCall => ({ page, args: [{ ok: false }, form({ code })], probe, ...extra });

/** Setting a password through a one-time link: `token` made for a fresh partner account without one, probed by it (and `more`). */
function viaLink(label: string, expect: ActionExpect, token: (id: number) => string, more: () => number | string = () => ''): ActionCase {
  return action(label, expect, () => {
    const id = freshAccount('partner');
    const [link, password] = [token(id), `a long new password ${hex()}`];
    return { page: `/invite/${link}`, args: [{ ok: false }, form({ token: link, password, confirmPassword: password })], probe: () => rowJson('accounts', 'id = ?', id) + more() };
  });
}

export const ACTIONS: Record<string, ActionCase[]> = {
  // The credential is in the request, so anyone may call these.
  'app/(auth)/sign-in/actions.ts#signInAction': [action('right password of a partner account (anyone may sign in)', EVERYONE, async () => {
    const account = await freshPartner('authz-signin');
    return { page: '/sign-in', args: [{ ok: false, values: { codeName: '' } }, form({ codeName: account.codeName, password: account.password })], probe: () => rowJson('accounts', 'id = ?', account.id) };
  })],
  'app/(auth)/sign-in/actions.ts#discardKeptPostAction': [
    action("discard this browser's kept post (its own cookie is the only key; without one nothing changes)", ANYONE_MAY, () => ({ page: '/sign-in', args: [form({})], probe: () => null })),
  ],
  // "Is this yours?": the browser's own kept-post cookie is the only key; without one nothing changes.
  'app/(auth)/sign-in/kept-post/actions.ts#confirmKeptPostAction': [
    action('confirm a kept post without one in this browser (nothing to save)', ANYONE_MAY, () => ({ page: '/sign-in/kept-post', args: [form({})], probe: () => null })),
  ],
  'app/(auth)/sign-in/kept-post/actions.ts#discardUnboundKeptPostAction': [
    action('discard a kept post without one in this browser (nothing to delete)', ANYONE_MAY, () => ({ page: '/sign-in/kept-post', args: [form({})], probe: () => null })),
  ],
  'app/(auth)/sign-in/actions.ts#twoFactorAction': [
    action('a code without a pending sign-in', NOBODY, () => codePost('/sign-in/two-factor', '123456', accountProbe(freshAccount('editor', { totpSecret: 'JBSWY3DPEHPK3PXP' })))),
  ],
  'app/(auth)/sign-in/actions.ts#enrolAction': [action('enrolment without a pending sign-in', NOBODY, () => codePost('/sign-in/enrol', '123456', accountProbe(freshAccount('editor'))))],
  'app/(auth)/invite/[token]/actions.ts#setPasswordAction': [
    viaLink('a valid one-time link (the token is the credential)', EVERYONE, freshInvitation),
    viaLink('an unknown one-time link', NOBODY, () => crypto.randomBytes(32).toString('base64url'), () => countRows('accounts', 'password_hash IS NULL')),
  ],
  'app/(auth)/account/security/actions.ts#startSettingsEnrolmentAction': [
    action('begin setting up two-step sign-in (a cookie only; anonymous callers are sent to sign-in)', ANYONE_MAY, () => ({ page: '/account/security', args: [form({})], probe: () => null })),
  ],
  'app/(auth)/account/security/actions.ts#settingsEnrolAction': [
    action('confirm a code without having begun', NOBODY, (w, caller) => codePost('/account/security', '123456', accountProbe((callerAccount(w, caller) ?? w.partner).id))),
  ],
  'app/(auth)/account/security/actions.ts#replaceRecoveryCodesAction': [action('replace own recovery codes with a current app code (anyone signed in with two-step sign-in on)', SIGNED_IN, (w, caller) => {
    const id = (callerAccount(w, caller) ?? w.partner).id;
    const totp = withFreshTotp(id);
    return codePost('/account/security', totp.code, () => rowJson('recovery_codes', 'account_id = ?', id), { cleanup: totp.restore });
  })],
  'app/(auth)/account/security/actions.ts#turnOffTwoFactorAction': [action('turn off own two-step sign-in with a current code (partners only: editors and admins must keep it)', PARTNER_ONLY, async (w, caller) => {
    // A partner of its own (signed in before its second factor is on): turning 2FA off ends the
    // session it was made with.
    const own = caller === 'partner' ? await freshPartner('authz-2fa') : null;
    const cookie = own ? await signInCookie(own.codeName, own.password) : undefined;
    const id = (own ?? callerAccount(w, caller) ?? w.partner).id;
    const totp = withFreshTotp(id);
    return codePost('/account/security', totp.code, () => rowJson('accounts', 'id = ?', id), { cookie, cleanup: own ? undefined : totp.restore });
  })],
  'app/actions.ts#changeLocale': [action("the caller's language (remembered on the account when signed in)", { ...SIGNED_IN, anonymous: 'public' }, (w, caller) => {
    const account = callerAccount(w, caller);
    const cleanup = () => account && withDb((db) => db.prepare("UPDATE accounts SET locale = 'en' WHERE id = ?").run(account.id));
    // Posted from /sign-in: the public pages are route handlers with links for a switch (decisions/0013).
    return { page: '/sign-in', args: [form({ locale: 'ko', returnTo: '/' })], probe: () => (account ? rowJson('accounts', 'id = ?', account.id) : null), cleanup };
  })],
};
