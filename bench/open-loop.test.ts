import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpenLoop } from './open-loop';

let server: http.Server | null = null;

/** A server that answers every request after `delayMs`, counting the bodies it received. */
async function startServer(delayMs: number): Promise<{ origin: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      setTimeout(() => res.writeHead(303, { location: '/done' }).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('runOpenLoop', () => {
  it('sends rate × seconds requests on schedule, each with its own body', async () => {
    const { origin, bodies } = await startServer(5);
    let n = 0;
    const figures = await runOpenLoop({
      origin,
      request: { method: 'POST', path: '/submit', headers: { 'content-type': 'text/plain' }, body: () => Buffer.from(`post ${(n += 1)}`) },
      ratePerSecond: 40,
      seconds: 1,
      connections: 10,
    });
    expect(figures.responses).toBe(40);
    expect(figures.statusCodes).toEqual({ 303: 40 });
    expect(new Set(bodies).size).toBe(40);
    // Latency counts at least the server's own 5 ms (no upper bound here: timings belong to the
    // benchmark, and a busy test machine only makes them longer).
    expect(figures.p50).toBeGreaterThanOrEqual(5);
    // The schedule spreads the 40 posts over the second instead of sending them at once.
    expect(figures.seconds).toBeGreaterThan(0.95);
  });

  it('counts the wait for a busy connection in the latency (no coordinated omission)', async () => {
    // One connection, 100 ms per answer, 20 offered per second: each request waits for the ones
    // before it, so the last of 10 is answered about 10 × 100 ms after the first was due.
    const { origin } = await startServer(100);
    const figures = await runOpenLoop({
      origin,
      request: { method: 'GET', path: '/', headers: {}, body: () => null },
      ratePerSecond: 20,
      seconds: 0.5,
      connections: 1,
    });
    expect(figures.responses).toBe(10);
    expect(figures.max).toBeGreaterThan(500);
    expect(figures.p50).toBeGreaterThan(200);
  });
});
