/**
 * Durability under crashes (issue 9; docs/security/README.md "Durability"): `npm run test:crash`.
 *
 * Starts the production server (server.ts as `npm start` runs it, loopback only) on a fresh temporary DATA_DIR, has
 * a signed-in partner submit reports over HTTP the way the browser does (the report form's Server
 * Action, multipart, `Next-Action` header), and meanwhile kills the server's whole process tree
 * with SIGKILL again and again (KILLS times, a random 1.5–5 s apart), restarting it each time.
 * Then, with the server gone:
 * - every report whose submission was acknowledged (the action answered with its redirect to the
 *   report page) is in the database, submitted, with its title and vehicle row;
 * - `PRAGMA integrity_check` is 'ok', `PRAGMA foreign_key_check` finds nothing;
 * - the database is in WAL mode, and the app's connection (db/client.ts openSqlite, which
 *   getDb() uses) runs with synchronous=FULL (2) — and no code in db/, scripts/ or lib/ sets another level;
 * - a submission that was cut off is retried with the same client id and never makes a second
 *   report.
 *
 * Uses the build in NEXT_DIST_DIR (default .next); builds it first unless BUILD=0.
 * Exit code 0 on success, 1 with the reasons on failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { encode } from 'next-auth/jwt';
import { newKeyFileText } from '../../lib/at-rest/keys';
import type { SessionClaims } from '../../lib/auth/session';
import { freePort } from '../../lib/testing/net';

const KILLS = Number(process.env.CRASH_KILLS ?? 8);
const SUBMITTERS = Number(process.env.CRASH_SUBMITTERS ?? 4);
const OVERALL_TIMEOUT_MS = 6 * 60_000;
const READY_TIMEOUT_MS = 90_000;

const root = process.cwd();
const distDir = process.env.NEXT_DIST_DIR || '.next';
const nextBin = path.join(root, 'node_modules', '.bin', 'next');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'field-reports-crash-'));
// The database is encrypted as in production: a key file outside DATA_DIR.
const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'field-reports-crash-key-')), 'data.key');
fs.writeFileSync(keyFile, newKeyFileText(), { mode: 0o600 });
process.env.FIELD_REPORTS_KEY_FILE = keyFile;
const secret = crypto.randomBytes(48).toString('base64');
const failures: string[] = [];

function fail(message: string) {
  failures.push(message);
  console.error(`✘ ${message}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

let port = 0;
let server: ChildProcess | null = null;
const log = fs.createWriteStream(path.join(dataDir, 'server.log'));
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  NODE_ENV: 'production' as const,
  NEXT_TELEMETRY_DISABLED: '1',
  NEXTAUTH_SECRET: secret,
  FIELD_REPORTS_DEMO: '0',
  NEXT_DIST_DIR: distDir,
  FIELD_REPORTS_KEY_FILE: keyFile,
};

function startServer(): ChildProcess {
  // Its own process group, so SIGKILL reaches every process the server made.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), NEXTAUTH_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  return child;
}

function killServer(signal: NodeJS.Signals): Promise<void> {
  const child = server;
  server = null;
  if (!child?.pid || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, signal);
    } catch {
      resolve();
    }
  });
}

async function waitReady(): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`the server did not answer within ${READY_TIMEOUT_MS / 1000} s (see ${path.join(dataDir, 'server.log')})`);
}

// ---------------------------------------------------------------------------------------------
// Submissions
// ---------------------------------------------------------------------------------------------

type Submission = { clientId: string; title: string };
const acknowledged = new Map<string, { title: string; reportId: number }>();
const cutOff: Submission[] = [];
let attempts = 0;
/** The partner's owner hint, as lib/reports/kept-post-owner.ts makes it: every partner post carries it (lib/auth/tab-owner.ts). */
let ownerHint = '';

function reportFields(s: Submission): [string, string][] {
  return Object.entries({
    clientId: s.clientId,
    observedFrom: '2018-07-12T19:30',
    observedTo: '2018-07-13T04:30',
    timeZone: 'Asia/Pyongyang',
    timeNote: 'after sunset until dawn',
    placeId: 'kp-hyesan',
    placeDetail: 'upper reaches',
    placePrecision: 'province',
    title: s.title,
    narrative: 'Dozens of trucks crossed after sunset.',
    sourceType: 'direct_observation',
    safetyNote: '',
    'vehicles.0.vehicleType': 'truck',
    'vehicles.0.count': '12',
    'vehicles.0.isEstimate': 'on',
    'vehicles.0.direction': 'into_kp',
    'vehicles.0.colours': '',
    'vehicles.0.cargo': 'electronics',
    intent: 'submit',
    _keptOwner: ownerHint,
  });
}

