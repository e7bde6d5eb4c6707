/**
 * (6) What encryption at rest costs (issue 15): the same three figures on the encrypted large
 * database and on its plain-text twin (the same N reports generated again from the same seed
 * without a key, served with FIELD_REPORTS_PLAINTEXT=benchmark-only and no key file), from the
 * same build on the same machine in the same run, each served by a server of its own that was
 * started with the others and has served nothing before (BenchContext.comparison):
 *   (a) submission throughput: the no-script report post of (1), closed loop at (1)'s connections;
 *   (b) the moderation queue's first page, median latency (signed in as the demo editor);
 *   (c) /stats, median latency (anonymous).
 * Each figure runs `encryptionRounds` rounds so a change in the shared machine's load falls on both
 * servers alike: for the pages, the two servers are asked in turn request by request within a
 * round; for submissions (a closed loop saturating one server), each round is one run per server,
 * the order alternating (encrypted first, then plain first, …). Each round gives its own cost; the
 * median of the rounds is held against the budget (≤ 15 % slower) and their spread shows how
 * noisy the figure is. Both servers get an unmeasured warm-up of each figure first (a fresh
 * Next.js server runs its first requests through cold, unoptimised code). The reads run before the submissions so
 * both databases are read in the same state.
 */
import http from 'node:http';
import os from 'node:os';
import { browserHeaders, describeStatus, unavailable, type BenchContext, type SideCookies } from '../context';
import { countBenchSubmissions } from '../generate';
import { runLoad } from '../load';
import type { EncryptionComparison, EncryptionResult, EncryptionSubmissionComparison, Unavailable } from '../results';
import type { BenchServer } from '../server';
import { median, slowerPercent } from '../stats';
import { STATS_PATH } from './public';
import { findQueuePath } from './queue';
import { submitLoad, type PreparedSubmission } from './submission';

type ArmName = 'encrypted' | 'plain';
type Arm = { name: ArmName; server: BenchServer; cookies: SideCookies };

/** Which server goes first in round (or request pair) `round`, 0-based: encrypted in even ones, plain in odd ones. */
export function roundOrder(round: number): [ArmName, ArmName] {
  return round % 2 === 0 ? ['encrypted', 'plain'] : ['plain', 'encrypted'];
}

/**
 * Per-round figures → the comparison: each round's cost (bench/stats.ts slowerPercent) and the
 * median of those that could be computed. A round without a figure (no answer within the run,
 * as on a machine loaded far beyond its CPUs) is left out of the median; with fewer than half
 * the rounds left, the cost is NaN (which fails the budget rather than pass on one sample).
 */
export function compareRounds(path: string, unit: 'ms' | 'req/s', encrypted: number[], plain: number[]): EncryptionComparison {
  const roundCostPercent = encrypted.map((value, i) => slowerPercent(unit, value, plain[i] ?? Number.NaN));
  const usable = roundCostPercent.filter(Number.isFinite);
  const costPercent = usable.length * 2 >= roundCostPercent.length && usable.length > 0 ? Math.round(median(usable) * 10) / 10 : Number.NaN;
  return { path, unit, encrypted, plain, roundCostPercent, costPercent };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}

/**
 * `measure(arm)` on both servers, `rounds` times in alternating order, after one unmeasured
 * `warm(arm)` each. Returns the figures per arm, in round order.
 */
async function alternate(
  arms: Record<ArmName, Arm>,
  rounds: number,
  warm: (arm: Arm) => Promise<void>,
  measure: (arm: Arm) => Promise<number>,
): Promise<Record<ArmName, number[]>> {
  await warm(arms.encrypted);
  await warm(arms.plain);
  const figures: Record<ArmName, number[]> = { encrypted: [], plain: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const name of roundOrder(round)) figures[name].push(await measure(arms[name]));
  }
  return figures;
}

/**
 * Unmeasured load on one page before the rounds: `encryptionWarmSeconds` at 4 connections (a few
 * hundred to a thousand requests), so the rounds measure both servers past their first-request
 * compilation and V8's optimisation of the hot code, not the way there.
 */
async function warmUp(context: BenchContext, arm: Arm, path: string, cookie: string | null): Promise<void> {
  const result = await runLoad({
    origin: arm.server.origin,
    connections: 4,
    seconds: context.options.encryptionWarmSeconds,
    timeoutSeconds: 60,
    headers: browserHeaders(arm.server, cookie),
    requests: [{ method: 'GET', path }],
  });
  const bad = Object.entries(result.statusCodes).filter(([code]) => code !== '200');
  if (bad.length > 0) throw new Error(`${path} on the ${arm.name} server answered ${bad.map(([c, n]) => `${n}× ${c}`).join(', ')}`);
}

/**
 * One GET on a keep-alive socket of `agent`, timed from the request to the last byte of the body.
 * @returns status and wall time in ms
 */
