import { describe, expect, it } from 'vitest';
import { evaluateBudgets } from './budgets';
import type { BenchResults, CacheResult, EncryptionComparison, LatencyPair, LoadFigures } from './results';
import { median } from './stats';

const load = (rps: number, p99: number): LoadFigures => ({
  requestsPerSecond: rps, p50: p99 / 2, p90: p99 * 0.8, p99, max: p99, responses: rps * 10, non2xx: 0, errors: 0, timeouts: 0, statusCodes: { 303: rps * 10 }, connections: 50, seconds: 10,
});
const pair = (large: number, small: number): LatencyPair => ({
  path: '/x', smallPath: '/x',
  large: { p50: large, p90: large, samples: 100, firstMs: large, bytes: 1 },
  small: { p50: small, p90: small, samples: 100, firstMs: small, bytes: 1 },
  ratio: large / small,
});

/** Encrypted and plain figures per round; the cost per round is by time per request, as measured. */
const compared = (unit: 'ms' | 'req/s', encrypted: number[], plain: number[], costs: number[]): EncryptionComparison => ({
  path: '/x', unit, encrypted, plain, roundCostPercent: costs, costPercent: median(costs),
});

const js = (path: string) => ({ path, status: 200, scriptElements: 0, externalScripts: 0, inlineScripts: 0, gzipBytes: 0 });

/** nginx 100× faster than the app, a retraction served after 50.4 s, no script on any public page. */
function cachePassing(): CacheResult {
  const loads = (direct: number, cached: number) => ({ direct: { ...load(direct, 200), statusCodes: { 200: direct * 10 } }, cached: { ...load(cached, 5), statusCodes: { 200: cached * 10 } } });
  return {
    available: true,
    nginx: { version: 'nginx/1.22.1', installed: false, port: 3154 },
    loadTool: 'wrk',
    connections: 20,
    pages: [
      { label: 'report', path: '/reports/AAAAAAAAAAAAAAAA', ...loads(90, 9000), ratio: 100, cacheStatus: 'HIT before, HIT after' },
      { label: 'stats', path: '/stats', ...loads(60, 9000), ratio: 150, cacheStatus: 'HIT before, HIT after' },
    ],
    retraction: { available: true, path: '/reports/BBBBBBBBBBBBBBBB', seconds: 50.4, polls: 480, cacheStatusBefore: 'HIT', directShowsNotice: true },
    publicJs: ['/', '/reports', '/reports/AAAAAAAAAAAAAAAA', '/stats'].map(js),
    publicMaps: [
      { path: '/reports', status: 200, maps: 1, bytes: 40_000, gzipBytes: 7_454 },
      { path: '/reports/AAAAAAAAAAAAAAAA', status: 200, maps: 1, bytes: 30_000, gzipBytes: 6_144 },
      { path: '/stats', status: 200, maps: 1, bytes: 40_000, gzipBytes: 7_168 },
    ],
    publicRequests: {
      note: 'Chromium loaded the pages',
      pages: ['/', '/reports', '/reports/AAAAAAAAAAAAAAAA', '/stats'].map((path) => ({ path, status: 200, otherOrigin: [], sameOrigin: path.startsWith('/reports/') ? ['/photos/CCCCCCCCCCCCCCCC'] : [], scripts: 0 })),
    },
  };
}

