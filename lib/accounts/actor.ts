import 'server-only';
import { eq } from 'drizzle-orm';
import type { DB, Tx } from '@/db/client';
import { accounts, type Role } from '@/db/schema';
import { refusal, type Refusal } from '@/lib/refusal';

/**
 * Who is acting, as every data-layer function takes it (`{ actor, … }`): the session account
 * (lib/auth/session.ts SessionAccount satisfies this). Declared once, here.
 */
export type Actor = { id: number; role: Role };

/** The refusal for a caller who may not do this (any room's data layer; i18n key in accounts.json). */
export const NOT_ALLOWED: Refusal = refusal('accounts.errors.notAllowed');

/**
 * True when `actor` is, in the database right now, an active account with one of `roles` (an
 * `AREA_ROLES` entry, lib/auth/roles.ts). The session already checked this at the start of the
 * request; checking again inside the write transaction closes the gap where an admin is demoted
 * or deactivated mid-request.
 */
export function isActorStill(tx: Tx | DB, actor: Actor, roles: readonly Role[]): boolean {
  if (!roles.includes(actor.role)) return false;
  const row = tx.select({ role: accounts.role, status: accounts.status }).from(accounts).where(eq(accounts.id, actor.id)).get();
  return !!row && row.status === 'active' && roles.includes(row.role);
}
