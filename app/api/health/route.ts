/** Bare route handler: liveness check, and the baseline the benchmark compares submission against. */
export function GET() {
  return new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

export async function POST(request: Request) {
  await request.arrayBuffer();
  return new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}
