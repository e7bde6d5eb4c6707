/**
 * Load from wrk (Debian's package; C, one thread per core) for the cache measurement (7a, 7b):
 * nginx answers a cached page in microseconds, so a load tool written in JavaScript (autocannon,
 * the rest of the bench) spends more CPU parsing answers than nginx spends sending them and
 * measures its own ceiling instead (≈ 11,000 req/s for a 33 KB page on this 2-core machine,
 * against ≈ 30,000 from wrk). Both sides of a ratio — straight from the app and through the
 * cache — are driven by the same tool. Figures come from a Lua `done` hook printing JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadFigures } from './results';
import { findOrInstallDebianTool } from './nginx';

/** Prints wrk's summary as one JSON line after the run (latencies in µs). */
const DONE_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%f,"p90":%f,"p99":%f,"max":%f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;

type WrkSummary = { requests: number; durationUs: number; connect: number; read: number; write: number; status: number; timeout: number; p50: number; p90: number; p99: number; max: number };

/** wrk's binary (installed with apt-get when missing and running as root). */
export function findOrInstallWrk(log: (message: string) => void): { binary: string; installed: boolean } {
  return findOrInstallDebianTool({ name: 'wrk', paths: ['/usr/bin/wrk'], packages: ['wrk'] }, log);
}

/**
 * The figures of wrk's JSON summary line (pure). wrk counts non-2xx/3xx answers in `status`
 * and socket failures in `connect`, `read`, `write`, `timeout`. Throws when no such line is found.
 */
export function parseWrkSummary(output: string, connections: number): LoadFigures {
  const line = output.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no summary: ${output.trim().slice(0, 200)}`);
  const s = JSON.parse(line) as WrkSummary;
  const seconds = s.durationUs / 1e6;
  return {
    requestsPerSecond: s.requests / Math.max(seconds, 0.001),
    p50: s.p50 / 1000,
    p90: s.p90 / 1000,
    p99: s.p99 / 1000,
    max: s.max / 1000,
    responses: s.requests,
    non2xx: s.status,
    errors: s.connect + s.read + s.write,
    timeouts: s.timeout,
    statusCodes: s.status ? { '2xx-3xx': s.requests - s.status, other: s.status } : { '2xx-3xx': s.requests },
    connections,
    seconds,
  };
}

/** GET `url` from `connections` connections on one thread per CPU for `seconds`. */
export function runWrk({ binary, url, connections, seconds }: { binary: string; url: string; connections: number; seconds: number }): LoadFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-wrk-'));
  try {
    const script = path.join(dir, 'done.lua');
    fs.writeFileSync(script, DONE_SCRIPT);
    const threads = Math.max(1, Math.min(os.cpus().length, connections));
    const output = execFileSync(binary, ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '30s', '-s', script, url], {
      encoding: 'utf8',
      timeout: (seconds + 60) * 1000,
    });
    return parseWrkSummary(output, connections);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
