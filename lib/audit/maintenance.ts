/**
 * Start-up housekeeping for the audit log: delete sign-in rows past their retention
 * (lib/audit/retention.ts) once when the server starts and then every hour. Started from
 * instrumentation.ts (Node.js runtime only). Errors are logged as one line and never stop the server.
 */
import 'server-only';
import { isSealed } from '@/lib/at-rest/keys';
import { logger } from '@/lib/log';
import { deleteExpiredSignInEvents } from './retention';

/** How often the sweep runs after start-up, in milliseconds (1 hour). */
export const AUDIT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

const globalForSweeps = globalThis as unknown as { __auditRetentionTimer?: NodeJS.Timeout };

/** One sweep; does nothing while the server is sealed (the database cannot be opened yet). */
export function sweepAuditRetentionOnce(): void {
  if (isSealed()) return;
  try {
    const { deleted } = deleteExpiredSignInEvents();
    if (deleted > 0) logger.info({ event: 'audit_sign_in_rows_expired', count: deleted }, 'deleted sign-in audit rows past their retention');
  } catch (error) {
    logger.error({ event: 'audit_retention_failed', errorType: error instanceof Error ? error.name : typeof error }, 'audit retention sweep failed');
  }
}

/**
 * Run the retention sweep now and every AUDIT_SWEEP_INTERVAL_MS (the timer does not keep the
 * process alive). Calling it again does nothing.
 */
export function startAuditRetentionSweeps(): void {
  if (globalForSweeps.__auditRetentionTimer) return;
  globalForSweeps.__auditRetentionTimer = setInterval(sweepAuditRetentionOnce, AUDIT_SWEEP_INTERVAL_MS);
  globalForSweeps.__auditRetentionTimer.unref();
  sweepAuditRetentionOnce();
}
