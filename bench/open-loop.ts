/**
 * Open-loop load: requests start on a fixed schedule (one every 1000 ÷ rate ms), whatever the
 * server's answers, over at most `connections` keep-alive sockets. autocannon's own rate option
 * is no substitute: each of its connections sends its quota at the top of every second and then
 * waits, so 50 connections at "100 per second" arrive as one burst of 100 each second.
 *
 * Each latency is measured from the request's SCHEDULED start, so time spent waiting for a free
 * socket counts (no coordinated omission): a server that falls behind shows it in p99.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoadFigures } from './results';
import { percentile } from './stats';

export type OpenLoopRequest = { method: string; path: string; headers: Record<string, string>; body: () => Buffer | null };

/**
 * Run `ratePerSecond × seconds` requests against `origin` (http only) on the schedule above and
 * answer the same figures as a closed-loop run (`requestsPerSecond` = responses ÷ wall time,
 * latencies in ms). A request still unanswered after `timeoutSeconds` counts as a timeout.
 */
export async function runOpenLoop({
  origin,
  request,
  ratePerSecond,
  seconds,
  connections,
  timeoutSeconds = 30,
}: {
  origin: string;
  request: OpenLoopRequest;
  ratePerSecond: number;
  seconds: number;
  connections: number;
  timeoutSeconds?: number;
}): Promise<LoadFigures> {
  const url = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  const total = Math.max(1, Math.round(ratePerSecond * seconds));
  const intervalMs = 1000 / ratePerSecond;
  // The generator's own event loop: a pause here (its garbage collection, say) delays the posts
  // scheduled meanwhile, and their latency counts from the schedule — so it is reported beside
  // the figures, to tell a stall of the client from one of the server.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const started = performance.now();

  const send = (scheduledAt: number): Promise<void> =>
    new Promise((resolve) => {
      const body = request.body();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: request.method,
          path: request.path,
          agent,
          headers: body ? { ...request.headers, 'content-length': String(body.length) } : request.headers,
          timeout: timeoutSeconds * 1000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            samples.push(performance.now() - scheduledAt);
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status < 200 || status >= 300) non2xx += 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timeouts += 1;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body ?? undefined);
    });

  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const scheduledAt = started + i * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(scheduledAt));
  }
  await Promise.all(inFlight);
  agent.destroy();
  loopDelay.disable();
  const wall = (performance.now() - started) / 1000;
  return {
    requestsPerSecond: samples.length / wall,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: samples.length ? samples.reduce((m, v) => (v > m ? v : m), 0) : Number.NaN,
    responses: samples.length,
    non2xx,
    errors,
    timeouts,
    statusCodes,
    connections,
    seconds: wall,
    // The histogram counts the timer's own resolution (5 ms) in every sample: what is beyond it is the stall.
    clientLoopDelayMaxMs: Math.max(0, loopDelay.max / 1e6 - 5),
  };
}