function passing(): Pick<BenchResults, 'submission' | 'queue' | 'public' | 'bundle' | 'wal' | 'encryption' | 'cache'> {
  const page = { path: '/', status: 200, scripts: [], gzipTotal: 100_000, inlineGzipBytes: 0, htmlGzipBytes: 0 };
  return {
    submission: { available: true, method: 'server-action-form', path: '/partner/reports/new', submit: load(600, 90), health: load(1000, 20), throughputRatio: 0.6, closedLoopFloorMs: 50, offered: { ratePerSecond: 100, submit: load(100, 30), health: load(100, 10), acceptedShare: 1 }, acceptedShare: 1, created: 6000, probe: { status: 303, location: '/partner/reports/1', ms: 10 } },
    queue: { available: true, firstPage: pair(12, 10), deepPage: { ...pair(12, 10), depth: 20 }, search: { ...pair(18, 10), term: 'ferry' } },
    public: { stats: { ...pair(14, 10), available: true }, exportJson: { ...pair(15, 10), available: true } },
    bundle: { available: true, formPage: { ...page, path: '/partner/reports/new', gzipTotal: 110_000 }, smallestPage: page, candidates: [], ratio: 1.1, otherOriginInHtml: [], otherOriginInBrowser: [], browserNote: '', browserScriptRequests: 5, serviceWorker: { path: '/partner/serwist/sw.js', bytes: 37_000, gzipBytes: 12_000 }, serviceWorkerNote: '' },
    wal: { available: true, submissions: 20_000, accepted: 20_000, walBytesFinal: 4_000_000, walBytesMax: 8_500_000, seconds: 100, note: '' },
    encryption: {
      available: true, rounds: 3, loadSeconds: 6, latencySeconds: 3, loadAverage1m: { start: 1, end: 1.2 },
      submission: { ...compared('req/s', [230, 228, 232], [240, 241, 239], [4.3, 5.7, 3]), connections: 50, acceptedShare: { encrypted: 1, plain: 1 } },
      queue: compared('ms', [12.9, 13, 12.8], [12.5, 12.4, 12.6], [3.2, 4.8, 1.6]),
      stats: compared('ms', [50, 51, 49], [48, 47, 49], [4.2, 8.5, 0]),
    },
    cache: cachePassing(),
  };
}

