/**
 * The authorization matrix: every page, route handler and Server Action of the app with the
 * outcome docs/product.md's roles table gives each caller (anonymous, partner, editor, admin).
 * e2e/authz-matrix.spec.ts enumerates the routes and actions from the code and the build and fails
 * on any that is missing here ("unlisted route"), so a new one cannot be forgotten.
 *
 * Outcomes of pages and route handlers: an HTTP status (200, 403 wrong role, 404 an object the
 * caller may not know exists), 'sign-in' (anonymous sent to /sign-in?callbackUrl=…), a redirect
 * (`{ redirect: /regex/ }`, always on our origin), or 'public' (anyone; only "no 5xx").
 *
 * Outcomes of Server Actions: 'allowed' (the probe shows the change), 'refused' (the probe is
 * unchanged and the answer is not a success), 'public' (anyone; no 5xx). "partner" is the calling
 * partner; cases name whether the object is their own or another partner's.
 */
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { initialReportFormState } from '../app/(partner)/partner/reports/_components/form-state';
import {
  callAction,
  form,
  reportFormFields,
  rowJson,
  seedReport,
  withDb,
  countRows,
  demoAccount,
  freshPartner,
  signInCookie,
  photoUploadBody,
  uploadPhoto,
  type Account,
  type Caller,
  type SeededReport,
} from './security-kit';

export type PageOutcome = 200 | 403 | 404 | 'sign-in' | 'public' | { redirect: RegExp };
export type PageExpect = Record<Caller, PageOutcome>;

/** The objects the matrix is run against (seeded by the spec; see authz-matrix.spec.ts). */
export type World = {
  /** The calling partner and another partner (fresh accounts of this run). */
  partner: Account;
  otherPartner: Account;
  editor: Account;
  admin: Account;
  own: { draft: SeededReport; submitted: SeededReport };
  other: { draft: SeededReport; submitted: SeededReport };
  /** A verified report of the other partner (publish page). */
  verified: SeededReport;
  /** Public id of a published report. */
  publicId: string;
  /** Photos on the calling partner's own draft and on the other partner's draft. */
  photos: { own: number; other: number };
};

export type PageCase = { label: string; path: (w: World) => string; expect: PageExpect };
export type RouteCase = {
  label: string;
  path: (w: World) => string;
  body?: () => BodyInit | Promise<BodyInit>;
  headers?: Record<string, string>;
  /** Call with a session made for this call alone (sign-out may end the one it is given). */
  freshSession?: boolean;
  expect: PageExpect;
};

const PUBLIC: PageExpect = { anonymous: 200, partner: 200, editor: 200, admin: 200 };
const ANYONE: PageExpect = { anonymous: 'public', partner: 'public', editor: 'public', admin: 'public' };
const NOT_FOUND_FOR_ALL: PageExpect = { anonymous: 404, partner: 404, editor: 404, admin: 404 };
const PARTNER_AREA: PageExpect = { anonymous: 'sign-in', partner: 200, editor: 403, admin: 403 };
const EDITOR_AREA: PageExpect = { anonymous: 'sign-in', partner: 403, editor: 200, admin: 200 };
const ADMIN_AREA: PageExpect = { anonymous: 'sign-in', partner: 403, editor: 403, admin: 200 };
const SIGNED_IN_GO_HOME: PageExpect = {
  anonymous: 200,
  partner: { redirect: /^\/partner$/ },
  editor: { redirect: /^\/editor$/ },
  admin: { redirect: /^\/admin$/ },
};

