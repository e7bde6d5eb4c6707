import 'server-only';
import { auditEvents } from '@/db/schema';
import type { Tx } from '@/db/client';

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
  'reference_list_changed',
  'backup_made',
  'server_unsealed',
  'data_encrypted',
  'data_rekeyed',
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
