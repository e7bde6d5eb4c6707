/**
 * Runs once when the server starts: refuse to start with an invalid environment (for example a
 * missing or short NEXTAUTH_SECRET in production), with a clear message and no secret printed.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    await import('./lib/startup-check');
  }
}
