/**
 * Load generation with autocannon on loopback. Latencies are taken from autocannon's per-response
 * event (sub-millisecond floats) rather than its integer-millisecond histogram, so ratios of fast
 * pages are not rounded away. Every run is bounded in time (and in count when `amount` is given).
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { LoadFigures } from './results';
import { percentile } from './stats';

export type LoadRun = LoadFigures & { samples: number[] };

/**
 * Run autocannon against `origin` + requests. With `amount`, stops after that many responses or
 * `maxSeconds`, whichever comes first; otherwise runs `seconds`.
 */
export async function runLoad({
  origin,
  connections,
  seconds,
  amount,
  maxSeconds = 600,
  requests,
  headers = {},
  timeoutSeconds = 60,
  onTick,
}: {
  origin: string;
  connections: number;
  seconds?: number;
  amount?: number;
  maxSeconds?: number;
  requests: AutocannonRequest[];
  headers?: Record<string, string>;
  timeoutSeconds?: number;
  onTick?: () => void;
}): Promise<LoadRun> {
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  const started = performance.now();
  const instance = autocannon({
    url: origin,
    connections,
    ...(amount !== undefined ? { amount } : { duration: seconds ?? 5 }),
    timeout: timeoutSeconds,
    headers,
    requests,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    samples.push(ms);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  if (onTick) instance.on('tick', onTick);
  const guard = setTimeout(() => instance.stop(), (amount !== undefined ? maxSeconds : (seconds ?? 5) + timeoutSeconds + 5) * 1000);
  try {
    const result = await instance;
    const wall = (performance.now() - started) / 1000;
    return {
      requestsPerSecond: samples.length / Math.max(result.duration || wall, 0.001),
      p50: percentile(samples, 50),
      p90: percentile(samples, 90),
      p99: percentile(samples, 99),
      max: samples.length ? samples.reduce((m, v) => (v > m ? v : m), 0) : Number.NaN,
      responses: samples.length,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes,
      connections,
      seconds: result.duration || wall,
      samples,
    };
  } finally {
    clearTimeout(guard);
  }
}

/** One GET with a timer: status, wall time (ms), body bytes and text. */
export async function timedGet(url: string, headers: Record<string, string> = {}, timeoutMs = 120_000) {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, bytes: Buffer.byteLength(text), text, headers: response.headers };
}
