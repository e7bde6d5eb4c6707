/**
 * The authorization matrix: every page, route handler and Server Action of the app with the
 * outcome docs/product.md's roles table gives each caller (anonymous, partner, editor, admin), by
 * audience: e2e/authz/public.ts (everyone: the public site, signing in, one's own account),
 * partner.ts, editor.ts, admin.ts; their vocabulary and builders in e2e/authz/cases.ts, the
 * objects they act on in e2e/authz/world.ts. e2e/authz-matrix.spec.ts enumerates the routes and
 * actions from the code and the build and fails on any that is missing here ("unlisted route"),
 * so a new one cannot be forgotten.
 */
import * as admin from './authz/admin';
import * as editor from './authz/editor';
import * as partner from './authz/partner';
import * as everyone from './authz/public';
import type { ActionCase, PageCase, RouteCase } from './authz/cases';

export type { ActionOutcome, PageOutcome, World } from './authz/cases';
export { seedWorld } from './authz/world';

const AUDIENCES = [everyone, partner, editor, admin];

/** Merge the audiences' tables; a key listed twice is a mistake (one home per route). */
function merged<T>(tables: Record<string, T[]>[]): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const table of tables) {
    for (const [key, cases] of Object.entries(table)) {
      if (out[key]) throw new Error(`${key} is listed by two audiences of the authorization manifest`);
      out[key] = cases;
    }
  }
  return out;
}

/** Pages by URL pattern. */
export const PAGES: Record<string, PageCase[]> = merged(AUDIENCES.map((a) => a.PAGES));
/** Route handlers by 'METHOD /pattern'. */
export const ROUTES: Record<string, RouteCase[]> = merged(AUDIENCES.map((a) => a.ROUTES));
/** Server Actions by 'file#export' (the key server-reference-manifest.json gives them). */
export const ACTIONS: Record<string, ActionCase[]> = merged(AUDIENCES.map((a) => a.ACTIONS));
