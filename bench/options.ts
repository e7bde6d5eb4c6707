/**
 * Command-line options of `npm run bench` (pure: no I/O, so it is unit tested).
 *
 *   npm run bench                      N = 100,000, full durations, 20,000 submissions for the WAL figure
 *   npm run bench -- --quick           N = 5,000, short durations, 2,000 submissions (under 3 minutes)
 *   npm run bench -- --no-build        reuse the build in NEXT_DIST_DIR (default .next-bench)
 *   npm run bench -- --reports=20000   another N (with or without --quick)
 *   npm run bench -- --only=queue,public   run some measurements only (submission, queue, public, bundle, wal, encryption, cache)
 *   npm run bench -- --only=encryption     the encrypted-vs-plain comparison alone (issue 15)
 *   npm run bench -- --port=3150       first of the loopback ports (large database; small = port + 1; the comparison's
 *                                      servers + 2 and + 3; the cache measurement's nginx + 4)
 *   npm run bench -- --keep            keep the temporary DATA_DIR (its path is printed) for inspection
 *   npm run bench -- --no-trace        skip the SQL trace and EXPLAIN QUERY PLAN diagnosis
 *   npm run bench -- --only=desk       the editors' desk trial alone (issue 19; bench/measure/desk.ts),
 *                                      on its own small database; --desk-reports=N reports a way (default 200)
 */

export const MEASUREMENTS = ['submission', 'queue', 'public', 'bundle', 'wal', 'encryption', 'cache'] as const;
export type Measurement = (typeof MEASUREMENTS)[number];

export type BenchOptions = {
  quick: boolean;
  build: boolean;
  /** Reports in the large database. */
  largeReports: number;
  /** Reports in the small database (the comparison baseline). */
  smallReports: number;
  port: number;
  distDir: string;
  only: ReadonlySet<Measurement>;
  keep: boolean;
  trace: boolean;
  /** Seconds of load per autocannon run (submission and health baseline). */
  loadSeconds: number;
  /** Seconds per latency sample run (queue and public pages), repeated `latencyRounds` times. */
  latencySeconds: number;
  latencyRounds: number;
  /** Connections for the submission / health comparison (the budget's "50 connections"). */
  loadConnections: number;
  /** Submissions made before the WAL file is measured. */
  walSubmissions: number;
  /** Pages the queue's "next" link is followed for the deep page. */
  queueDepth: number;
  /**
   * The encrypted-vs-plain comparison (issue 15, bench/measure/encryption.ts): rounds per figure
   * (after one unmeasured warm-up round); per round and server `encryptionLoadSeconds` of
   * submissions, and `encryptionLatencySeconds` of page requests (the two servers asked in turn);
   * `encryptionWarmSeconds` of unmeasured load per page and server before the rounds.
   */
  encryptionRounds: number;
  encryptionWarmSeconds: number;
  encryptionLoadSeconds: number;
  encryptionLatencySeconds: number;
  /** The desk trial (`--only=desk`, always alone: it needs none of the large databases). */
  desk: boolean;
  /** Submitted reports the desk trial triages each way (old and new). */
  deskReports: number;
};

const FULL = {
  largeReports: 100_000, loadSeconds: 15, latencySeconds: 5, latencyRounds: 3, walSubmissions: 20_000,
  encryptionRounds: 5, encryptionLoadSeconds: 4, encryptionLatencySeconds: 2, encryptionWarmSeconds: 5,
};
const QUICK = {
  largeReports: 5_000, loadSeconds: 4, latencySeconds: 2, latencyRounds: 2, walSubmissions: 2_000,
  encryptionRounds: 3, encryptionLoadSeconds: 3, encryptionLatencySeconds: 1, encryptionWarmSeconds: 2,
};

/** Thrown for an option the benchmark does not know or a value out of range (message names it). */
export class BenchOptionError extends Error {}

function positiveInt(name: string, text: string, max: number): number {
  if (!/^\d+$/.test(text)) throw new BenchOptionError(`--${name} needs a whole number, got "${text}"`);
  const value = Number(text);
  if (value < 1 || value > max) throw new BenchOptionError(`--${name} must be between 1 and ${max}`);
  return value;
}

/**
 * Parses `process.argv.slice(2)` and the environment (NEXT_DIST_DIR). Throws BenchOptionError for
 * unknown options or bad values. Numbers may carry `_` or `,` separators (`--reports=100_000`).
 */
export function parseBenchOptions(argv: readonly string[], env: Record<string, string | undefined> = {}): BenchOptions {
  const flags = new Map<string, string | true>();
  for (const arg of argv) {
    if (arg === '--') continue;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || match[1] === undefined) throw new BenchOptionError(`Unknown argument "${arg}" (see bench/options.ts)`);
    flags.set(match[1], match[2] ?? true);
  }
  const known = new Set(['quick', 'no-build', 'build', 'reports', 'small-reports', 'port', 'only', 'keep', 'no-trace', 'wal-submissions', 'seconds', 'desk-reports']);
  for (const name of flags.keys()) {
    if (!known.has(name)) throw new BenchOptionError(`Unknown option --${name} (see bench/options.ts)`);
  }
  const text = (name: string): string | undefined => {
    const value = flags.get(name);
    if (value === true) throw new BenchOptionError(`--${name} needs a value (--${name}=…)`);
    return value?.replace(/[_,]/g, '');
  };

  const quick = flags.has('quick');
  const base = quick ? QUICK : FULL;
  const reportsText = text('reports');
  const smallText = text('small-reports');
  const portText = text('port');
  const walText = text('wal-submissions');
  const deskText = text('desk-reports');
  const secondsText = text('seconds');
  const onlyText = flags.get('only');

  let only: Set<Measurement> = new Set(MEASUREMENTS);
  let desk = false;
  if (onlyText !== undefined) {
    if (onlyText === true) throw new BenchOptionError('--only needs a list, e.g. --only=queue,public');
    only = new Set();
    const names = onlyText.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.includes('desk')) {
      if (names.length > 1) throw new BenchOptionError('--only=desk runs alone (it uses its own small database)');
      desk = true;
    }
    for (const name of desk ? [] : names) {
      if (!(MEASUREMENTS as readonly string[]).includes(name)) {
        throw new BenchOptionError(`--only: unknown measurement "${name}" (one of ${MEASUREMENTS.join(', ')})`);
      }
      only.add(name as Measurement);
    }
  }

  const loadSeconds = secondsText ? positiveInt('seconds', secondsText, 600) : base.loadSeconds;
  return {
    quick,
    build: !flags.has('no-build'),
    largeReports: reportsText ? positiveInt('reports', reportsText, 2_000_000) : base.largeReports,
    smallReports: smallText ? positiveInt('small-reports', smallText, 2_000_000) : 1_000,
    port: portText ? positiveInt('port', portText, 65_534) : 3150,
    distDir: env.NEXT_DIST_DIR || '.next-bench',
    only,
    keep: flags.has('keep'),
    trace: !flags.has('no-trace'),
    loadSeconds,
    latencySeconds: base.latencySeconds,
    latencyRounds: base.latencyRounds,
    loadConnections: 50,
    walSubmissions: walText ? positiveInt('wal-submissions', walText, 200_000) : base.walSubmissions,
    queueDepth: 20,
    encryptionRounds: base.encryptionRounds,
    encryptionWarmSeconds: base.encryptionWarmSeconds,
    encryptionLoadSeconds: base.encryptionLoadSeconds,
    encryptionLatencySeconds: base.encryptionLatencySeconds,
    desk,
    deskReports: deskText ? positiveInt('desk-reports', deskText, 2_000) : 200,
  };
}