describe('evaluateBudgets', () => {
  it('passes every budget when every figure is within it', () => {
    const rows = evaluateBudgets(passing());
    expect(rows.map((r) => `${r.id} ${r.status}`)).toEqual([
      '1a PASS', '1b PASS', '1b-closed INFO', '2a PASS', '2b PASS', '2c PASS', '3a PASS', '3b PASS', '4a PASS', '4b PASS', '5 PASS', '6a PASS', '6b PASS', '6c PASS',
      '7a PASS', '7b PASS', '7c PASS', '7d PASS', '7e PASS', '7f PASS',
    ]);
  });

  it('fails each budget just over its limit', () => {
    const r = passing();
    if (!r.submission.available || !r.queue.available || !r.bundle.available || !r.wal.available) throw new Error('fixture');
    r.submission = { ...r.submission, throughputRatio: 0.49, offered: { ...r.submission.offered, submit: load(100, 101) } };
    r.queue = { ...r.queue, deepPage: { ...pair(13.1, 10), depth: 20 }, search: { ...pair(20.1, 10), term: 'ferry' } };
    r.public = { ...r.public, stats: { ...pair(15.1, 10), available: true } };
    r.bundle = { ...r.bundle, ratio: 1.21, otherOriginInBrowser: ['https://fonts.example.com/x.woff2'] };
    r.wal = { ...r.wal, walBytesFinal: 16 * 1024 * 1024 + 1 };
    if (!r.encryption.available || 'available' in r.encryption.submission) throw new Error('fixture');
    r.encryption = {
      ...r.encryption,
      submission: { ...r.encryption.submission, ...compared('req/s', [200], [230.2], [15.1]) },
      stats: compared('ms', [11.51], [10], [15.1]),
    };
    const c = cachePassing();
    if (!c.available) throw new Error('fixture');
    c.pages[0] = { ...c.pages[0]!, ratio: 49.9 };
    c.pages[1] = { ...c.pages[1]!, cached: { ...c.pages[1]!.cached, errors: 3 } };
    c.retraction = { ...(c.retraction as Extract<typeof c.retraction, { available: true }>), seconds: 60.1 };
    c.publicJs = [...c.publicJs.slice(0, 3), { ...js('/stats'), scriptElements: 1 }];
    c.publicMaps = [...c.publicMaps.slice(0, 2), { ...c.publicMaps[2]!, gzipBytes: 15 * 1024 + 1 }];
    c.publicRequests = { ...c.publicRequests, pages: c.publicRequests.pages!.map((p, i) => (i === 1 ? { ...p, otherOrigin: ['https://tiles.example.com/1/2/3.png'] } : p)) };
    r.cache = c;
    const failed = evaluateBudgets(r).filter((row) => row.status === 'FAIL').map((row) => row.id);
    expect(failed).toEqual(['1a', '1b', '2b', '2c', '3a', '4a', '4b', '5', '6a', '6c', '7a', '7b', '7c', '7d', '7e', '7f']);
  });

  it('shows the cache figures as ratio (cached / direct), seconds and kilobytes', () => {
    const rows = evaluateBudgets(passing()).filter((row) => row.id.startsWith('7'));
    expect(rows.map((row) => [row.id, row.display])).toEqual([
      ['7a', '100 (9000 / 90.0)'],
      ['7b', '150 (9000 / 60.0)'],
      ['7c', '50.4 s'],
      ['7d', '0.0 KiB gzip, 0 script elements (was ~186 KiB)'],
      ['7e', '7.3 KiB (/reports 7.3, /reports/AAAAAAAAAAAAAAAA 6.0, /stats 7.0)'],
      ['7f', '0 (same origin: 1, scripts 0; 4 pages)'],
    ]);
  });

  it('does not pass a page whose map is missing, nor public pages that ran a script, and shows a browser that could not run as N/A', () => {
    const c = cachePassing();
    if (!c.available) throw new Error('fixture');
    c.publicMaps = [...c.publicMaps.slice(0, 2), { ...c.publicMaps[2]!, maps: 0, gzipBytes: 0 }];
    c.publicRequests = { ...c.publicRequests, pages: c.publicRequests.pages!.map((p) => ({ ...p, scripts: 1 })) };
    const rows = evaluateBudgets({ ...passing(), cache: c }).filter((row) => row.id === '7e' || row.id === '7f');
    expect(rows.map((row) => [row.id, row.status, row.note])).toEqual([
      ['7e', 'FAIL', '/stats: no map'],
      ['7f', 'FAIL', ''],
    ]);
    const noBrowser = evaluateBudgets({ ...passing(), cache: { ...c, publicRequests: { pages: null, note: 'chromium not found' } } }).find((row) => row.id === '7f');
    expect([noBrowser?.status, noBrowser?.note]).toEqual(['N/A', 'chromium not found']);
  });

  it('does not pass a quick retraction the app itself never showed, nor a page with an inline data block', () => {
    const c = cachePassing();
    if (!c.available || !c.retraction.available) throw new Error('fixture');
    c.retraction = { ...c.retraction, directShowsNotice: false };
    c.publicJs = [{ ...js('/'), scriptElements: 1, inlineScripts: 1 }];
    const rows = evaluateBudgets({ ...passing(), cache: c }).filter((row) => row.id === '7c' || row.id === '7d');
    expect(rows.map((row) => row.status)).toEqual(['FAIL', 'FAIL']);
  });

  it('reports a cache measurement that could not run (no nginx) as N/A with the reason', () => {
    const rows = evaluateBudgets({ ...passing(), cache: { available: false, reason: 'nginx is not installed' } }).filter((row) => row.id.startsWith('7'));
    expect(rows.map((row) => [row.id, row.status, row.note])).toEqual([
      ['7a', 'N/A', 'nginx is not installed'],
      ['7b', 'N/A', 'nginx is not installed'],
      ['7c', 'N/A', 'nginx is not installed'],
      ['7d', 'N/A', 'nginx is not installed'],
      ['7e', 'N/A', 'nginx is not installed'],
      ['7f', 'N/A', 'nginx is not installed'],
    ]);
  });

  it('does not pass a fast submission run in which the posts created no reports', () => {
    const r = passing();
    if (!r.submission.available) throw new Error('fixture');
    r.submission = { ...r.submission, acceptedShare: 0.5 };
    const rows = evaluateBudgets(r).filter((row) => row.id.startsWith('1'));
    expect(rows.map((row) => row.status)).toEqual(['FAIL', 'PASS', 'INFO']);
    expect(rows[0]?.note).toMatch(/50\.0 %/);
    // The same for the offered run of budget 1b: a fast refusal is no figure.
    r.submission = { ...r.submission, acceptedShare: 1, offered: { ...r.submission.offered, acceptedShare: 0.9 } };
    const row1b = evaluateBudgets(r).find((row) => row.id === '1b');
    expect(row1b?.status).toBe('FAIL');
    expect(row1b?.note).toMatch(/only 90\.0 % of posts created a report/);
  });

  it('states 1b at an offered 100 submissions/s: the closed-loop p99 is information, never a failure', () => {
    const r = passing();
    if (!r.submission.available) throw new Error('fixture');
    // Saturated closed loop (2.4 s p99), yet 40 ms at the offered rate: 1b passes.
    r.submission = { ...r.submission, submit: load(150, 2400), offered: { ...r.submission.offered, submit: load(100, 40) } };
    const rows = evaluateBudgets(r).filter((row) => row.id.startsWith('1b'));
    expect(rows.map((row) => [row.id, row.status, row.limit])).toEqual([
      ['1b', 'PASS', '≤ 100 ms'],
      ['1b-closed', 'INFO', 'no budget'],
    ]);
    expect(rows[0]?.label).toBe('submission p99 at an offered 100/s, 50 connections (open loop)');
    expect(rows[0]?.display).toBe('40 ms (p50 20 ms)');
    // A post lost to a timeout fails it, as does a run at another rate.
    r.submission = { ...r.submission, offered: { ...r.submission.offered, submit: { ...load(100, 40), timeouts: 1 } } };
    expect(evaluateBudgets(r).find((row) => row.id === '1b')?.status).toBe('FAIL');
    r.submission = { ...r.submission, offered: { ...r.submission.offered, ratePerSecond: 50, submit: load(50, 40) } };
    expect(evaluateBudgets(r).find((row) => row.id === '1b')).toMatchObject({ status: 'FAIL', note: expect.stringMatching(/stated at 100\/s/) });
  });

  it("names the bare handler's own latency beside the closed-loop figure when the handler alone is over 100 ms", () => {
    const r = passing();
    if (!r.submission.available) throw new Error('fixture');
    r.submission = { ...r.submission, submit: load(240, 430), health: load(470, 160), closedLoopFloorMs: 106 };
    const closed = evaluateBudgets(r).find((row) => row.id === '1b-closed');
    expect(closed?.status).toBe('INFO');
    expect(closed?.note).toBe('the bare handler alone: p99 160 ms, mean 106 ms at these connections');
    // Within 100 ms, the note stays empty.
    expect(evaluateBudgets(passing()).find((row) => row.id === '1b-closed')?.note).toBe('');
  });

  it('reports a missing route as N/A with its reason, not as a failure', () => {
    const r = passing();
    r.queue = { available: false, reason: '/editor/queue not found (404)' };
    const rows = evaluateBudgets(r).filter((row) => row.id.startsWith('2'));
    expect(rows.map((row) => [row.status, row.note])).toEqual([
      ['N/A', '/editor/queue not found (404)'],
      ['N/A', '/editor/queue not found (404)'],
      ['N/A', '/editor/queue not found (404)'],
    ]);
  });

  it('shows an encryption cost with the medians behind it and the spread of the rounds', () => {
    const row6a = evaluateBudgets(passing()).find((row) => row.id === '6a');
    expect(row6a).toMatchObject({ value: 4.3, limit: '≤ 15 %', display: '+4.3 % (230 / 240 req/s; rounds +3.0 % … +5.7 %)', status: 'PASS' });
    const r = passing();
    if (!r.encryption.available) throw new Error('fixture');
    r.encryption = { ...r.encryption, queue: compared('ms', [9.5, 10.2], [10, 10], [-5, 2]) };
    expect(evaluateBudgets(r).find((row) => row.id === '6b')?.display).toBe('−1.5 % (9.8 / 10.0 ms; rounds −5.0 % … +2.0 %)');
  });

  it('does not pass a cheap encrypted submission run when the posts to either server created no reports', () => {
    const r = passing();
    if (!r.encryption.available || 'available' in r.encryption.submission) throw new Error('fixture');
    r.encryption = { ...r.encryption, submission: { ...r.encryption.submission, acceptedShare: { encrypted: 1, plain: 0.4 } } };
    const row6a = evaluateBudgets(r).find((row) => row.id === '6a');
    expect(row6a?.status).toBe('FAIL');
    expect(row6a?.note).toMatch(/only 40\.0 % of posts to the plain server created a report/);
  });

  it('reports a skipped or failed encryption comparison as N/A with its reason, per figure', () => {
    const r = passing();
    r.encryption = { available: false, reason: 'skipped (--only without encryption)' };
    expect(evaluateBudgets(r).filter((row) => row.id.startsWith('6')).map((row) => [row.id, row.status, row.note])).toEqual([
      ['6a', 'N/A', 'skipped (--only without encryption)'],
      ['6b', 'N/A', 'skipped (--only without encryption)'],
      ['6c', 'N/A', 'skipped (--only without encryption)'],
    ]);
    const s = passing();
    if (!s.encryption.available) throw new Error('fixture');
    s.encryption = { ...s.encryption, queue: { available: false, reason: 'no moderation queue' } };
    expect(evaluateBudgets(s).filter((row) => row.id.startsWith('6')).map((row) => row.status)).toEqual(['PASS', 'N/A', 'PASS']);
  });
});
