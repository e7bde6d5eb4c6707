/**
 * Build the production app and run it on loopback for the benchmark, with the app's own server as
 * `npm start` does (server.ts). Every server this module starts is stopped by `stop()` (SIGTERM to
 * the node process it spawned, which drains and exits; SIGKILL after 10 s), and `stopAllServers()`
 * is called on exit and on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { BenchKey } from './at-rest';
import type { BenchDatabase } from './generate';

const ROOT = path.resolve(__dirname, '..');
const NEXT_BIN = path.join(ROOT, 'node_modules', '.bin', 'next');
/** `npm start`'s command (package.json), run without npm so signals reach the server. */
const SERVER_ARGS = ['--import', 'tsx', path.join(ROOT, 'server.ts')];

export type BenchServer = {
  label: string;
  origin: string;
  port: number;
  dataDir: string;
  /** The database it serves and the key that opens it (null: the plain-text twin). */
  database: BenchDatabase;
  pid: number;
  /** File the SQL trace preload writes (null when tracing is off). */
  tracePath: string | null;
  logTail: () => string;
  stop: () => Promise<void>;
};

const running = new Set<BenchServer>();

/**
 * The bare route handler of budget 1a: POST, reads and drops the body, answers 200 `ok`. Only the
 * benchmark's build has it (see buildApp); a build without it answers 404 here.
 */
export const BARE_HANDLER_PATH = '/api/bare-handler';

/**
 * The environment of a child process: the caller's, with `extra` on top. The at-rest variables
 * are never inherited: a bench server must not open the operator's real key file, nor run plain
 * text unless this module asks for it (`atRestEnv`).
 */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
  delete env.NODE_OPTIONS;
  delete env.NEXTAUTH_URL; // plain HTTP on loopback: the cookie is `fr.session`
  delete env.FIELD_REPORTS_KEY_FILE;
  delete env.FIELD_REPORTS_PLAINTEXT;
  return { ...env, ...extra };
}

/** FIELD_REPORTS_KEY_FILE for an encrypted server; the benchmark-only plain-text switch otherwise. */
function atRestEnv(key: BenchKey | null): Record<string, string> {
  return key ? { FIELD_REPORTS_KEY_FILE: key.file } : { FIELD_REPORTS_PLAINTEXT: 'benchmark-only' };
}

/**
 * `next build` into `distDir` (NEXT_DIST_DIR). `dataDir` is a throwaway directory: a build never
 * reads the benchmark's databases; it gets the run's key file anyway, so a page that touched the
 * database while prerendering would find it as a server does. FIELD_REPORTS_BENCH_BUILD=1 adds
 * the one route only this build has, the bare handler of budget 1a (`BARE_HANDLER_PATH`,
 * app/api/bare-handler/route.bench.ts; next.config.js). Throws with the build's last output lines
 * if it fails.
 */
export function buildApp({ distDir, dataDir, secret, key }: { distDir: string; dataDir: string; secret: string; key: BenchKey }): number {
  const started = performance.now();
  fs.mkdirSync(dataDir, { recursive: true });
  const result = spawnSync(NEXT_BIN, ['build'], {
    cwd: ROOT,
    env: baseEnv({ NEXT_DIST_DIR: distDir, DATA_DIR: dataDir, NEXTAUTH_SECRET: secret, FIELD_REPORTS_DEMO: '1', FIELD_REPORTS_BENCH_BUILD: '1', ...atRestEnv(key) }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) {
    const out = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`next build failed (exit ${result.status ?? result.signal}):\n${out}`);
  }
  return (performance.now() - started) / 1000;
}

/** True when a build exists in `distDir` (BUILD_ID written by `next build`). */
export function hasBuild(distDir: string): boolean {
  return fs.existsSync(path.join(ROOT, distDir, 'BUILD_ID'));
}

/** Whether something already listens on 127.0.0.1:port. */
export function isPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Start the app's server (server.ts) on 127.0.0.1:port on the database in `dataDir` and wait (≤ 90 s) until
 * GET /api/health answers 200. Refuses a port that is already in use (it would measure someone
 * else's server). With `key`, the server reads the run's key file (FIELD_REPORTS_KEY_FILE) and
 * opens an encrypted database; with `key: null` it runs in the benchmark-only plain-text mode
 * (FIELD_REPORTS_PLAINTEXT) on a plain database. With `tracePath`, the SQL trace preload
 * (bench/sql-trace.cjs) is loaded.
 */
export async function startServer({
  label,
  distDir,
  dataDir,
  key,
  port,
  secret,
  tracePath,
}: {
  label: string;
  distDir: string;
  dataDir: string;
  key: BenchKey | null;
  port: number;
  secret: string;
  tracePath: string | null;
}): Promise<BenchServer> {
  if (await isPortInUse(port)) throw new Error(`Port ${port} is in use; choose another with --port=`);
  const extra: Record<string, string> = {
    NEXT_DIST_DIR: distDir,
    DATA_DIR: dataDir,
    NEXTAUTH_SECRET: secret,
    FIELD_REPORTS_DEMO: '1',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...atRestEnv(key),
  };
  const env = baseEnv(extra);
  delete env.TRUSTED_PROXIES; // autocannon connects directly: the socket's address
  const nodeOptions: string[] = [];
  if (tracePath) {
    nodeOptions.push(`--require ${path.join(__dirname, 'sql-trace.cjs')}`);
    env.BENCH_SQL_TRACE = tracePath;
  }
  if (nodeOptions.length) env.NODE_OPTIONS = nodeOptions.join(' ');
  // BENCH_CPU_PROF_DIR=dir: V8 CPU profiles of each server (written when it stops), for finding
  // where a request's time goes (open the .cpuprofile in Chromium's DevTools). Node refuses
  // --cpu-prof in NODE_OPTIONS, so it goes on the command line: `node --cpu-prof … --import tsx server.ts`.
  const profileDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR, label) : null;
  const args = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...SERVER_ARGS] : SERVER_ARGS;
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null = null;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'unknown';
      resolve();
    }),
  );

  const origin = `http://127.0.0.1:${port}`;
  const server: BenchServer = {
    label,
    origin,
    port,
    dataDir,
    database: { dataDir, databaseKey: key?.databaseKey ?? null },
    pid: child.pid ?? -1,
    tracePath,
    logTail: () => lines.slice(-30).join('\n'),
    stop: async () => {
      running.delete(server);
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (exited === null) child.kill('SIGKILL');
      }, 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
  running.add(server);

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) throw new Error(`the server (${label}) exited with ${exited}:\n${server.logTail()}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the server (${label}) did not answer /api/health within 90 s:\n${server.logTail()}`);
    }
    try {
      const response = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stop every server this process started (on exit, error or Ctrl-C). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
