/**
 * `npm run bench` — speed and size of Field Reports against the budgets of issue 10.
 *
 * 1. builds the production app into NEXT_DIST_DIR (default .next-bench; --no-build reuses it);
 * 2. writes the run's key file (bench/at-rest.ts) and creates two encrypted databases in temporary
 *    DATA_DIRs: large (N reports, default 100,000; --quick 5,000) and small (1,000), both with 20 %
 *    published (bench/generate.ts); for the encryption comparison also the large one's plain-text
 *    twin (same seed, no key);
 * 3. starts the app's server (server.ts, as `npm start`) on 127.0.0.1 for each (ports --port and --port + 1, default 3150/3151;
 *    for the comparison --port + 2 on the twin and --port + 3 on the large database again);
 * 4. measures (bench/measure/*) and diagnoses slow routes with a SQL trace and EXPLAIN QUERY PLAN;
 * 5. prints a table with PASS / FAIL per budget and writes bench/results/<timestamp>.json and
 *    bench/results/latest.json (and bench/last-run.json after a full, non-quick run).
 *
 * Options: see bench/options.ts. A measurement whose route does not exist yet is reported as
 * "n/a" with the reason, never as a failure of the benchmark itself.
 */
import { execSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchKey } from './at-rest';
import { evaluateBudgets } from './budgets';
import { browserHeaders, unavailable, type BenchContext, type Side, type SideCookies } from './context';
import { budgetTable, detailLines, diagnosisLines } from './format';
import { benchAccounts, createBenchDatabase } from './generate';
import { measureBundle, FORM_PATH } from './measure/bundle';
import { measureCache } from './measure/cache';
import { deskLines, runDeskTrial } from './measure/desk';
import { measureEncryption } from './measure/encryption';
import { measurePublic, STATS_PATH, EXPORT_JSON_PATH } from './measure/public';
import { measureQueue } from './measure/queue';
import { measureSubmission, measureWal, prepareSubmission } from './measure/submission';
import { BenchOptionError, MEASUREMENTS, parseBenchOptions } from './options';
import type { BenchResults, BundleResult, CacheResult, DatabaseSummary, EncryptionResult, PublicResult, QueueResult, RouteDiagnosis, SubmissionResult, WalResult } from './results';
import { buildApp, hasBuild, startServer, stopAllServers, type BenchServer } from './server';
import { sessionCookie } from './session';
import { tracedRequest } from './trace';

const BENCH_DIR = __dirname;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
}