/** POST the report form's Server Action as React's client does (encodeReply's multipart body). */
async function submit(s: Submission, cookie: string, actionId: string): Promise<number | null> {
  const body = new FormData();
  for (const [name, value] of reportFields(s)) body.append(`_1_${name}`, value);
  const state = { seq: 0, values: { clientId: s.clientId, vehicles: [], goods: [], agencies: [] }, status: 'idle', message: null, fieldErrors: {}, formErrors: [], timeOptions: {}, placeQuery: '', placeMatches: null, focus: null, savedAt: null, reportId: null };
  body.append('0', JSON.stringify([state, '$K1']));
  const origin = `http://127.0.0.1:${port}`;
  const response = await fetch(`${origin}/partner/reports/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'next-action': actionId, accept: 'text/x-component', origin, 'sec-fetch-site': 'same-origin' },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  const target = response.headers.get('x-action-redirect') ?? '';
  const match = /^\/partner\/reports\/(\d+)\?submitted=1/.exec(target);
  return response.status === 200 && match ? Number(match[1]) : null;
}

async function submitter(n: number, cookie: string, actionId: string, stop: { now: boolean }) {
  let i = 0;
  while (!stop.now) {
    const s = { clientId: crypto.randomUUID(), title: `Crash test ${n}-${i++} ${crypto.randomBytes(3).toString('hex')}` };
    attempts += 1;
    try {
      const reportId = await submit(s, cookie, actionId);
      if (reportId) acknowledged.set(s.clientId, { title: s.title, reportId });
      else cutOff.push(s);
    } catch {
      cutOff.push(s); // connection refused or reset: the server is down or was killed mid-request
      await sleep(50);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/**
 * Files that open a database of their own which holds no acknowledged submission: the sign-in
 * throttle's counters (sign-in-throttle.db) may lose their last updates in a power cut.
 */
const SEPARATE_DATABASES = new Set(['lib/auth/throttle.ts']);

async function checkSynchronousFull() {
  process.env.DATA_DIR = path.join(dataDir, 'pragma-check');
  const { openSqlite } = await import('../../db/client');
  const sqlite = openSqlite(path.join(dataDir, 'pragma-check', 'check.db'));
  const synchronous = sqlite.pragma('synchronous', { simple: true });
  const journal = sqlite.pragma('journal_mode', { simple: true });
  sqlite.close();
  if (synchronous !== 2) fail(`the app's connection runs with synchronous=${String(synchronous)}, not FULL (2)`);
  if (journal !== 'wal') fail(`the app's connection runs in journal_mode=${String(journal)}, not WAL`);
  // Nothing in the code lowers it on another connection.
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'migrations') walk(full);
      } else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        const source = fs.readFileSync(full, 'utf8');
        const file = path.relative(root, full).split(path.sep).join('/');
        if (SEPARATE_DATABASES.has(file)) continue;
        for (const m of source.matchAll(/synchronous\s*=\s*(\w+)/gi)) if (!/^(full|2|extra|3)$/i.test(m[1]!)) offenders.push(`${file}: ${m[0]}`);
      }
    }
  };
  for (const dir of ['db', 'scripts', 'lib', 'app']) walk(path.join(root, dir));
  if (offenders.length) fail(`code lowers synchronous below FULL: ${offenders.join('; ')}`);
}

