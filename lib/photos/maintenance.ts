/**
 * Start-up housekeeping for photos: sweep orphan files (written, but their row never committed)
 * once when the server starts and then every hour. Started from instrumentation.ts (Node.js runtime
 * only). Errors are logged as one line without paths or report data and never stop the server.
 * (Public ids for the photos of older publications: lib/publishing/maintenance.ts.)
 */
import 'server-only';
import { isSealed } from '@/lib/at-rest/keys';
import { startHourlyHousekeeping } from '@/lib/housekeeping';
import { logger } from '@/lib/log';
import { ORPHAN_MIN_AGE_MS, sweepOrphanPhotos } from './photos';

async function sweepOnce(): Promise<void> {
  // Sealed: the photo rows cannot be read (and nothing may be touched) until the key is given.
  if (isSealed()) return;
  try {
    const { deletedNames } = await sweepOrphanPhotos({ olderThanMs: ORPHAN_MIN_AGE_MS });
    if (deletedNames.length > 0) logger.info({ event: 'orphan_photos_removed', count: deletedNames.length }, 'removed orphan photo files');
  } catch (error) {
    logger.error({ event: 'orphan_sweep_failed', errorType: error instanceof Error ? error.name : typeof error }, 'orphan photo sweep failed');
  }
}

/** Run the orphan sweep now and every hour (lib/housekeeping.ts). Calling it again does nothing. */
export function startOrphanPhotoSweeps(): void {
  startHourlyHousekeeping('photos', sweepOnce);
}
