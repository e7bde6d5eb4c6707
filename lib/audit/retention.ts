import 'server-only';
import { and, inArray, lt, sql } from 'drizzle-orm';
import { writeTransaction } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { getEnv } from '@/lib/env';
import type { AuditKind } from './record';

/**
 * Retention of sign-in audit rows (issue 16 item 8; docs/security/README.md "Audit and privacy").
 * Sign-ins, failed sign-ins and sign-outs are kept AUDIT_SIGN_IN_RETENTION_DAYS (default 90) after
 * their last time, then deleted: they are the bulk of the log and say when people were active.
 * Every other row — accounts, roles, two-step changes, publications, retractions, list changes,
 * backups — is kept for ever; the table's trigger refuses to delete them, and refuses to delete a
 * sign-in row less than a day old (db/migrations/0006_audit_sign_in_collapse.sql).
 */

/** The audit kinds the retention applies to. */
export const SIGN_IN_AUDIT_KINDS = ['sign_in', 'sign_in_failed', 'sign_out'] as const satisfies readonly AuditKind[];

/**
 * Delete sign-in rows whose last time (a collapsed row's lastAt, else createdAt) is older than the
 * retention, in one transaction.
 * @param now the current time (UTC ms; default now)
 * @param retentionDays days to keep (default AUDIT_SIGN_IN_RETENTION_DAYS); at least 1
 * @returns how many rows were deleted
 */
export function deleteExpiredSignInEvents({ now = Date.now(), retentionDays = getEnv().AUDIT_SIGN_IN_RETENTION_DAYS }: { now?: number; retentionDays?: number } = {}): { deleted: number } {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError('retentionDays must be a whole number of days, at least 1');
  const cutoff = now - retentionDays * 24 * 3600 * 1000;
  return writeTransaction((tx) => {
    const result = tx
      .delete(auditEvents)
      .where(and(inArray(auditEvents.kind, [...SIGN_IN_AUDIT_KINDS]), lt(sql`coalesce(${auditEvents.lastAt}, ${auditEvents.createdAt})`, cutoff)))
      .run();
    return { deleted: result.changes };
  });
}
