import 'server-only';
import { eq } from 'drizzle-orm';
import type { DB, Tx } from '@/db/client';
import { accounts, type Role } from '@/db/schema';

/** Who is acting: the session account (lib/auth/session.ts SessionAccount satisfies this). */
export type Actor = { id: number; role: Role };

/** Result shape of every data-layer function here (docs/style.md habit 4); messages are i18n keys. */
export type Refusal = { ok: false; message: string; fieldErrors?: Record<string, string[]> };

export const NOT_ALLOWED: Refusal = { ok: false, message: 'accounts.errors.notAllowed' };

/**
 * True when `actor` is, in the database right now, an active account with one of `roles`. The
 * session already checked this at the start of the request; checking again inside the write
 * transaction closes the gap where an admin is demoted or deactivated mid-request.
 */
export function isActorStill(tx: Tx | DB, actor: Actor, roles: readonly Role[]): boolean {
  if (!roles.includes(actor.role)) return false;
  const row = tx.select({ role: accounts.role, status: accounts.status }).from(accounts).where(eq(accounts.id, actor.id)).get();
  return !!row && row.status === 'active' && roles.includes(row.role);
}
