import 'server-only';
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { accounts, auditEvents } from '@/db/schema';
import type { Tx } from '@/db/client';
import { throttleBucketOf } from '@/lib/http/client-address';

/**
 * Kinds of audit event. Detail objects must never hold passwords, tokens, TOTP codes, report text,
 * IP addresses or user agents (docs/security/README.md "Audit and privacy").
 */
export const AUDIT_KINDS = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'account_created',
  'account_role_changed',
  'account_deactivated',
  'account_reactivated',
  'account_reset',
  'password_set',
  'two_factor_enrolled',
  'two_factor_reset',
  'two_factor_turned_off',
  'recovery_code_used',
  'recovery_codes_replaced',
  'report_published',
  'report_retracted',
  'report_assigned',
  'report_graded',
  'reference_list_changed',
  'backup_made',
  'server_unsealed',
  'data_encrypted',
  'data_rekeyed',
  'reports_exported',
  'audit_log_exported',
  'notifications_changed',
  'official_trade_imported',
  'official_trade_month_confirmed',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * Append an audit event inside the caller's transaction, so it commits with the change it records.
 * @param actorId account that acted (null for anonymous, e.g. a failed sign-in for an unknown name)
 * @param detail small JSON object (ids, code names, roles); never secrets or report content
 */
export function recordAuditEvent(
  tx: Tx,
  event: { actorId: number | null; kind: AuditKind; targetAccountId?: number | null; detail?: Record<string, unknown> },
): void {
  tx.insert(auditEvents)
    .values({
      actorId: event.actorId,
      kind: event.kind,
      targetAccountId: event.targetAccountId ?? null,
      detail: event.detail ?? null,
    })
    .run();
}

/** Length of a failed-sign-in collapse window, in milliseconds (15 minutes; fixed UTC buckets). */
export const SIGN_IN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** Why a sign-in failed, as the audit row's detail says. */
export type SignInFailureReason = 'unknown_code_name' | 'wrong_password' | 'deactivated' | 'throttled' | 'wrong_code';

const globalForCollapse = globalThis as unknown as { __fieldReportsAuditCollapseKey?: Buffer };

/**
 * The key of collapse digests: random, made once per server process and never stored, so the digests
 * in old rows cannot be matched against guessed addresses by anyone, even with NEXTAUTH_SECRET. A
 * restart in the middle of a window only starts a second row for the same group.
 */
function collapseKey(): Buffer {
  globalForCollapse.__fieldReportsAuditCollapseKey ??= crypto.randomBytes(32);
  return globalForCollapse.__fieldReportsAuditCollapseKey;
}

/**
 * Record one failed sign-in, collapsed (issue 16 item 8; docs/security/README.md "Audit and
 * privacy"): failures with the same reason, for the same account (or for no account: unknown code
 * names, and refusals made before any account was looked up), from the same client (grouped as the
 * throttle groups addresses: an IPv6 /64 is one client, lib/http/client-address.ts throttleBucketOf,
 * so rotating the host part cannot write a row per address), in the same 15-minute UTC window and since that account's last completed sign-in share one row, whose
 * `count` goes up and whose `lastAt` moves on. A sign-in in between starts a new row, so the log
 * still reads "failures, sign-in, failures" in order. The address is only ever part of a keyed
 * digest (the group's `collapse_key`), never stored. The table's trigger allows exactly this update
 * (db/migrations/0006_audit_sign_in_collapse.sql).
 * @param tx the caller's write transaction
 * @param event.targetAccountId the account the attempt named, or null (unknown, or not looked up)
 * @param event.clientAddress the client's address (lib/http/client-address.ts), null → one 'unknown' group
 * @param event.now the time of the failure (default now)
 */
export function recordSignInFailureEvent(
  tx: Tx,
  event: { targetAccountId: number | null; reason: SignInFailureReason; clientAddress?: string | null; now?: Date },
): void {
  const now = event.now ?? new Date();
  const window = Math.floor(now.getTime() / SIGN_IN_FAILURE_WINDOW_MS);
  const lastSignIn =
    event.targetAccountId === null
      ? null
      : (tx.select({ at: accounts.lastSignInAt }).from(accounts).where(eq(accounts.id, event.targetAccountId)).get()?.at?.getTime() ?? null);
  const group = [event.reason, event.targetAccountId ?? '-', lastSignIn ?? '-', throttleBucketOf(event.clientAddress), window].join('\0');
  const key = crypto.createHmac('sha256', collapseKey()).update(group).digest('base64url');
  tx.insert(auditEvents)
    .values({
      actorId: null,
      kind: 'sign_in_failed',
      targetAccountId: event.targetAccountId,
      detail: { reason: event.reason },
      createdAt: now,
      collapseKey: key,
    })
    .onConflictDoUpdate({
      target: auditEvents.collapseKey,
      // max(): a clock stepping back never moves lastAt backwards (the trigger would refuse it).
      set: { count: sql`${auditEvents.count} + 1`, lastAt: sql`max(coalesce(${auditEvents.lastAt}, ${auditEvents.createdAt}), ${now.getTime()})` },
    })
    .run();
}