function keepAliveGet(agent: http.Agent, origin: string, path: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent, headers, timeout: 60_000 }, (response) => {
      response.on('data', () => {});
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out after 60 s`)));
    request.on('error', reject);
    request.end();
  });
}

/**
 * Median latency of GET `path` on each server, compared round by round. Within a round the two
 * servers are asked in turn, one request at a time (encrypted, plain, plain, encrypted, …), for
 * `encryptionLatencySeconds` each, so every moment of the shared machine's load falls on both;
 * each round's cost is its encrypted median ÷ its plain median. First, unmeasured, each server
 * gets `encryptionWarmSeconds` of the page at 4 connections (see warmUp).
 */
async function latencyComparison(
  context: BenchContext,
  arms: Record<ArmName, Arm>,
  path: string,
  cookieOf: (arm: Arm) => string | null,
): Promise<EncryptionComparison> {
  const { encryptionRounds: rounds, encryptionLatencySeconds: seconds } = context.options;
  const agents: Record<ArmName, http.Agent> = {
    encrypted: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    plain: new http.Agent({ keepAlive: true, maxSockets: 1 }),
  };
  try {
    const ask = async (arm: Arm) => {
      const answer = await keepAliveGet(agents[arm.name], arm.server.origin, path, browserHeaders(arm.server, cookieOf(arm)));
      if (answer.status !== 200) throw new Error(`${describeStatus(path, answer.status, null)} (${arm.name} server)`);
      return answer.ms;
    };
    const round = async (): Promise<Record<ArmName, number>> => {
      const samples: Record<ArmName, number[]> = { encrypted: [], plain: [] };
      const until = performance.now() + 2 * seconds * 1000;
      for (let pair = 0; performance.now() < until; pair += 1) {
        for (const name of roundOrder(pair)) samples[name].push(await ask(arms[name]));
      }
      return { encrypted: median(samples.encrypted), plain: median(samples.plain) };
    };
    for (const arm of [arms.encrypted, arms.plain]) await warmUp(context, arm, path, cookieOf(arm));
    const figures: Record<ArmName, number[]> = { encrypted: [], plain: [] };
    for (let r = 0; r < rounds; r += 1) {
      const medians = await round();
      figures.encrypted.push(medians.encrypted);
      figures.plain.push(medians.plain);
    }
    return compareRounds(path, 'ms', figures.encrypted, figures.plain);
  } finally {
    agents.encrypted.destroy();
    agents.plain.destroy();
  }
}

/**
 * The benchmark's reports in `arm`'s database once the count has stopped changing (polled every
 * 250 ms, at most 30 s): the posts in flight when a load run stopped have then been answered.
 */
async function settledCount(arm: Arm, runTag: string): Promise<number> {
  let last = countBenchSubmissions(arm.server.database, runTag);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = countBenchSubmissions(arm.server.database, runTag);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Submissions per second on each server (closed loop), compared round by round. */
async function submissionComparison(context: BenchContext, arms: Record<ArmName, Arm>, prepared: PreparedSubmission): Promise<EncryptionSubmissionComparison> {
  const { encryptionRounds: rounds, encryptionLoadSeconds: seconds, loadConnections: connections } = context.options;
  const counted: Record<ArmName, { created: number; responses: number }> = { encrypted: { created: 0, responses: 0 }, plain: { created: 0, responses: 0 } };
  const run = async (arm: Arm, count: boolean) => {
    const before = countBenchSubmissions(arm.server.database, context.runTag);
    const result = await submitLoad(context, prepared, { connections, seconds }, { server: arm.server, cookie: arm.cookies.partner });
    // autocannon stops with up to `connections` posts still being handled: let them finish, so
    // they neither load the other server's next run nor land in a later count.
    const after = await settledCount(arm, context.runTag);
    if (count) {
      counted[arm.name].created += after - before;
      counted[arm.name].responses += result.responses;
    }
    return result.requestsPerSecond;
  };
  const figures = await alternate(arms, rounds, async (arm) => void (await run(arm, false)), (arm) => run(arm, true));
  // Posts still in flight when a run stopped may have created reports too, hence the cap.
  const share = (name: ArmName) => (counted[name].responses === 0 ? 0 : Math.min(1, counted[name].created / counted[name].responses));
  return {
    ...compareRounds(prepared.path, 'req/s', figures.encrypted, figures.plain),
    connections,
    acceptedShare: { encrypted: share('encrypted'), plain: share('plain') },
  };
}

/**
 * The comparison; each of its three figures is reported apart, as "n/a" with the reason when it
 * cannot be measured (no plain server, no queue, a failed run).
 */
export async function measureEncryption(context: BenchContext, prepared: PreparedSubmission | Unavailable): Promise<EncryptionResult> {
  if (!context.comparison) return unavailable('the comparison servers were not started');
  const loadAtStart = os.loadavg()[0] ?? Number.NaN;
  const { encrypted, plain } = context.comparison;
  const arms: Record<ArmName, Arm> = {
    encrypted: { name: 'encrypted', ...encrypted },
    plain: { name: 'plain', ...plain },
  };
  const { encryptionRounds: rounds, encryptionLoadSeconds: loadSeconds, encryptionLatencySeconds: latencySeconds } = context.options;
  const guarded = async <T>(name: string, fn: () => Promise<T>): Promise<T | Unavailable> => {
    try {
      return await fn();
    } catch (error) {
      context.log(`encryption ${name} failed: ${errorText(error)}`);
      return unavailable(`measurement failed: ${errorText(error)}`);
    }
  };

  context.log(`encryption: queue first page, ${rounds} rounds × ${latencySeconds} s per server`);
  const queue = await guarded('queue', async () => {
    const found = await findQueuePath(context);
    if ('reason' in found) return unavailable(found.reason);
    return latencyComparison(context, arms, found.path, (arm) => arm.cookies.editor);
  });
  context.log(`encryption: ${STATS_PATH}, ${rounds} rounds × ${latencySeconds} s per server`);
  const stats = await guarded('stats', () => latencyComparison(context, arms, STATS_PATH, () => null));
  context.log(`encryption: submissions, ${rounds} rounds × ${loadSeconds} s per server at ${context.options.loadConnections} connections`);
  const submission: EncryptionSubmissionComparison | Unavailable =
    'path' in prepared ? await guarded('submission', () => submissionComparison(context, arms, prepared)) : prepared;
  const loadAverage1m = { start: loadAtStart, end: os.loadavg()[0] ?? Number.NaN };
  return { available: true, rounds, loadSeconds, latencySeconds, loadAverage1m, submission, queue, stats };
}
