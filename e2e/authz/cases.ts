/**
 * The vocabulary of the authorization manifest (e2e/authz-manifest.ts): what each caller may get
 * from a page, route handler or Server Action, the world of objects the cases act on, and small
 * builders for the shapes that repeat (a case per page, a partner's own object against another
 * partner's, an admin's change to an account or a list entry).
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
import { form, rowJson, withDb, type Account, type Caller, type SeededReport } from '../security-kit';

export type PageOutcome = 200 | 403 | 404 | 'sign-in' | 'public' | { redirect: RegExp };
export type PageExpect = Record<Caller, PageOutcome>;

/** The objects the matrix is run against (seeded by e2e/authz/world.ts). */
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

type Path = string | ((w: World) => string);
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

/** One case of a page or route: `path` a fixed path or one made from the world. */
export function at(label: string, path: Path, expect: PageExpect, extra: Omit<RouteCase, 'label' | 'path' | 'expect'> = {}): RouteCase {
  return { label, path: typeof path === 'string' ? () => path : path, expect, ...extra };
}

/** The same outcome for every caller. */
const forAll = <T>(outcome: T): Record<Caller, T> => ({ anonymous: outcome, partner: outcome, editor: outcome, admin: outcome });
export const PUBLIC: PageExpect = forAll(200);
export const ANYONE: PageExpect = forAll('public');
export const NOT_FOUND_FOR_ALL: PageExpect = forAll(404);
export const PARTNER_AREA: PageExpect = { anonymous: 'sign-in', partner: 200, editor: 403, admin: 403 };
export const EDITOR_AREA: PageExpect = { anonymous: 'sign-in', partner: 403, editor: 200, admin: 200 };
export const ADMIN_AREA: PageExpect = { anonymous: 'sign-in', partner: 403, editor: 403, admin: 200 };
/** The same redirect for every caller. */
export const redirectAll = (redirect: RegExp): PageExpect => forAll({ redirect });

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

export const PARTNER_ONLY: ActionExpect = { anonymous: 'refused', partner: 'allowed', editor: 'refused', admin: 'refused' };
export const EDITORS: ActionExpect = { anonymous: 'refused', partner: 'refused', editor: 'allowed', admin: 'allowed' };
export const ADMINS: ActionExpect = { anonymous: 'refused', partner: 'refused', editor: 'refused', admin: 'allowed' };
export const NOBODY: ActionExpect = forAll('refused');
export const EVERYONE: ActionExpect = forAll('allowed');
/** Anyone may call it; only "no 5xx" is checked. */
export const ANYONE_MAY: ActionExpect = forAll('public');
export const SIGNED_IN: ActionExpect = { anonymous: 'refused', partner: 'allowed', editor: 'allowed', admin: 'allowed' };

/** A case: `label`, the outcome per caller, and how to prepare the call. */
export function action(label: string, expect: ActionExpect, prepare: ActionCase['prepare']): ActionCase {
  return { label, expect, prepare };
}

/**
 * The two cases of a partner's action on an object: on their own (PARTNER_ONLY) and on another
 * partner's (NOBODY). `prepare` gets the author to seed the object for.
 */
export function ownAndOthers(labels: [own: string, others: string], prepare: (w: World, author: Account, whose: 'own' | 'other') => Promise<ActionCall> | ActionCall): ActionCase[] {
  return [action(labels[0], PARTNER_ONLY, (w) => prepare(w, w.partner, 'own')), action(labels[1], NOBODY, (w) => prepare(w, w.otherPartner, 'other'))];
}

/** Before/after probe of a report's row. */
export const reportProbe = (id: number) => () => rowJson('reports', 'id = ?', id);
/** The account of a signed-in caller (null for anonymous). */
export const callerAccount = (w: World, caller: Caller): Account | null => (caller === 'anonymous' ? null : caller === 'partner' ? w.partner : w[caller]);
/** The editor holding a claim in cases where the caller acts on a claimed report (the admin for the admin). */
export const claimerFor = (w: World, caller: Caller) => (caller === 'admin' ? w.admin.id : w.editor.id);
export const hex = () => crypto.randomBytes(4).toString('hex');
/** The `id` of the row a statement answers (an INSERT … RETURNING id, or a SELECT … AS id). */
export const idOf = (sql: string, ...params: unknown[]) => withDb((db) => (db.prepare(sql).get(...params) as { id: number }).id);
export { form };
