/**
 * Runs once when the server starts: refuse to start with an invalid environment (for example a
 * missing or short NEXTAUTH_SECRET in production), with a clear message and no secret printed;
 * then sweep orphan photo files now and hourly (lib/photos/maintenance.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    await import('./lib/startup-check');
    const { startOrphanPhotoSweeps } = await import('./lib/photos/maintenance');
    startOrphanPhotoSweeps();
  }
}