/** Pages by URL pattern. */
export const PAGES: Record<string, PageCase[]> = {
  '/': [{ label: 'front page', path: () => '/', expect: PUBLIC }],
  '/reports': [{ label: 'published reports', path: () => '/reports', expect: PUBLIC }],
  '/reports/[publicId]': [
    { label: 'a published report', path: (w) => `/reports/${w.publicId}`, expect: PUBLIC },
    { label: 'an unknown public id', path: () => '/reports/no-such-report', expect: NOT_FOUND_FOR_ALL },
    { label: 'an internal report id', path: (w) => `/reports/${w.verified.id}`, expect: NOT_FOUND_FOR_ALL },
  ],
  '/stats': [{ label: 'statistics', path: () => '/stats', expect: PUBLIC }],
  '/sign-in': [{ label: 'sign-in', path: () => '/sign-in', expect: SIGNED_IN_GO_HOME }],
  '/sign-in/two-factor': [{ label: 'second step without a pending sign-in', path: () => '/sign-in/two-factor', expect: SIGNED_IN_GO_HOME }],
  '/sign-in/enrol': [{ label: 'enrolment without a pending sign-in', path: () => '/sign-in/enrol', expect: PUBLIC }],
  '/invite/[token]': [{ label: 'an unknown one-time link', path: () => `/invite/${crypto.randomBytes(32).toString('base64url')}`, expect: PUBLIC }],

  '/account/security': [{ label: 'own two-step sign-in settings', path: () => '/account/security', expect: { anonymous: 'sign-in', partner: 200, editor: 200, admin: 200 } }],

  '/partner': [{ label: "partner's reports", path: () => '/partner', expect: PARTNER_AREA }],
  '/partner/reports/new': [{ label: 'new report form', path: () => '/partner/reports/new', expect: PARTNER_AREA }],
  '/partner/reports/[id]': [
    { label: 'own report', path: (w) => `/partner/reports/${w.own.submitted.id}`, expect: PARTNER_AREA },
    { label: "another partner's report", path: (w) => `/partner/reports/${w.other.submitted.id}`, expect: { ...PARTNER_AREA, partner: 404 } },
    { label: "another partner's draft", path: (w) => `/partner/reports/${w.other.draft.id}`, expect: { ...PARTNER_AREA, partner: 404 } },
    { label: 'no such report', path: () => '/partner/reports/99999999', expect: { ...PARTNER_AREA, partner: 404 } },
    { label: 'a malformed id', path: () => '/partner/reports/1%20OR%201=1', expect: { ...PARTNER_AREA, partner: 404 } },
  ],
  '/partner/reports/[id]/edit': [
    { label: 'own draft', path: (w) => `/partner/reports/${w.own.draft.id}/edit`, expect: PARTNER_AREA },
    {
      label: 'own submitted report (no longer editable: back to its page)',
      path: (w) => `/partner/reports/${w.own.submitted.id}/edit`,
      expect: { ...PARTNER_AREA, partner: { redirect: /^\/partner\/reports\/\d+$/ } },
    },
    { label: "another partner's draft", path: (w) => `/partner/reports/${w.other.draft.id}/edit`, expect: { ...PARTNER_AREA, partner: 404 } },
  ],

  '/partner/reports/[id]/photos': [
    { label: "own draft's photos", path: (w) => `/partner/reports/${w.own.draft.id}/photos`, expect: PARTNER_AREA },
    { label: "another partner's draft's photos", path: (w) => `/partner/reports/${w.other.draft.id}/photos`, expect: { ...PARTNER_AREA, partner: 404 } },
  ],

  '/editor': [{ label: 'moderation queue', path: () => '/editor', expect: EDITOR_AREA }],
  '/editor/bulk': [{ label: 'bulk confirmation', path: () => '/editor/bulk?action=claim&status=submitted', expect: EDITOR_AREA }],
  '/editor/reports/[id]': [
    { label: 'a submitted report', path: (w) => `/editor/reports/${w.other.submitted.id}`, expect: EDITOR_AREA },
    { label: "a partner's own submitted report", path: (w) => `/editor/reports/${w.own.submitted.id}`, expect: EDITOR_AREA },
    { label: "a partner's draft (editors never see drafts)", path: (w) => `/editor/reports/${w.own.draft.id}`, expect: { ...EDITOR_AREA, editor: 404, admin: 404 } },
    { label: 'no such report', path: () => '/editor/reports/99999999', expect: { ...EDITOR_AREA, editor: 404, admin: 404 } },
  ],
  '/editor/reports/[id]/edit': [
    { label: 'a submitted report', path: (w) => `/editor/reports/${w.other.submitted.id}/edit`, expect: EDITOR_AREA },
    { label: 'a draft', path: (w) => `/editor/reports/${w.other.draft.id}/edit`, expect: { ...EDITOR_AREA, editor: 404, admin: 404 } },
  ],
  '/editor/reports/[id]/publish': [
    { label: 'a verified report', path: (w) => `/editor/reports/${w.verified.id}/publish`, expect: EDITOR_AREA },
    { label: 'a draft', path: (w) => `/editor/reports/${w.other.draft.id}/publish`, expect: { ...EDITOR_AREA, editor: 404, admin: 404 } },
  ],

  '/admin': [{ label: 'accounts', path: () => '/admin', expect: ADMIN_AREA }],
  '/admin/audit': [{ label: 'audit log', path: () => '/admin/audit', expect: ADMIN_AREA }],
  '/admin/lists': [{ label: 'reference lists', path: () => '/admin/lists?list=agencies', expect: ADMIN_AREA }],
  '/admin/accounts/[id]': [
    { label: 'an account', path: (w) => `/admin/accounts/${w.otherPartner.id}`, expect: ADMIN_AREA },
    { label: 'no such account', path: () => '/admin/accounts/99999999', expect: { ...ADMIN_AREA, admin: 404 } },
  ],
  '/admin/lists/[list]/[id]': [
    { label: 'a gazetteer entry', path: () => '/admin/lists/places/kp-hyesan', expect: ADMIN_AREA },
    { label: 'no such list', path: () => '/admin/lists/secrets/kp-hyesan', expect: { ...ADMIN_AREA, admin: 404 } },
  ],
};