async function checkDatabase() {
  // A bare connection with only the key, so the journal mode read is the one on disk.
  const { applyDatabaseKey } = await import('../../db/client');
  const { getDerivedKey } = await import('../../lib/at-rest/keys');
  const file = path.join(dataDir, 'field-reports.db');
  const db = new Database(file);
  applyDatabaseKey(db, getDerivedKey('database'), file);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') fail(`PRAGMA integrity_check: ${String(integrity)}`);
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    if (foreignKeys.length) fail(`PRAGMA foreign_key_check: ${JSON.stringify(foreignKeys.slice(0, 5))}`);
    const journal = db.pragma('journal_mode', { simple: true });
    if (journal !== 'wal') fail(`the database is in journal_mode=${String(journal)}, not WAL`);

    const byClient = db.prepare('SELECT id, status, title, (SELECT count(*) FROM report_vehicles v WHERE v.report_id = r.id) AS vehicles FROM reports r WHERE client_id = ?');
    let missing = 0;
    for (const [clientId, ack] of acknowledged) {
      const row = byClient.get(clientId) as { id: number; status: string; title: string; vehicles: number } | undefined;
      if (!row) {
        missing += 1;
        if (missing <= 5) fail(`acknowledged report ${ack.reportId} (${clientId}) is missing after the crashes`);
        continue;
      }
      if (row.id !== ack.reportId || row.status !== 'submitted' || row.title !== ack.title || row.vehicles !== 1) {
        fail(`acknowledged report ${ack.reportId} came back as ${JSON.stringify(row)}`);
      }
    }
    if (missing > 5) fail(`…${missing} acknowledged reports missing in all`);
    const duplicates = db.prepare('SELECT client_id, count(*) AS n FROM reports GROUP BY client_id HAVING n > 1').all();
    if (duplicates.length) fail(`client ids with more than one report: ${JSON.stringify(duplicates)}`);
    const total = (db.prepare("SELECT count(*) AS n FROM reports WHERE title LIKE 'Crash test %'").get() as { n: number }).n;
    console.log(`  ${acknowledged.size} acknowledged of ${attempts} attempts; ${total} reports in the database (some cut-off submissions may have committed before their answer was lost).`);
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  if (process.env.BUILD !== '0') {
    console.log(`• building into ${distDir}`);
    const build = spawnSync(nextBin, ['build'], { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(root, distDir, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const actionId = Object.entries(manifest.node).find(([, e]) => e.filename === 'app/(partner)/partner/reports/actions.ts' && e.exportedName === 'reportFormAction')?.[0];
  if (!actionId) throw new Error(`the build in ${distDir} has no report form action`);

  // A fresh database with the reference lists and one partner.
  process.env.DATA_DIR = dataDir;
  const { seedDatabase } = await import('../../scripts/seed');
  const { closeDb, getSqlite } = await import('../../db/client');
  await seedDatabase({ demo: false });
  const partner = getSqlite()
    .prepare("INSERT INTO accounts (code_name, role, password_hash) VALUES ('crash-partner', 'partner', 'unused') RETURNING id, session_version AS sv")
    .get() as { id: number; sv: number };
  closeDb();
  // The session cookie exactly as lib/auth/session.ts makes it (next-auth JWT with its SessionClaims).
  // `satisfies`: a claim the app comes to require fails the typecheck here, not every submission.
  const claims = { sub: String(partner.id), sv: partner.sv, sid: `crash-test-${Date.now()}`, auth_time: Math.floor(Date.now() / 1000) } satisfies SessionClaims;
  const token = await encode({ token: claims, secret, maxAge: 3600 });
  const hintKey = crypto.createHmac('sha256', secret).update('fr.kept-post-owner.v1').digest();
  ownerHint = crypto.createHmac('sha256', hintKey).update(`account:${partner.id}`).digest('base64url');
  const cookie = `fr.session=${token}`;

  port = await freePort();
  console.log(`• server on 127.0.0.1:${port}, DATA_DIR ${dataDir}; ${KILLS} SIGKILLs while ${SUBMITTERS} partners' forms submit`);
  server = startServer();
  await waitReady();

  const stop = { now: false };
  const loops = Array.from({ length: SUBMITTERS }, (_, n) => submitter(n, cookie, actionId, stop));
  let before = 0;
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(1500 + Math.random() * 3500);
    await killServer('SIGKILL');
    console.log(`  kill ${kill}/${KILLS}: ${acknowledged.size} acknowledged so far (+${acknowledged.size - before} since the last restart)`);
    before = acknowledged.size;
    server = startServer();
    await waitReady();
  }
  await sleep(1000);
  stop.now = true;
  await Promise.all(loops);

  // Submissions cut off by a kill are retried with the same client id: one report each.
  const retried = cutOff.slice(0, 20);
  for (const s of retried) {
    try {
      const reportId = await submit(s, cookie, actionId);
      if (reportId) acknowledged.set(s.clientId, { title: s.title, reportId });
      else fail(`retrying cut-off submission ${s.clientId} was not acknowledged`);
    } catch (error) {
      fail(`retrying cut-off submission ${s.clientId}: ${String(error)}`);
    }
  }
  await killServer('SIGKILL');

  if (acknowledged.size < 20) fail(`only ${acknowledged.size} submissions were acknowledged: too few to show anything`);
  await checkDatabase();
  await checkSynchronousFull();
  console.log(`• done in ${Math.round((Date.now() - started) / 1000)} s`);
}

const timer = setTimeout(() => {
  fail(`the crash test took longer than ${OVERALL_TIMEOUT_MS / 60_000} minutes`);
  void killServer('SIGKILL').finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);

main()
  .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)))
  .finally(async () => {
    clearTimeout(timer);
    await killServer('SIGKILL');
    log.end();
    if (failures.length) {
      console.error(`crash test FAILED (${failures.length}); server log: ${path.join(dataDir, 'server.log')}`);
      process.exit(1);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
    console.log('crash test passed');
    process.exit(0);
  });
