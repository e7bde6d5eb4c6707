import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionCallContext, type ActionCallState } from './action-call-context';

// The session read is the one thing proxy.ts does after its guard that can fail (a database error).
const resolveSession = vi.hoisted(() => vi.fn());
vi.mock('@/lib/auth/session', () => ({ resolveSession }));

const { proxy } = await import('@/proxy');

afterEach(() => {
  resolveSession.mockReset();
});

/** A form sent with scripts off from `path`: multipart, naming a Server Action, a same-origin navigation. */
async function noScriptPost(path: string): Promise<NextRequest> {
  const form = new FormData();
  form.append('$ACTION_ID_0123456789abcdef0123456789abcdef01234567', '');
  form.append('title', 'Trucks at night');
  form.append('intent', 'submit');
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return new NextRequest(`http://localhost:3000${path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': encoded.headers.get('content-type') ?? '',
      'content-length': String(body.length),
      origin: 'http://localhost:3000',
      host: 'localhost:3000',
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'navigate',
      cookie: 'fr.session=a-token',
    },
  });
}

/** Run proxy.ts as server.ts does: inside a fresh per-request state (lib/server/malformed-action-call.ts). */
async function throughProxy(request: NextRequest): Promise<{ state: ActionCallState; outcome: PromiseSettledResult<Response> }> {
  const state: ActionCallState = { actionCall: false, actionStarted: false };
  const [outcome] = await actionCallContext.run(state, () => Promise.allSettled([proxy(request)]));
  return { state, outcome: outcome! };
}

describe('proxy.ts marks a no-script post as a Server Action call only as Next takes over (lib/http/action-call-context.ts)', () => {
  it('a live session: passed on to the page and marked, so a call React cannot decode is answered 400', async () => {
    resolveSession.mockResolvedValue({ account: { id: 1, codeName: 'p', role: 'partner', locale: 'en' }, sessionId: 's', expiresAtMs: Date.now() + 60_000 });
    const { state, outcome } = await throughProxy(await noScriptPost('/partner/reports/new'));
    expect(outcome.status).toBe('fulfilled');
    expect(state.actionCall).toBe(true);
  });

  it('an ended session: rewritten to the session-ended answer (a route handler) and not marked, so its own errors stay 500s', async () => {
    resolveSession.mockResolvedValue(null);
    const { state, outcome } = await throughProxy(await noScriptPost('/partner/reports/new'));
    expect(outcome.status === 'fulfilled' && outcome.value.headers.get('x-middleware-rewrite')).toMatch(/\/sign-in\/kept$/);
    expect(state.actionCall).toBe(false);
  });

  it("an error of the proxy's own after its guard (the session read fails): not marked, so the server answers 500 and logs it", async () => {
    resolveSession.mockRejectedValue(new Error('SQLITE_IOERR: disk I/O error'));
    const { state, outcome } = await throughProxy(await noScriptPost('/partner/reports/new'));
    expect(outcome.status).toBe('rejected');
    // Marked, Next's 500 would become a bare "Malformed Server Action call." and the console.error
    // carrying this error would be dropped as the decoder's (lib/log/console.ts).
    expect(state.actionCall).toBe(false);
  });
});
