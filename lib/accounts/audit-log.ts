import 'server-only';
import { and, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import '@/lib/zod-setup';
import { z } from 'zod';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import { accounts, auditEvents } from '@/db/schema';
import { AREA_ROLES } from '@/lib/auth/roles';
import { AUDIT_KINDS, recordAuditEvent } from '@/lib/audit/record';
import { refusal, type Refusal } from '@/lib/refusal';
import { isActorStill, NOT_ALLOWED, type Actor } from './actor';

/**
 * The audit log as the admin's audit page reads it: newest first, filtered by actor, kind and a
 * UTC date range, paged by id (keyset: "older than event N"), so paging stays fast and stable while
 * new events arrive. The table itself is append-only (db/migrations/0001_append_only_logs.sql), but
 * for collapsed failed sign-ins (one row counting repeated failures, 0006_audit_sign_in_collapse.sql)
 * and the retention of sign-in rows (lib/audit/retention.ts).
 */

export const AUDIT_PAGE_SIZE = 50;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));

/** Filters as they arrive from the page's GET form; anything unparseable is dropped, not an error. */
export const auditFilterSchema = z.object({
  actor: z.union([z.literal('anonymous'), z.coerce.number().int().positive()]).optional().catch(undefined),
  kind: z.enum(AUDIT_KINDS).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilters = z.infer<typeof auditFilterSchema>;

export type AuditEntry = {
  id: number;
  createdAt: Date;
  kind: string;
  actorId: number | null;
  actorCodeName: string | null;
  targetAccountId: number | null;
  targetCodeName: string | null;
  detail: unknown;
  /** Failures this row stands for (collapsed failed sign-ins; 1 for every other row). */
  count: number;
  /** The last of them, when count > 1 (UTC); null otherwise. */
  lastAt: Date | null;
};

/**
 * One page of audit events. Dates are UTC days: `from` includes that whole day, `to` too.
 * @param filters raw query values ({ actor, kind, from, to, before }); see auditFilterSchema
 * @returns `{ ok: true, events, filters, olderThan }` — `olderThan` is the `before` value of the next
 *   (older) page, or null at the end — or a refusal for non-admins
 */
export function listAuditEvents({
  actor,
  filters,
  pageSize = AUDIT_PAGE_SIZE,
}: {
  actor: Actor;
  filters: Record<string, unknown>;
  pageSize?: number;
}): { ok: true; events: AuditEntry[]; filters: AuditFilters; olderThan: number | null } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  const f = auditFilterSchema.parse(filters);
  const rows = selectAuditEntries(db, f, pageSize + 1);
  const events = rows.slice(0, pageSize);
  const last = events.at(-1);
  return { ok: true, events, filters: f, olderThan: rows.length > pageSize && last ? last.id : null };
}

/** Most events one audit-log export may hold; a larger match is refused ("narrow the filter"). */
export const AUDIT_EXPORT_MAX_EVENTS = 100_000;

/**
 * Every audit event the filters match (the page's filters without paging: `before` is ignored),
 * newest first, for the admin's CSV download (issue 19 item 14), and the export itself recorded
 * as an `audit_log_exported` event (the filter and the count) in the same transaction — after the
 * read, so the file never lists its own export.
 * @param filters raw query values ({ actor, kind, from, to }); see auditFilterSchema
 * @returns `{ ok: true, events, filters }`; NOT_ALLOWED for anyone but an active admin; the refusal
 *   'accounts.errors.auditExportTooLarge' (nothing recorded) when more than AUDIT_EXPORT_MAX_EVENTS match
 */
export function exportAuditEvents({
  actor,
  filters,
}: {
  actor: Actor;
  filters: Record<string, unknown>;
}): { ok: true; events: AuditEntry[]; filters: AuditFilters } | Refusal {
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
    const f = { ...auditFilterSchema.parse(filters), before: undefined };
    const events = selectAuditEntries(tx, f, AUDIT_EXPORT_MAX_EVENTS + 1);
    if (events.length > AUDIT_EXPORT_MAX_EVENTS) return refusal('accounts.errors.auditExportTooLarge');
    const filter = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    recordAuditEvent(tx, { actorId: actor.id, kind: 'audit_log_exported', detail: { format: 'csv', filter, count: events.length } });
    return { ok: true as const, events, filters: f };
  });
}

/** Up to `limit` events matching `f`, newest first, with the actor's and target's code names. */
function selectAuditEntries(db: DB | Tx, f: AuditFilters, limit: number): AuditEntry[] {
  const actorAccount = alias(accounts, 'actor_account');
  const targetAccount = alias(accounts, 'target_account');
  return db
    .select({
      id: auditEvents.id,
      createdAt: auditEvents.createdAt,
      kind: auditEvents.kind,
      actorId: auditEvents.actorId,
      actorCodeName: actorAccount.codeName,
      targetAccountId: auditEvents.targetAccountId,
      targetCodeName: targetAccount.codeName,
      detail: auditEvents.detail,
      count: auditEvents.count,
      lastAt: auditEvents.lastAt,
    })
    .from(auditEvents)
    .leftJoin(actorAccount, eq(actorAccount.id, auditEvents.actorId))
    .leftJoin(targetAccount, eq(targetAccount.id, auditEvents.targetAccountId))
    .where(auditWhere(f))
    .orderBy(desc(auditEvents.id))
    .limit(limit)
    .all();
}

function auditWhere(f: AuditFilters): SQL {
  const where: SQL[] = [];
  if (f.actor === 'anonymous') where.push(isNull(auditEvents.actorId));
  else if (typeof f.actor === 'number') where.push(eq(auditEvents.actorId, f.actor));
  if (f.kind) where.push(eq(auditEvents.kind, f.kind));
  if (f.from) where.push(gte(auditEvents.createdAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(lt(auditEvents.createdAt, new Date(Date.parse(`${f.to}T00:00:00Z`) + 24 * 3600 * 1000)));
  if (f.before) where.push(lt(auditEvents.id, f.before));
  return where.length ? (and(...where) as SQL) : sql`1 = 1`;
}

/** Accounts that may appear as actors, for the filter's choices (id and code name, by name). */
export function listAuditActors({ actor }: { actor: Actor }): { ok: true; actors: { id: number; codeName: string }[] } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.admin)) return NOT_ALLOWED;
  return { ok: true, actors: db.select({ id: accounts.id, codeName: accounts.codeName }).from(accounts).orderBy(sql`${accounts.codeName} COLLATE NOCASE`).all() };
}
