/**
 * The bare route handler that budget 1a compares report submission against (bench/README.md):
 * a POST through the same server.ts, proxy.ts and Next route pipeline as any other, whose handler
 * reads and drops the body and answers `ok` without touching the database.
 *
 * It exists only in the benchmark's build: the `.bench.ts` extension is a page extension only when
 * FIELD_REPORTS_BENCH_BUILD=1 (next.config.js), which bench/server.ts `buildApp` sets. Production
 * and test builds have no such route (/api/bare-handler is a 404 there), so it is not in the
 * authorization manifest nor in lib/server/route-handler-paths.ts.
 */
export async function POST(request: Request): Promise<Response> {
  await request.arrayBuffer();
  return new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}
