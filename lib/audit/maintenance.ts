/**
 * Start-up housekeeping for the audit log: delete sign-in rows past their retention
 * (lib/audit/retention.ts) once when the server starts and then every hour. Started from
 * instrumentation.ts (Node.js runtime only). Errors are logged as one line and never stop the server.
 */
import 'server-only';
import { isSealed } from '@/lib/at-rest/keys';
import { startHourlyHousekeeping } from '@/lib/housekeeping';
import { logger } from '@/lib/log';
import { deleteExpiredSignInEvents } from './retention';

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

/** Run the retention sweep now and every hour (lib/housekeeping.ts). Calling it again does nothing. */
export function startAuditRetentionSweeps(): void {
  startHourlyHousekeeping('audit-retention', sweepAuditRetentionOnce);
}
