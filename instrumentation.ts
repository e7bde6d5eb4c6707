import type { Instrumentation } from 'next';

/**
 * Runs once when the server starts: refuse to start with an invalid environment (for example a
 * missing or short NEXTAUTH_SECRET in production), with a clear message and no secret printed;
 * then sweep orphan photo files now and hourly (lib/photos/maintenance.ts), give public ids to the
 * photos of older publications likewise (lib/publishing/maintenance.ts), and sign-in audit rows
 * past AUDIT_SIGN_IN_RETENTION_DAYS likewise (lib/audit/maintenance.ts), and, when SMTP is
 * configured, send the editors' e-mail digests likewise (lib/notifications/maintenance.ts). In production, what
 * anything prints through `console` from here on is a JSON log line (lib/log/console.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    if (process.env.NODE_ENV === 'production') (await import('./lib/log/console')).routeConsoleToLogger();
    await import('./lib/startup-check');
    const { startOrphanPhotoSweeps } = await import('./lib/photos/maintenance');
    startOrphanPhotoSweeps();
    const { startPublicPhotoIdAssignment } = await import('./lib/publishing/maintenance');
    startPublicPhotoIdAssignment();
    const { startAuditRetentionSweeps } = await import('./lib/audit/maintenance');
    startAuditRetentionSweeps();
    const { startNotificationDigests } = await import('./lib/notifications/maintenance');
    startNotificationDigests();
  }
}

/**
 * Next.js calls this for every unexpected error while serving a request: one JSON `error` line
 * with the route pattern, method, route type, request id and digest — never headers, a body or
 * the query string (lib/log/request-error.ts).
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { logRequestError } = await import('./lib/log/request-error');
  logRequestError(error, request, context);
};
