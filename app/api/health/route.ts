import { checkHealth } from '@/lib/http/health';

/** Checked on every request, never prerendered at build time. */
export const dynamic = 'force-dynamic';

const HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * Health check: 200 `ok` when the database opens, answers and carries every committed migration;
 * 503 with a one-line reason otherwise (lib/http/health.ts checkHealth), never any data. A sealed
 * server never gets here: proxy.ts answers 503 first. Playwright, the benchmark and the crash test
 * wait for this to answer 2xx. GET only: other methods get Next's 405.
 */
export function GET() {
  const health = checkHealth();
  return health.ok ? new Response('ok', { headers: HEADERS }) : new Response(health.reason, { status: 503, headers: HEADERS });
}

