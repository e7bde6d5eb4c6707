/**
 * Start-up housekeeping for the editors' e-mail digest (issue 19 item 13): a round of digests
 * (./digest.ts) once when the server starts and then every hour, on the one housekeeping timer
 * (lib/housekeeping.ts: never while sealed, never keeps the process alive). Without SMTP settings
 * (lib/env.ts: SMTP_HOST unset) nothing is scheduled and the app runs as before. Errors are logged
 * as one line and never stop the server.
 */
import 'server-only';
import { getMailSettings } from '@/lib/env';
import { startHourlyHousekeeping } from '@/lib/housekeeping';
import { logger } from '@/lib/log';
import { runNotificationDigests } from './digest';

/** Schedule the digest rounds when mail is configured; calling it again does nothing. */
export function startNotificationDigests(): void {
  if (!getMailSettings()) return;
  startHourlyHousekeeping('notification-digests', async () => {
    try {
      await runNotificationDigests();
    } catch (error) {
      logger.error({ event: 'digest_round_failed', errorType: error instanceof Error ? error.name : typeof error }, 'notification digest round failed');
    }
  });
}
