import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRouterStateOf, refuseMalformedRouterState } from './router-state-guard';

/** A router state as Next's client router sends it (percent-encoded JSON of the segment tree). */
const REAL = encodeURIComponent(JSON.stringify(['', { children: ['reports', { children: ['__PAGE__', {}, null, null] }, null, null] }, null, null]));

let server: http.Server;
let base: string;

beforeAll(async () => {
  // The guard in front of a handler that answers 200, as lib/server/http-server.ts uses it.
  server = http.createServer((req, res) => {
    if (refuseMalformedRouterState(req, res)) return;
    res.end('page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('Next-Router-State-Tree guard (before Next.js parses the header and answers 500)', () => {
  it('answers a malformed header with a plain-text 400, never cached', async () => {
    for (const value of ['garbage', '%FF', '%5B1%5D', encodeURIComponent('["",{},"x"]'), encodeURIComponent(`${'['.repeat(1_000)}${']'.repeat(1_000)}`)]) {
      const response = await fetch(`${base}/reports`, { headers: { rsc: '1', 'next-router-state-tree': value } });
      expect(response.status, value.slice(0, 30)).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toBe('Malformed request: malformed router state header.');
    }
  });

  it("lets the router's own state and requests without the header through", async () => {
    expect((await fetch(`${base}/reports`, { headers: { rsc: '1', 'next-router-state-tree': REAL } })).status).toBe(200);
    expect((await fetch(`${base}/reports`)).status).toBe(200);
  });

  it('refuses repeated copies of the header', () => {
    expect(checkRouterStateOf([REAL, REAL])).toMatchObject({ ok: false, status: 400 });
    expect(checkRouterStateOf(undefined)).toEqual({ ok: true });
  });
});
