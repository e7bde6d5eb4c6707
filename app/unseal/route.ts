import type { NextRequest } from 'next/server';
import { isSealed } from '@/lib/at-rest/keys';
import { renderUnsealForm } from '@/lib/at-rest/sealed-pages';
import { unsealWithPassphrase } from '@/lib/at-rest/unseal';
import { clientAddressFrom, throttleBucketOf } from '@/lib/http/client-address';
import { isSameOriginRequest } from '@/lib/http/origin';
import { requestLogger } from '@/lib/log/request';

export const dynamic = 'force-dynamic';

const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function notFound(): Response {
  return new Response('Not found.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/**
 * GET /unseal — the passphrase form while the server is sealed (docs/security/encryption-at-rest.md);
 * 404 once it holds its key, so an open server does not advertise the page.
 */
export function GET(): Response {
  if (!isSealed()) return notFound();
  return new Response(renderUnsealForm(), { status: 200, headers: HTML_HEADERS });
}

/**
 * POST /unseal (form field `passphrase`, urlencoded or multipart) — same-origin only. Right
 * passphrase: 303 to `/`; wrong: 401 with the form again; throttled: 429 with Retry-After; not set
 * up: 503 naming what to run. Nothing is written on a failure.
 */
export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOriginRequest(request)) return new Response('Cross-site request refused.', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!isSealed()) return new Response(null, { status: 303, headers: { Location: '/', 'Cache-Control': 'no-store' } });
  let passphrase = '';
  try {
    const value = (await request.formData()).get('passphrase');
    passphrase = typeof value === 'string' ? value : '';
  } catch {
    return new Response(renderUnsealForm({ message: 'The form could not be read; send it again.' }), { status: 400, headers: HTML_HEADERS });
  }
  const result = await unsealWithPassphrase({ passphrase, clientKey: throttleBucketOf(clientAddressFrom(request.headers)) });
  if (result.ok || result.code === 'not_sealed') {
    // Relative: the browser stays on whatever host name it used (onion address, second domain).
    return new Response(null, { status: 303, headers: { Location: '/', 'Cache-Control': 'no-store' } });
  }
  switch (result.code) {
    case 'throttled':
      return new Response(renderUnsealForm({ message: `Too many wrong passphrases. Wait ${result.retryAfterSeconds} seconds, then try again.` }), {
        status: 429,
        headers: { ...HTML_HEADERS, 'Retry-After': String(result.retryAfterSeconds) },
      });
    case 'busy':
      return new Response(renderUnsealForm({ message: `Another unlock attempt is being checked. Try again in ${result.retryAfterSeconds} seconds.` }), {
        status: 429,
        headers: { ...HTML_HEADERS, 'Retry-After': String(result.retryAfterSeconds) },
      });
    case 'wrong_passphrase':
      requestLogger(request.headers).warn({ event: 'unseal_wrong_passphrase' }, 'a wrong passphrase was entered at /unseal');
      return new Response(renderUnsealForm({ message: 'That passphrase does not open the data. Nothing was changed; try again.' }), { status: 401, headers: HTML_HEADERS });
    case 'invalid':
      return new Response(renderUnsealForm({ message: result.message }), { status: 400, headers: HTML_HEADERS });
    case 'not_set_up':
      return new Response(renderUnsealForm({ message: result.message }), { status: 503, headers: HTML_HEADERS });
  }
}