/** Route handlers by 'METHOD /pattern'. */
export const ROUTES: Record<string, RouteCase[]> = {
  'GET /exports/reports.csv': [{ label: 'CSV export', path: () => '/exports/reports.csv', expect: PUBLIC }],
  'GET /exports/reports.json': [{ label: 'JSON export', path: () => '/exports/reports.json', expect: PUBLIC }],
  'GET /exports/reports.schema.json': [{ label: 'export schema', path: () => '/exports/reports.schema.json', expect: PUBLIC }],
  'GET /feed.xml': [{ label: 'Atom feed', path: () => '/feed.xml', expect: PUBLIC }],
  'GET /api/health': [{ label: 'liveness', path: () => '/api/health', expect: PUBLIC }],
  'GET /icon.svg': [{ label: 'site icon (app/icon.svg)', path: () => '/icon.svg', expect: PUBLIC }],
  // The test server holds its key (a key file), so it is never sealed: the form is not there and a
  // passphrase changes nothing (the sealed behaviour: lib/at-rest/unseal.test.ts, e2e/security-at-rest.spec.ts).
  'GET /unseal': [{ label: 'the unseal form of a server that is not sealed', path: () => '/unseal', expect: NOT_FOUND_FOR_ALL }],
  'POST /unseal': [
    {
      label: 'a passphrase sent to a server that is not sealed',
      path: () => '/unseal',
      body: () => new URLSearchParams({ passphrase: 'anything at all, long enough' }),
      expect: { anonymous: { redirect: /^\/$/ }, partner: { redirect: /^\/$/ }, editor: { redirect: /^\/$/ }, admin: { redirect: /^\/$/ } },
    },
  ],
  'POST /sign-out': [
    {
      label: 'sign out',
      path: () => '/sign-out',
      freshSession: true,
      expect: { anonymous: { redirect: /^\/sign-in\?signedOut=1$/ }, partner: { redirect: /^\/sign-in\?signedOut=1$/ }, editor: { redirect: /^\/sign-in\?signedOut=1$/ }, admin: { redirect: /^\/sign-in\?signedOut=1$/ } },
    },
  ],
  'GET /photos/[photoId]': [
    {
      label: "a photo of the partner's own draft (never public; editors see no drafts' photos either)",
      path: (w) => `/photos/${w.photos.own}`,
      expect: { anonymous: 404, partner: 200, editor: 404, admin: 404 },
    },
    { label: "a photo of another partner's draft", path: (w) => `/photos/${w.photos.other}`, expect: NOT_FOUND_FOR_ALL },
    { label: 'no such photo', path: () => '/photos/99999999', expect: NOT_FOUND_FOR_ALL },
    { label: 'a malformed id', path: () => '/photos/..%2F..%2Ffield-reports.db', expect: NOT_FOUND_FOR_ALL },
  ],
  'POST /partner/reports/[id]/photos/upload': [
    {
      label: 'a photo for own draft',
      path: (w) => `/partner/reports/${w.own.draft.id}/photos/upload`,
      body: () => photoUploadBody(),
      expect: { anonymous: { redirect: /^\/sign-in\?callbackUrl=/ }, partner: { redirect: /^\/partner\/reports\/\d+\/photos\?done=uploaded$/ }, editor: 403, admin: 403 },
    },
    {
      label: "a photo for another partner's draft",
      path: (w) => `/partner/reports/${w.other.draft.id}/photos/upload`,
      body: () => photoUploadBody(),
      expect: { anonymous: { redirect: /^\/sign-in\?callbackUrl=/ }, partner: 404, editor: 403, admin: 403 },
    },
  ],
  // next-auth's own endpoints (the sign-in page uses the Server Action; these answer anyone).
  'GET /api/auth/[...nextauth]': [
    { label: 'providers', path: () => '/api/auth/providers', expect: ANYONE },
    { label: 'CSRF token', path: () => '/api/auth/csrf', expect: ANYONE },
    { label: 'session', path: () => '/api/auth/session', expect: ANYONE },
    { label: "next-auth's sign-in page (sends to ours)", path: () => '/api/auth/signin', expect: ANYONE },
  ],
  'POST /api/auth/[...nextauth]': [
    {
      label: 'credentials callback without a CSRF token',
      path: () => '/api/auth/callback/credentials',
      body: () => new URLSearchParams({ codeName: 'nobody', password: 'wrong' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      expect: ANYONE,
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Server Actions
// ---------------------------------------------------------------------------------------------

export type ActionOutcome = 'allowed' | 'refused' | 'public';
export type ActionExpect = Record<Caller, ActionOutcome>;
/** One prepared call: where it is posted, its arguments, and what would change if it ran. */
export type ActionCall = {
  page: string;
  args: unknown[];
  probe: () => unknown;
  cleanup?: () => void;
  /** A session to call with instead of the caller's (for calls that end the session they use). */
  cookie?: string;
};
export type ActionCase = { label: string; expect: ActionExpect; prepare: (w: World, caller: Caller) => Promise<ActionCall> | ActionCall };

const PARTNER_ONLY: ActionExpect = { anonymous: 'refused', partner: 'allowed', editor: 'refused', admin: 'refused' };
const EDITORS: ActionExpect = { anonymous: 'refused', partner: 'refused', editor: 'allowed', admin: 'allowed' };
const ADMINS: ActionExpect = { anonymous: 'refused', partner: 'refused', editor: 'refused', admin: 'allowed' };
const NOBODY: ActionExpect = { anonymous: 'refused', partner: 'refused', editor: 'refused', admin: 'refused' };
const EVERYONE: ActionExpect = { anonymous: 'allowed', partner: 'allowed', editor: 'allowed', admin: 'allowed' };

const EDITOR_STATE = { ok: true, values: {}, attempt: 0 };
const ADMIN_STATE = { ok: true };
const reportProbe = (id: number) => () => rowJson('reports', 'id = ?', id);
/** The account of a signed-in caller (null for anonymous). */
const callerId = (w: World, caller: Caller): number | null =>
  caller === 'partner' ? w.partner.id : caller === 'editor' ? w.editor.id : caller === 'admin' ? w.admin.id : null;
/** The editor holding a claim in cases where the caller acts on a claimed report (the admin for the admin). */
const claimerFor = (w: World, caller: Caller) => (caller === 'admin' ? w.admin.id : w.editor.id);
const hex = () => crypto.randomBytes(4).toString('hex');

/** The report form's first state, as the page hands it to useActionState (an empty form). */
function reportFormState(clientId: string) {
  return initialReportFormState(
    { clientId, observedFrom: '', observedFromChoice: '', observedTo: '', observedToChoice: '', timeZone: 'Asia/Pyongyang', timeNote: '', placeId: '', placeDetail: '', placePrecision: '', title: '', narrative: '', sourceType: '', safetyNote: '', vehicles: [], goods: [], agencies: [] },
    null,
  );
}

/** The form values object autosave sends (ReportFormValues). */
function autosaveValues(clientId: string, title: string) {
  const fields = reportFormFields(clientId, { title });
  const scalars = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.includes('.')));
  return { observedFromChoice: '', observedToChoice: '', ...scalars, vehicles: [], goods: [], agencies: [] };
}

function freshAccount(role: string, extra: { status?: string; totpSecret?: string | null } = {}): number {
  return withDb(
    (db) =>
      (
        db
          .prepare('INSERT INTO accounts (code_name, role, status, password_hash, totp_secret) VALUES (?, ?, ?, ?, ?) RETURNING id')
          .get(`authz-${role}-${hex()}`, role, extra.status ?? 'active', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', extra.totpSecret ?? null) as { id: number }
      ).id,
  );
}

function freshAgency({ retired = false }: { retired?: boolean } = {}): string {
  const id = `authz-agency-${hex()}`;
  withDb((db) =>
    db.prepare("INSERT INTO agencies (id, kind, name_en, name_ko, retired_at) VALUES (?, 'trading_company', ?, '시험 회사', ?)").run(id, `Authz Trading ${id}`, retired ? Date.now() : null),
  );
  return id;
}

/** Publish `report` through the publish form's action as `cookie`'s editor (for retraction cases). */
export async function publishThroughApp(report: SeededReport, cookie: string): Promise<string> {
  const result = await callAction({
    key: 'app/(editor)/editor/reports/[id]/publish/actions.ts#publishFormAction',
    page: `/editor/reports/${report.id}/publish`,
    cookie,
    args: [{ status: 'idle', message: null, fieldErrors: {}, values: {}, preview: null }, publishForm(report)],
  });
  const row = withDb((db) => db.prepare('SELECT public_id AS publicId FROM publications WHERE report_id = ?').get(report.id) as { publicId: string } | undefined);
  if (!row) throw new Error(`publishing report ${report.id} failed: HTTP ${result.status} ${JSON.stringify(result.value)}`);
  return row.publicId;
}

function publishForm(report: SeededReport) {
  const version = withDb((db) => (db.prepare('SELECT version FROM reports WHERE id = ?').get(report.id) as { version: number }).version);
  return form({
    reportId: String(report.id),
    version: String(version),
    intent: 'publish',
    title: `Public ${report.title}`,
    summary: 'Trucks crossed at night.',
    placeCoarsening: 'province',
    timeCoarsening: 'day',
  });
}

/** Sessions the action cases need for setting up (seedWorld fills it). */
export const setupSessions: { editor: string; partner: string; otherPartner: string } = { editor: '', partner: '', otherPartner: '' };

/**
 * Seed the matrix's objects (two fresh partners with a draft and a submitted report each, a
 * verified report, a report published through the app) and sign in each caller.
 */
export async function seedWorld(): Promise<{ world: World; sessions: Record<Caller, string> }> {
  const partner = await freshPartner('authz-a');
  const otherPartner = await freshPartner('authz-b');
  const editor = demoAccount('editor');
  const admin = demoAccount('admin');
  const sessions: Record<Caller, string> = {
    anonymous: '',
    partner: await signInCookie(partner.codeName, partner.password),
    editor: await signInCookie(editor.codeName, editor.password),
    admin: await signInCookie(admin.codeName, admin.password),
  };
  setupSessions.editor = sessions.editor;
  setupSessions.partner = sessions.partner;
  setupSessions.otherPartner = await signInCookie(otherPartner.codeName, otherPartner.password);
  const toPublish = seedReport({ authorId: otherPartner.id, status: 'verified' });
  const ownDraft = seedReport({ authorId: partner.id, status: 'draft' });
  const otherDraft = seedReport({ authorId: otherPartner.id, status: 'draft' });
  const world: World = {
    partner,
    otherPartner,
    editor,
    admin,
    own: { draft: ownDraft, submitted: seedReport({ authorId: partner.id, status: 'submitted' }) },
    other: { draft: otherDraft, submitted: seedReport({ authorId: otherPartner.id, status: 'submitted' }) },
    verified: seedReport({ authorId: otherPartner.id, status: 'verified' }),
    publicId: await publishThroughApp(toPublish, sessions.editor),
    photos: { own: await uploadPhoto(sessions.partner, ownDraft.id), other: await uploadPhoto(setupSessions.otherPartner, otherDraft.id) },
  };
  return { world, sessions };
}

/** Server Actions by 'file#export' (the key server-reference-manifest.json gives them). */
export const ACTIONS: Record<string, ActionCase[]> = {
  // --- sign-in and one-time links: the credential is in the request, so anyone may call them ---
  'app/(auth)/sign-in/actions.ts#signInAction': [
    {
      label: 'right password of a partner account (anyone may sign in)',
      expect: EVERYONE,
      prepare: async () => {
        const account = await freshPartner('authz-signin');
        return {
          page: '/sign-in',
          args: [{ ok: false, values: { codeName: '' } }, form({ codeName: account.codeName, password: account.password })],
          probe: () => rowJson('accounts', 'id = ?', account.id),
        };
      },
    },
  ],
  'app/(auth)/sign-in/actions.ts#twoFactorAction': [
    {
      label: 'a code without a pending sign-in',
      expect: NOBODY,
      prepare: () => {
        const id = freshAccount('editor', { totpSecret: 'JBSWY3DPEHPK3PXP' });
        return { page: '/sign-in/two-factor', args: [{ ok: false }, form({ code: '123456' })], probe: () => rowJson('accounts', 'id = ?', id) + countRows('recovery_codes', 'account_id = ?', id) };
      },
    },
  ],
  'app/(auth)/sign-in/actions.ts#enrolAction': [
    {
      label: 'enrolment without a pending sign-in',
      expect: NOBODY,
      prepare: () => {
        const id = freshAccount('editor');
        return { page: '/sign-in/enrol', args: [{ ok: false }, form({ code: '123456' })], probe: () => rowJson('accounts', 'id = ?', id) + countRows('recovery_codes', 'account_id = ?', id) };
      },
    },
  ],
  'app/(auth)/invite/[token]/actions.ts#setPasswordAction': [
    {
      label: 'a valid one-time link (the token is the credential)',
      expect: EVERYONE,
      prepare: () => {
        const id = freshAccount('partner');
        const token = crypto.randomBytes(32).toString('base64url');
        const tokenHash = crypto.createHash('sha256').update(token, 'utf8').digest('hex');
        withDb((db) =>
          db.prepare("INSERT INTO invitations (account_id, token_hash, purpose, expires_at) VALUES (?, ?, 'invite', ?)").run(id, tokenHash, Date.now() + 3600_000),
        );
        const password = `a long new password ${hex()}`;
        return { page: `/invite/${token}`, args: [{ ok: false }, form({ token, password, confirmPassword: password })], probe: () => rowJson('accounts', 'id = ?', id) };
      },
    },
    {
      label: 'an unknown one-time link',
      expect: NOBODY,
      prepare: () => {
        const id = freshAccount('partner');
        const token = crypto.randomBytes(32).toString('base64url');
        const password = `a long new password ${hex()}`;
        return { page: `/invite/${token}`, args: [{ ok: false }, form({ token, password, confirmPassword: password })], probe: () => rowJson('accounts', 'id = ?', id) + countRows('accounts', 'password_hash IS NULL') };
      },
    },
  ],
  'app/(auth)/account/security/actions.ts#startSettingsEnrolmentAction': [
    {
      label: 'begin setting up two-step sign-in (a cookie only; anonymous callers are sent to sign-in)',
      expect: { anonymous: 'public', partner: 'public', editor: 'public', admin: 'public' },
      prepare: () => ({ page: '/account/security', args: [form({})], probe: () => null }),
    },
  ],
  'app/(auth)/account/security/actions.ts#settingsEnrolAction': [
    {
      label: 'confirm a code without having begun',
      expect: NOBODY,
      prepare: (w, caller) => {
        const id = callerId(w, caller) ?? w.partner.id;
        return { page: '/account/security', args: [{ ok: false }, form({ code: '123456' })], probe: () => rowJson('accounts', 'id = ?', id) + countRows('recovery_codes', 'account_id = ?', id) };
      },
    },
  ],
  'app/(auth)/account/security/actions.ts#replaceRecoveryCodesAction': [
    {
      label: 'replace own recovery codes with a current app code (anyone signed in with two-step sign-in on)',
      expect: { anonymous: 'refused', partner: 'allowed', editor: 'allowed', admin: 'allowed' },
      prepare: (w, caller) => {
        const id = callerId(w, caller) ?? w.partner.id;
        const secret = new Secret({ size: 20 }).base32;
        const previous = withDb((db) => db.prepare('SELECT totp_secret AS secret, totp_last_step AS step FROM accounts WHERE id = ?').get(id) as { secret: string | null; step: number | null });
        withDb((db) => db.prepare('UPDATE accounts SET totp_secret = ?, totp_last_step = NULL WHERE id = ?').run(secret, id));
        const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
        return {
          page: '/account/security',
          args: [{ ok: false }, form({ code })],
          probe: () => rowJson('recovery_codes', 'account_id = ?', id),
          cleanup: () => withDb((db) => db.prepare('UPDATE accounts SET totp_secret = ?, totp_last_step = ? WHERE id = ?').run(previous.secret, previous.step, id)),
        };
      },
    },
  ],
  'app/(auth)/account/security/actions.ts#turnOffTwoFactorAction': [
    {
      label: 'turn off own two-step sign-in with a current code (partners only: editors and admins must keep it)',
      expect: PARTNER_ONLY,
      prepare: async (w, caller) => {
        const secret = new Secret({ size: 20 }).base32;
        let id: number;
        let cookie: string | undefined;
        if (caller === 'partner') {
          // A partner of its own: turning 2FA off ends the session it was made with.
          const account = await freshPartner('authz-2fa');
          id = account.id;
          cookie = await signInCookie(account.codeName, account.password);
        } else {
          id = callerId(w, caller) ?? w.partner.id;
        }
        const previous = withDb((db) => db.prepare('SELECT totp_secret AS secret, totp_last_step AS step FROM accounts WHERE id = ?').get(id) as { secret: string | null; step: number | null });
        withDb((db) => db.prepare('UPDATE accounts SET totp_secret = ? , totp_last_step = NULL WHERE id = ?').run(secret, id));
        const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
        return {
          page: '/account/security',
          args: [{ ok: false }, form({ code })],
          probe: () => rowJson('accounts', 'id = ?', id),
          cookie,
          cleanup: () => {
            if (caller !== 'partner') withDb((db) => db.prepare('UPDATE accounts SET totp_secret = ?, totp_last_step = ? WHERE id = ?').run(previous.secret, previous.step, id));
          },
        };
      },
    },
  ],
  'app/actions.ts#changeLocale': [
    {
      label: "the caller's language (remembered on the account when signed in)",
      expect: { anonymous: 'public', partner: 'allowed', editor: 'allowed', admin: 'allowed' },
      prepare: (w, caller) => {
        const account = caller === 'anonymous' ? null : caller === 'partner' ? w.partner : caller === 'editor' ? w.editor : w.admin;
        const restore = () => account && withDb((db) => db.prepare("UPDATE accounts SET locale = 'en' WHERE id = ?").run(account.id));
        return {
          page: '/',
          args: [form({ locale: 'ko', returnTo: '/' })],
          probe: () => (account ? rowJson('accounts', 'id = ?', account.id) : null),
          cleanup: restore,
        };
      },
    },
  ],

  // --- partner: own drafts and reports only ---
  'app/(partner)/partner/reports/actions.ts#reportFormAction': [
    {
      label: 'save own draft',
      expect: PARTNER_ONLY,
      prepare: (w) => {
        const draft = seedReport({ authorId: w.partner.id, status: 'draft' });
        return {
          page: `/partner/reports/${draft.id}/edit`,
          args: [reportFormState(draft.clientId), form({ ...reportFormFields(draft.clientId, { title: `Changed ${hex()}` }), intent: 'save' })],
          probe: reportProbe(draft.id),
        };
      },
    },
    {
      label: "save over another partner's draft (its client id)",
      expect: NOBODY,
      prepare: (w) => {
        const draft = seedReport({ authorId: w.otherPartner.id, status: 'draft' });
        return {
          page: '/partner/reports/new',
          args: [reportFormState(draft.clientId), form({ ...reportFormFields(draft.clientId, { title: `Hijacked ${hex()}` }), intent: 'save' })],
          probe: reportProbe(draft.id),
        };
      },
    },
    {
      label: 'submit a new report',
      expect: PARTNER_ONLY,
      prepare: () => {
        const clientId = crypto.randomUUID();
        return {
          page: '/partner/reports/new',
          args: [reportFormState(clientId), form({ ...reportFormFields(clientId), intent: 'submit' })],
          probe: () => rowJson('reports', 'client_id = ?', clientId),
        };
      },
    },
    {
      label: 'a form that sets status and authorId (fields a partner may not set)',
      expect: NOBODY,
      prepare: (w) => {
        const clientId = crypto.randomUUID();
        return {
          page: '/partner/reports/new',
          args: [reportFormState(clientId), form({ ...reportFormFields(clientId), status: 'published', authorId: String(w.otherPartner.id), intent: 'submit' })],
          probe: () => rowJson('reports', 'client_id = ?', clientId),
        };
      },
    },
  ],
  'app/(partner)/partner/reports/actions.ts#autosaveReportDraft': [
    {
      label: 'autosave own draft',
      expect: PARTNER_ONLY,
      prepare: (w) => {
        const draft = seedReport({ authorId: w.partner.id, status: 'draft' });
        return { page: `/partner/reports/${draft.id}/edit`, args: [autosaveValues(draft.clientId, `Autosaved ${hex()}`)], probe: reportProbe(draft.id) };
      },
    },
    {
      label: "autosave over another partner's draft",
      expect: NOBODY,
      prepare: (w) => {
        const draft = seedReport({ authorId: w.otherPartner.id, status: 'draft' });
        return { page: '/partner/reports/new', args: [autosaveValues(draft.clientId, `Hijacked ${hex()}`)], probe: reportProbe(draft.id) };
      },
    },
  ],
  'app/(partner)/partner/reports/actions.ts#deleteDraftAction': [
    {
      label: 'delete own draft (confirmed)',
      expect: PARTNER_ONLY,
      prepare: (w) => {
        const draft = seedReport({ authorId: w.partner.id, status: 'draft' });
        return {
          page: `/partner/reports/${draft.id}/edit`,
          args: [{ seq: 0, ok: false }, form({ reportId: String(draft.id), confirm: 'yes' })],
          probe: () => rowJson('reports', 'id = ?', draft.id),
        };
      },
    },
    {
      label: "delete another partner's draft",
      expect: NOBODY,
      prepare: (w) => {
        const draft = seedReport({ authorId: w.otherPartner.id, status: 'draft' });
        return {
          page: `/partner/reports/${w.own.draft.id}/edit`,
          args: [{ seq: 0, ok: false }, form({ reportId: String(draft.id), confirm: 'yes' })],
          probe: () => rowJson('reports', 'id = ?', draft.id),
        };
      },
    },
    {
      label: 'delete own report once submitted',
      expect: NOBODY,
      prepare: (w) => ({
        page: `/partner/reports/${w.own.submitted.id}`,
        args: [{ seq: 0, ok: false }, form({ reportId: String(w.own.submitted.id), confirm: 'yes' })],
        probe: () => rowJson('reports', 'id = ?', w.own.submitted.id),
      }),
    },
  ],
  'app/(partner)/partner/reports/actions.ts#postReportReply': [
    {
      label: 'reply on own report',
      expect: PARTNER_ONLY,
      prepare: (w) => ({
        page: `/partner/reports/${w.own.submitted.id}`,
        args: [{ seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' }, form({ reportId: String(w.own.submitted.id), body: `Reply ${hex()}` })],
        probe: () => countRows('report_messages', 'report_id = ?', w.own.submitted.id),
      }),
    },
    {
      label: "reply on another partner's report",
      expect: NOBODY,
      prepare: (w) => ({
        page: `/partner/reports/${w.own.submitted.id}`,
        args: [{ seq: 0, ok: false, messageKey: null, fieldErrors: {}, body: '' }, form({ reportId: String(w.other.submitted.id), body: `Intrusion ${hex()}` })],
        probe: () => countRows('report_messages', 'report_id = ?', w.other.submitted.id),
      }),
    },
  ],

  'app/(partner)/partner/reports/[id]/photos/actions.ts#savePhotoCaptionAction': [
    {
      label: "caption a photo of own draft",
      expect: PARTNER_ONLY,
      prepare: async (w) => {
        const draft = seedReport({ authorId: w.partner.id, status: 'draft' });
        const photoId = await uploadPhoto(setupSessions.partner, draft.id);
        return {
          page: `/partner/reports/${draft.id}/photos`,
          args: [form({ reportId: String(draft.id), photoId: String(photoId), caption: `Caption ${hex()}` })],
          probe: () => rowJson('photos', 'id = ?', photoId),
        };
      },
    },
    {
      label: "caption a photo of another partner's draft",
      expect: NOBODY,
      prepare: async (w) => {
        const theirs = seedReport({ authorId: w.otherPartner.id, status: 'draft' });
        const photoId = await uploadPhoto(setupSessions.otherPartner, theirs.id);
        return {
          page: `/partner/reports/${w.own.draft.id}/photos`,
          args: [form({ reportId: String(w.own.draft.id), photoId: String(photoId), caption: `Intrusion ${hex()}` })],
          probe: () => rowJson('photos', 'id = ?', photoId),
        };
      },
    },
  ],
  'app/(partner)/partner/reports/[id]/photos/actions.ts#removePhotoAction': [
    {
      label: 'remove a photo of own draft',
      expect: PARTNER_ONLY,
      prepare: async (w) => {
        const draft = seedReport({ authorId: w.partner.id, status: 'draft' });
        const photoId = await uploadPhoto(setupSessions.partner, draft.id);
        return {
          page: `/partner/reports/${draft.id}/photos`,
          args: [form({ reportId: String(draft.id), photoId: String(photoId) })],
          probe: () => rowJson('photos', 'id = ?', photoId),
        };
      },
    },
    {
      label: "remove a photo of another partner's draft",
      expect: NOBODY,
      prepare: async (w) => {
        const theirs = seedReport({ authorId: w.otherPartner.id, status: 'draft' });
        const photoId = await uploadPhoto(setupSessions.otherPartner, theirs.id);
        return {
          page: `/partner/reports/${w.own.draft.id}/photos`,
          args: [form({ reportId: String(w.own.draft.id), photoId: String(photoId) })],
          probe: () => rowJson('photos', 'id = ?', photoId),
        };
      },
    },
  ],

  // --- editors (and admins) ---
  'app/(editor)/editor/reports/[id]/actions.ts#decideAction': [
    {
      label: "claim a partner's submitted report (the partner is its author)",
      expect: EDITORS,
      prepare: (w) => {
        const report = seedReport({ authorId: w.partner.id, status: 'submitted' });
        return { page: `/editor/reports/${report.id}`, args: [EDITOR_STATE, form({ reportId: String(report.id), version: '1', action: 'claim' })], probe: reportProbe(report.id) };
      },
    },
    {
      label: 'verify a claimed report (grading)',
      expect: EDITORS,
      prepare: (w, caller) => {
        const report = seedReport({ authorId: w.otherPartner.id, status: 'in_review', claimedBy: claimerFor(w, caller) });
        return {
          page: `/editor/reports/${report.id}`,
          args: [EDITOR_STATE, form({ reportId: String(report.id), version: '1', action: 'verify', sourceReliability: 'B', informationCredibility: '2', note: 'checked' })],
          probe: reportProbe(report.id),
        };
      },
    },
    {
      label: 'claim a draft (editors never see drafts)',
      expect: NOBODY,
      prepare: (w) => {
        const report = seedReport({ authorId: w.otherPartner.id, status: 'draft' });
        return { page: `/editor/reports/${report.id}`, args: [EDITOR_STATE, form({ reportId: String(report.id), version: '1', action: 'claim' })], probe: reportProbe(report.id) };
      },
    },
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#postToThreadAction': [
    {
      label: 'message to the partner',
      expect: EDITORS,
      prepare: (w) => {
        const report = seedReport({ authorId: w.partner.id, status: 'submitted' });
        return {
          page: `/editor/reports/${report.id}`,
          args: [EDITOR_STATE, form({ reportId: String(report.id), version: '1', kind: 'message', body: `Question ${hex()}` })],
          probe: () => countRows('report_messages', 'report_id = ?', report.id),
        };
      },
    },
    {
      label: 'internal note',
      expect: EDITORS,
      prepare: (w) => {
        const report = seedReport({ authorId: w.partner.id, status: 'submitted' });
        return {
          page: `/editor/reports/${report.id}`,
          args: [EDITOR_STATE, form({ reportId: String(report.id), version: '1', kind: 'note', body: `Note ${hex()}` })],
          probe: () => countRows('report_messages', 'report_id = ?', report.id),
        };
      },
    },
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#linkAction': [
    {
      label: 'link two reports',
      expect: EDITORS,
      prepare: (w) => {
        const a = seedReport({ authorId: w.partner.id, status: 'submitted' });
        const b = seedReport({ authorId: w.otherPartner.id, status: 'submitted' });
        return {
          page: `/editor/reports/${a.id}`,
          args: [EDITOR_STATE, form({ reportId: String(a.id), version: '1', otherReportId: String(b.id), kind: 'corroborates' })],
          probe: () => countRows('report_links', 'report_id = ? OR other_report_id = ?', a.id, a.id),
        };
      },
    },
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#unlinkAction': [
    {
      label: 'remove a link',
      expect: EDITORS,
      prepare: (w) => {
        const a = seedReport({ authorId: w.partner.id, status: 'submitted' });
        const b = seedReport({ authorId: w.otherPartner.id, status: 'submitted' });
        const linkId = withDb(
          (db) =>
            (db.prepare("INSERT INTO report_links (report_id, other_report_id, kind, created_by) VALUES (?, ?, 'corroborates', ?) RETURNING id").get(a.id, b.id, w.editor.id) as { id: number }).id,
        );
        return {
          page: `/editor/reports/${a.id}`,
          args: [EDITOR_STATE, form({ reportId: String(a.id), version: '1', linkId: String(linkId) })],
          probe: () => countRows('report_links', 'id = ?', linkId),
        };
      },
    },
  ],
  'app/(editor)/editor/reports/[id]/actions.ts#editAction': [
    {
      label: "correct a partner's report",
      expect: EDITORS,
      prepare: (w, caller) => {
        const report = seedReport({ authorId: w.partner.id, status: 'in_review', claimedBy: claimerFor(w, caller) });
        return {
          page: `/editor/reports/${report.id}/edit`,
          args: [{ ok: true, attempt: 0, values: {} }, form({ reportId: String(report.id), version: '1', ...reportFormFields(report.clientId, { title: `Corrected ${hex()}` }), intent: 'save' })],
          probe: reportProbe(report.id),
        };
      },
    },
  ],
  'app/(editor)/editor/actions.ts#bulkSelectedAction': [
    {
      label: 'claim ticked rows',
      expect: EDITORS,
      prepare: (w) => {
        const report = seedReport({ authorId: w.partner.id, status: 'submitted' });
        return { page: '/editor', args: [EDITOR_STATE, form({ reports: [`${report.id}:1`], action: 'claim' })], probe: reportProbe(report.id) };
      },
    },
  ],
  'app/(editor)/editor/actions.ts#bulkFilteredAction': [
    {
      label: "claim every report a filter matched (one partner's reports)",
      expect: EDITORS,
      prepare: async () => {
        const author = await freshPartner('authz-bulk');
        const report = seedReport({ authorId: author.id, status: 'submitted' });
        const maxId = withDb((db) => (db.prepare('SELECT max(id) AS id FROM reports').get() as { id: number }).id);
        return {
          page: '/editor/bulk',
          args: [EDITOR_STATE, form({ action: 'claim', status: 'submitted', partner: author.codeName, maxId: String(maxId), asOf: String(Date.now() + 1000) })],
          probe: reportProbe(report.id),
        };
      },
    },
  ],
  'app/(editor)/editor/reports/[id]/publish/actions.ts#publishFormAction': [
    {
      label: 'publish a verified report',
      expect: EDITORS,
      prepare: (w) => {
        const report = seedReport({ authorId: w.otherPartner.id, status: 'verified' });
        return {
          page: `/editor/reports/${report.id}/publish`,
          args: [{ status: 'idle', message: null, fieldErrors: {}, values: {}, preview: null }, publishForm(report)],
          probe: () => rowJson('publications', 'report_id = ?', report.id) + rowJson('reports', 'id = ?', report.id),
        };
      },
    },
  ],
  'app/(editor)/editor/reports/[id]/publish/actions.ts#retractFormAction': [
    {
      label: 'retract a published report',
      expect: EDITORS,
      prepare: async (w) => {
        const report = seedReport({ authorId: w.otherPartner.id, status: 'verified' });
        await publishThroughApp(report, setupSessions.editor);
        const version = withDb((db) => (db.prepare('SELECT version FROM reports WHERE id = ?').get(report.id) as { version: number }).version);
        return {
          page: `/editor/reports/${report.id}/publish`,
          args: [{ message: null, fieldErrors: {}, reason: '' }, form({ reportId: String(report.id), version: String(version), reason: 'Could not be confirmed.' })],
          probe: () => rowJson('publications', 'report_id = ?', report.id),
        };
      },
    },
  ],
  'app/(editor)/editor/_components/map-other-agency/action.ts#mapOtherAgencyAction': [
    {
      label: "map a partner's other agency to a list entry",
      expect: EDITORS,
      prepare: (w) => {
        const report = seedReport({ authorId: w.partner.id, status: 'submitted' });
        const agencyId = freshAgency();
        const rowId = withDb(
          (db) =>
            (db.prepare("INSERT INTO report_agencies (report_id, position, agency_id, other_name, role, note) VALUES (?, 0, NULL, 'Unknown Co', 'operator', '') RETURNING id").get(report.id) as {
              id: number;
            }).id,
        );
        return {
          page: `/editor/reports/${report.id}`,
          args: [{ ok: false }, form({ reportAgencyRowId: String(rowId), agencyId })],
          probe: () => rowJson('report_agencies', 'id = ?', rowId),
        };
      },
    },
  ],

  // --- admins ---
  'app/(admin)/admin/actions.ts#createAccountAction': [
    {
      label: 'create an account',
      expect: ADMINS,
      prepare: () => {
        const codeName = `authz-new-${hex()}`;
        return { page: '/admin', args: [ADMIN_STATE, form({ codeName, role: 'admin' })], probe: () => countRows('accounts', 'code_name = ?', codeName) };
      },
    },
  ],
  'app/(admin)/admin/actions.ts#changeRoleAction': [
    {
      label: 'make a partner an admin',
      expect: ADMINS,
      prepare: () => {
        const id = freshAccount('partner');
        return { page: '/admin', args: [ADMIN_STATE, form({ accountId: String(id), role: 'admin' })], probe: () => rowJson('accounts', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/actions.ts#deactivateAction': [
    {
      label: 'deactivate an account',
      expect: ADMINS,
      prepare: () => {
        const id = freshAccount('partner');
        return { page: '/admin', args: [ADMIN_STATE, form({ accountId: String(id) })], probe: () => rowJson('accounts', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/actions.ts#reactivateAction': [
    {
      label: 'reactivate an account',
      expect: ADMINS,
      prepare: () => {
        const id = freshAccount('partner', { status: 'deactivated' });
        return { page: '/admin', args: [ADMIN_STATE, form({ accountId: String(id) })], probe: () => rowJson('accounts', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/actions.ts#resetAction': [
    {
      label: 'reset a password (new one-time link)',
      expect: ADMINS,
      prepare: () => {
        const id = freshAccount('partner');
        return { page: '/admin', args: [ADMIN_STATE, form({ accountId: String(id) })], probe: () => rowJson('accounts', 'id = ?', id) + countRows('invitations', 'account_id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/actions.ts#resetTwoFactorAction': [
    {
      label: "remove an account's two-step sign-in",
      expect: ADMINS,
      prepare: () => {
        const id = freshAccount('editor', { totpSecret: 'JBSWY3DPEHPK3PXP' });
        return { page: '/admin', args: [ADMIN_STATE, form({ accountId: String(id) })], probe: () => rowJson('accounts', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/lists/actions.ts#addEntryAction': [
    {
      label: 'add an agency',
      expect: ADMINS,
      prepare: () => {
        const nameEn = `Authz Added ${hex()}`;
        return {
          page: '/admin/lists',
          args: [ADMIN_STATE, form({ list: 'agencies', nameEn, nameKo: '추가', kind: 'trading_company' })],
          probe: () => countRows('agencies', 'name_en = ?', nameEn),
        };
      },
    },
  ],
  'app/(admin)/admin/lists/actions.ts#renameEntryAction': [
    {
      label: 'rename an agency',
      expect: ADMINS,
      prepare: () => {
        const id = freshAgency();
        return { page: '/admin/lists', args: [ADMIN_STATE, form({ list: 'agencies', id, nameEn: `Renamed ${hex()}`, nameKo: '새 이름' })], probe: () => rowJson('agencies', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/lists/actions.ts#retireEntryAction': [
    {
      label: 'retire an agency',
      expect: ADMINS,
      prepare: () => {
        const id = freshAgency();
        return { page: '/admin/lists', args: [ADMIN_STATE, form({ list: 'agencies', id })], probe: () => rowJson('agencies', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/lists/actions.ts#restoreEntryAction': [
    {
      label: 'restore a retired agency',
      expect: ADMINS,
      prepare: () => {
        const id = freshAgency({ retired: true });
        return { page: '/admin/lists', args: [ADMIN_STATE, form({ list: 'agencies', id })], probe: () => rowJson('agencies', 'id = ?', id) };
      },
    },
  ],
  'app/(admin)/admin/lists/actions.ts#mergeEntryAction': [
    {
      label: 'merge an agency into another',
      expect: ADMINS,
      prepare: () => {
        const id = freshAgency();
        const intoId = freshAgency();
        return { page: '/admin/lists', args: [ADMIN_STATE, form({ list: 'agencies', id, intoId })], probe: () => rowJson('agencies', 'id = ?', id) };
      },
    },
  ],
};
