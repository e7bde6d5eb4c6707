/**
 * What every measurement gets: the two servers (large and small database, both encrypted), the
 * encryption comparison's pair of servers when it runs, session cookies, and the run's options;
 * plus the shared "same URL at N and at 1,000 reports" latency comparison.
 */
import type { BenchOptions } from './options';
import type { LatencyPair, RouteDiagnosis, Unavailable } from './results';
import type { BenchServer } from './server';
import { runLoad } from './load';
import { tracedRequest } from './trace';
import { median, ratio } from './stats';

export type Side = 'large' | 'small';

/** `Cookie` header values signing in the demo partner and the demo editor on one server. */
export type SideCookies = { partner: string; editor: string };

/** One server of the encryption comparison and its cookies. */
export type ComparisonServer = { server: BenchServer; cookies: SideCookies };

export type BenchContext = {
  options: BenchOptions;
  servers: Record<Side, BenchServer>;
  /** `Cookie` header values per server (each server has its own database and account ids). */
  cookies: Record<Side, SideCookies>;
  /**
   * Issue 15's comparison (bench/measure/encryption.ts), null when `--only` leaves it out:
   * `encrypted` is a second server on the large database (the same file as `servers.large`),
   * `plain` one on its plain-text twin in the benchmark-only plain-text mode. Both start with the
   * others and serve nothing before the comparison, so they come to it with the same history.
   */
  comparison: { encrypted: ComparisonServer; plain: ComparisonServer } | null;
  /** 8 hex digits: the first group of every client id this run submits. */
  runTag: string;
  log: (message: string) => void;
  /** SQL traces collected so far (cold first requests, then warm ones). */
  diagnosis: RouteDiagnosis[];
};

/** Headers of a same-origin browser request with `cookie` (empty for anonymous). */
export function browserHeaders(server: BenchServer, cookie: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'accept-language': 'en', 'user-agent': 'field-reports-bench' };
  if (cookie) headers.cookie = cookie;
  return headers;
}

/** Thrown by `latencyPair` when the route is missing or answers something else than expected. */
export class RouteUnavailable extends Error {}

/** `{ available: false, reason }` */
export function unavailable(reason: string): Unavailable {
  return { available: false, reason };
}

/** A short reason for a route that does not answer 200. */
export function describeStatus(path: string, status: number, location: string | null): string {
  if (status === 404) return `${path} not found (404): route not built yet`;
  if (status >= 300 && status < 400) return `${path} redirected (${status}) to ${location ?? '?'}`;
  return `${path} answered ${status}`;
}

/**
 * Median latency of `paths[side]` on each server, alternating large and small runs (`rounds` ×
 * `seconds` each, `connections` connections) so that drift in the shared machine's load affects
 * both alike. A cold first request to each is timed separately (`firstMs`) and its SQL traced as
 * `<label>-cold`: caches and memos hide O(N) work from the medians, not from this request.
 */
export async function latencyPair({
  context,
  label,
  paths,
  cookie,
  connections = 1,
  check,
}: {
  context: BenchContext;
  label: string;
  paths: Record<Side, string>;
  cookie: Record<Side, string | null>;
  connections?: number;
  /** A problem with the first answer (wrong type, bad body), or null; makes it RouteUnavailable. */
  check?: (answer: { headers: Headers; text: string }) => string | null;
}): Promise<LatencyPair> {
  const { options, servers } = context;
  const side = async (s: Side) => {
    const first = await tracedRequest({ label: `${label}-cold`, server: servers[s], database: s, urlPath: paths[s], init: { headers: browserHeaders(servers[s], cookie[s]) } });
    if (first.status !== 200) throw new RouteUnavailable(`${describeStatus(paths[s], first.status, first.headers.get('location'))} (${s} database)`);
    const problem = check?.(first);
    if (problem) throw new RouteUnavailable(`${paths[s]}: ${problem}`);
    if (first.diagnosis) context.diagnosis.push(first.diagnosis);
    return first;
  };
  const firstLarge = await side('large');
  const firstSmall = await side('small');
  const rounds: Record<Side, { p50: number[]; p90: number[]; samples: number }> = {
    large: { p50: [], p90: [], samples: 0 },
    small: { p50: [], p90: [], samples: 0 },
  };
  for (let round = 0; round < options.latencyRounds; round += 1) {
    for (const s of ['large', 'small'] as const) {
      const run = await runLoad({
        origin: servers[s].origin,
        connections,
        seconds: options.latencySeconds,
        timeoutSeconds: 120,
        headers: browserHeaders(servers[s], cookie[s]),
        requests: [{ method: 'GET', path: paths[s] }],
      });
      if (run.responses === 0) throw new Error(`${paths[s]} on the ${s} database gave no response within ${options.latencySeconds} s`);
      const bad = Object.entries(run.statusCodes).filter(([code]) => code !== '200');
      if (bad.length > 0) throw new Error(`${paths[s]} on the ${s} database answered ${bad.map(([c, n]) => `${n}× ${c}`).join(', ')}`);
      rounds[s].p50.push(run.p50);
      rounds[s].p90.push(run.p90);
      rounds[s].samples += run.responses;
    }
  }
  const large = { p50: median(rounds.large.p50), p90: median(rounds.large.p90), samples: rounds.large.samples, firstMs: firstLarge.ms, bytes: firstLarge.bytes };
  const small = { p50: median(rounds.small.p50), p90: median(rounds.small.p90), samples: rounds.small.samples, firstMs: firstSmall.ms, bytes: firstSmall.bytes };
  return { path: paths.large, smallPath: paths.small, large, small, ratio: ratio(large.p50, small.p50) };
}
