/**
 * Start-up housekeeping for publications: give public ids to published photos that have none
 * (snapshots stored before issue 16 item 12; lib/photos/README.md "Public photo ids") once when the
 * server starts and then every hour. Started from instrumentation.ts (Node.js runtime only). Errors
 * are logged as one line without report data and never stop the server.
 */
import 'server-only';
import { isSealed } from '@/lib/at-rest/keys';
import { startHourlyHousekeeping } from '@/lib/housekeeping';
import { logger } from '@/lib/log';
import { assignMissingPhotoPublicIds } from './publish';

function assignOnce(): void {
  // Sealed: the publications cannot be read (and nothing may be touched) until the key is given.
  if (isSealed()) return;
  try {
    const { updated } = assignMissingPhotoPublicIds();
    if (updated > 0) logger.info({ event: 'photo_public_ids_assigned', publications: updated }, 'gave public ids to the photos of older publications');
  } catch (error) {
    logger.error({ event: 'photo_public_ids_failed', errorType: error instanceof Error ? error.name : typeof error }, 'assigning public photo ids failed');
  }
}

/** Run the assignment now and every hour (lib/housekeeping.ts). Calling it again does nothing. */
export function startPublicPhotoIdAssignment(): void {
  startHourlyHousekeeping('public-photo-ids', assignOnce);
}