function gitCommit(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: path.join(BENCH_DIR, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const runTag = crypto.randomBytes(4).toString('hex');
  const secret = crypto.randomBytes(48).toString('base64');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'field-reports-bench-'));
  const notes: string[] = [];
  log(
    options.desk
      ? `desk trial: ${options.deskReports} reports a way; temp ${tmp}`
      : `${options.quick ? 'quick' : 'full'} run: N = ${options.largeReports.toLocaleString('en')} against ${options.smallReports.toLocaleString('en')}; temp ${tmp}`,
  );

  const cleanUp = async () => {
    await stopAllServers();
    if (!options.keep) fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = () => {
    log('interrupted: stopping servers');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const dirs: Record<Side | 'plain' | 'build', string> = {
      large: path.join(tmp, 'large'),
      small: path.join(tmp, 'small'),
      plain: path.join(tmp, 'plain'),
      build: path.join(tmp, 'build-data'),
    };
    // One key for every encrypted database of the run, in a file beside (never inside) the DATA_DIRs.
    const key = createBenchKey(path.join(tmp, 'keys'), Object.values(dirs));
    const comparing = options.only.has('encryption');

    let buildSeconds: number | null = null;
    if (options.build) {
      log(`building into ${options.distDir} …`);
      buildSeconds = buildApp({ distDir: options.distDir, dataDir: dirs.build, secret, key });
      log(`built in ${buildSeconds.toFixed(0)} s`);
    } else if (!hasBuild(options.distDir)) {
      throw new Error(`--no-build: there is no build in ${options.distDir}; run once without --no-build`);
    } else notes.push(`reused the build in ${options.distDir}`);

    if (options.desk) {
      // The desk trial (issue 19) needs only its own small database: none of the large ones.
      const desk = await runDeskTrial({ tmp, distDir: options.distDir, key, secret, port: options.port, reports: options.deskReports, log });
      const finishedAt = new Date();
      const json = `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), gitCommit: gitCommit(), loadAverageAtStart, loadAverageAtEnd: os.loadavg(), desk }, null, 2)}\n`;
      const resultsDir = path.join(BENCH_DIR, 'results');
      fs.mkdirSync(resultsDir, { recursive: true });
      fs.writeFileSync(path.join(resultsDir, `desk-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), json);
      fs.writeFileSync(path.join(resultsDir, 'desk-latest.json'), json);
      process.stdout.write(`\n${deskLines(desk).join('\n')}\n`);
      return 0;
    }

    // The plain twin must hold the same rows as the large database: same seed, same clock.
    const nowMs = Date.now();
    log(`generating ${options.largeReports.toLocaleString('en')} reports (encrypted) …`);
    const largeDb = await createBenchDatabase({ dataDir: dirs.large, reports: options.largeReports, seed: 10, key, nowMs });
    log(`large database: ${largeDb.generateSeconds.toFixed(1)} s, ${(largeDb.fileBytes / 1048576).toFixed(0)} MB`);
    const smallDb = await createBenchDatabase({ dataDir: dirs.small, reports: options.smallReports, seed: 20, key });
    let plainDb: DatabaseSummary | null = null;
    if (comparing) {
      log(`generating the same ${options.largeReports.toLocaleString('en')} reports again without a key (plain-text twin) …`);
      plainDb = await createBenchDatabase({ dataDir: dirs.plain, reports: options.largeReports, seed: 10, key: null, nowMs });
      log(`plain twin: ${plainDb.generateSeconds.toFixed(1)} s, ${(plainDb.fileBytes / 1048576).toFixed(0)} MB`);
    }

    log('starting servers …');
    const tracePath = (label: string) => (options.trace ? path.join(tmp, `trace-${label}.json`) : null);
    // The comparison's encrypted side is a second server on the large database rather than the
    // large server itself: after minutes of figures (2) and (3), that one answered the queue 7–9 %
    // faster than a freshly started twin in every round of two full runs, a difference of server
    // history, not of the database. Both comparison servers get the trace preload too (never
    // switched on), so they run the same wrapped statements as the large one.
    const [large, small, plain, encrypted] = await Promise.all([
      startServer({ label: 'large', distDir: options.distDir, dataDir: dirs.large, key, port: options.port, secret, tracePath: tracePath('large') }),
      startServer({ label: 'small', distDir: options.distDir, dataDir: dirs.small, key, port: options.port + 1, secret, tracePath: tracePath('small') }),
      comparing
        ? startServer({ label: 'plain', distDir: options.distDir, dataDir: dirs.plain, key: null, port: options.port + 2, secret, tracePath: tracePath('plain') })
        : Promise.resolve(null),
      comparing
        ? startServer({ label: 'encrypted', distDir: options.distDir, dataDir: dirs.large, key, port: options.port + 3, secret, tracePath: tracePath('encrypted') })
        : Promise.resolve(null),
    ]);
    const cookiesFor = async (server: BenchServer): Promise<SideCookies> => {
      const accounts = benchAccounts(server.database);
      return { partner: await sessionCookie({ account: accounts.partner, secret }), editor: await sessionCookie({ account: accounts.editor, secret }) };
    };
    const context: BenchContext = {
      options,
      servers: { large, small },
      cookies: { large: await cookiesFor(large), small: await cookiesFor(small) },
      comparison:
        plain && encrypted
          ? { encrypted: { server: encrypted, cookies: await cookiesFor(encrypted) }, plain: { server: plain, cookies: await cookiesFor(plain) } }
          : null,
      runTag,
      log,
      diagnosis: [],
    };

    const skipped = (name: string) => unavailable(`skipped (--only without ${name})`);
    const guard = async <T>(name: string, fn: () => Promise<T>, fallback: (reason: string) => T): Promise<T> => {
      try {
        return await fn();
      } catch (error) {
        log(`${name} failed: ${errorText(error)}`);
        return fallback(`measurement failed: ${errorText(error)}`);
      }
    };

    const bundle: BundleResult = options.only.has('bundle') ? await guard('bundle', () => measureBundle(context), unavailable) : skipped('bundle');
    const queue: QueueResult = options.only.has('queue') ? await guard('queue', () => measureQueue(context), unavailable) : skipped('queue');
    const publicResult: PublicResult = options.only.has('public')
      ? await guard('public', () => measurePublic(context), (reason) => ({ stats: unavailable(reason), exportJson: unavailable(reason) }))
      : { stats: skipped('public'), exportJson: skipped('public') };

    const prepared =
      options.only.has('submission') || options.only.has('wal') || comparing ? await guard('submission', () => prepareSubmission(context), unavailable) : skipped('submission');

    // Warm traces before the submissions add rows: one traced request per route on each database
    // (the cold first requests were traced while measuring).
    const diagnosis: RouteDiagnosis[] = context.diagnosis;
    if (options.trace) {
      const targets: { label: string; path: (side: Side) => string; cookie: 'partner' | 'editor' | null }[] = [];
      if (queue.available) {
        targets.push({ label: 'queue-first', path: () => queue.firstPage.path, cookie: 'editor' });
        if ('ratio' in queue.deepPage) {
          const deep = queue.deepPage;
          targets.push({ label: 'queue-deep', path: (side) => (side === 'large' ? deep.path : deep.smallPath), cookie: 'editor' });
        }
        if ('ratio' in queue.search) {
          const search = queue.search;
          targets.push({ label: 'queue-search', path: () => search.path, cookie: 'editor' });
        }
      }
      if (publicResult.stats.available) targets.push({ label: 'stats', path: () => STATS_PATH, cookie: null });
      if (publicResult.exportJson.available) targets.push({ label: 'export', path: () => EXPORT_JSON_PATH, cookie: null });
      if (bundle.available) targets.push({ label: 'form-page', path: () => FORM_PATH, cookie: 'partner' });
      for (const target of targets) {
        for (const side of ['large', 'small'] as const) {
          const server = context.servers[side];
          const cookie = target.cookie ? context.cookies[side][target.cookie] : null;
          const result = await guard(
            `trace ${target.path(side)}`,
            async () => (await tracedRequest({ label: target.label, server, database: side, urlPath: target.path(side), init: { headers: browserHeaders(server, cookie) } })).diagnosis,
            () => null,
          );
          if (result) diagnosis.push(result);
          else notes.push(`no SQL trace for ${target.path(side)} on ${side}`);
        }
      }
      if ('path' in prepared) {
        const server = context.servers.large;
        const { head, tail, contentType } = prepared;
        const id = `${runTag}-0000-4000-8000-${'f'.repeat(12)}`;
        const result = await guard('trace submission', async () =>
          (await tracedRequest({
            label: 'submission',
            server,
            database: 'large',
            urlPath: prepared.path,
            init: {
              method: 'POST',
              headers: { ...browserHeaders(server, context.cookies.large.partner), 'content-type': contentType, origin: server.origin, 'sec-fetch-site': 'same-origin' },
              body: new Uint8Array(Buffer.concat([head, Buffer.from(id), tail])),
            },
          })).diagnosis, () => null);
        if (result) diagnosis.push(result);
      }
    }

    // Before (1) and (5): those add 20,000+ reports to the encrypted database only, and the
    // comparison needs both databases in the same state.
    const encryption: EncryptionResult = comparing ? await guard('encryption', () => measureEncryption(context, prepared), unavailable) : skipped('encryption');
    // The comparison's two servers are done: stopped, so that what follows measures the large
    // server alone (a second server on the large database, idle or not, is no part of (1) or (7)).
    if (context.comparison) await Promise.all([context.comparison.encrypted.server.stop(), context.comparison.plain.server.stop()]);

    // (7) after the comparison (it retracts one publication of the large database), before the
    // submissions (which load the large server for minutes).
    const cache: CacheResult = options.only.has('cache') ? await guard('cache', () => measureCache(context, { key, tmp }), unavailable) : skipped('cache');

    const submission: SubmissionResult = options.only.has('submission') ? await guard('submission', () => measureSubmission(context, prepared), unavailable) : skipped('submission');
    const wal: WalResult = options.only.has('wal') ? await guard('wal', () => measureWal(context, prepared), unavailable) : skipped('wal');

    await stopAllServers();
    const finishedAt = new Date();
    const loadAverageAtEnd = os.loadavg();
    const busiest = Math.max(loadAverageAtStart[0] ?? 0, loadAverageAtEnd[0] ?? 0, loadAverageAtEnd[1] ?? 0);
    if (busiest > os.cpus().length) {
      notes.push(`the machine was busy (load average up to ${busiest.toFixed(1)} on ${os.cpus().length} CPUs): absolute times and throughput are noisy; ratios less so`);
    }
    const measured = { submission, queue, public: publicResult, bundle, wal, encryption, cache };
    const results: BenchResults = {
      meta: {
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        seconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10,
        buildSeconds: buildSeconds === null ? null : Math.round(buildSeconds * 10) / 10,
        quick: options.quick,
        node: process.version,
        cpus: os.cpus().length,
        loadAverageAtStart,
        loadAverageAtEnd,
        gitCommit: gitCommit(),
        distDir: options.distDir,
        notes,
      },
      databases: { large: largeDb, small: smallDb, plain: plainDb },
      ...measured,
      budgets: evaluateBudgets(measured),
      diagnosis,
    };

    const out: string[] = [];
    out.push('', `Field Reports benchmark — ${options.quick ? 'quick' : 'full'} run, ${results.meta.seconds} s${buildSeconds !== null ? ` (build ${buildSeconds.toFixed(0)} s)` : ''}`, '');
    out.push(budgetTable(results.budgets), '');
    out.push(...detailLines(results));
    const failing = new Set(results.budgets.filter((b) => b.status === 'FAIL').map((b) => b.id[0]));
    const labelsOf: Record<string, string[]> = { '1': ['submission'], '2': ['queue-first', 'queue-deep', 'queue-search'], '3': ['stats', 'export'] };
    const wanted = new Set([...failing].flatMap((id) => labelsOf[id ?? ''] ?? []));
    const interesting = diagnosis.filter((d) => wanted.has(d.label.replace(/-cold$/, '')));
    if (interesting.length) out.push('', 'Diagnosis (slowest SQL of the routes over budget; full plans in the JSON):', ...diagnosisLines(interesting));
    if (notes.length) out.push('', ...notes.map((n) => `note: ${n}`));
    process.stdout.write(`${out.join('\n')}\n`);

    const resultsDir = path.join(BENCH_DIR, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    const json = `${JSON.stringify(results, null, 2)}\n`;
    fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), json);
    fs.writeFileSync(path.join(resultsDir, 'latest.json'), json);
    if (!options.quick && options.largeReports === 100_000 && options.only.size === MEASUREMENTS.length) fs.writeFileSync(path.join(BENCH_DIR, 'last-run.json'), json);
    log(`results: bench/results/${stamp}.json${options.keep ? `; databases kept in ${tmp} (key file ${key.file})` : ''}`);
    return 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    await stopAllServers();
    if (error instanceof BenchOptionError) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof BenchOptionError ? 2 : 1);
  },
);
