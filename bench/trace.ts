/**
 * Diagnosis: which SQL a route runs, how long each statement takes at N and at 1,000 reports, and
 * SQLite's EXPLAIN QUERY PLAN for it. The servers were started with bench/sql-trace.cjs preloaded;
 * SIGUSR2 turns its recording on and off around one request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openBenchDatabase } from './at-rest';
import { DATABASE_FILE, type BenchDatabase } from './generate';
import type { RouteDiagnosis, TracedStatement } from './results';
import type { BenchServer } from './server';

type TraceRecord = { sql: string; method: string; ms: number; rows: number; params: unknown[] };

async function waitForFile(file: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** Record the SQL `server` runs while `action` runs (one request, no other load). */
export async function traceSql(server: BenchServer, action: () => Promise<void>): Promise<TraceRecord[] | null> {
  const file = server.tracePath;
  if (!file) return null;
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.on`, { force: true });
  process.kill(server.pid, 'SIGUSR2');
  if (!(await waitForFile(`${file}.on`, 5000))) return null;
  try {
    await action();
  } finally {
    process.kill(server.pid, 'SIGUSR2');
  }
  if (!(await waitForFile(file, 5000))) return null;
  const records = JSON.parse(fs.readFileSync(file, 'utf8')) as TraceRecord[];
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.on`, { force: true });
  return records;
}

/** Plan lines that read a whole table or index, or sort in a temporary b-tree. */
export function planWarnings(plan: readonly string[]): string[] {
  return plan.filter((line) => /\bSCAN\b/.test(line) || /USE TEMP B-TREE/.test(line)).map((line) => line.trim());
}

/** EXPLAIN QUERY PLAN of `sql` with `params` on the benchmark database, as indented lines. */
export function explain(database: BenchDatabase, sql: string, params: unknown[]): string[] {
  const db = openBenchDatabase(path.join(database.dataDir, DATABASE_FILE), database.databaseKey, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as unknown[])) as { id: number; parent: number; detail: string }[];
    const depth = new Map<number, number>([[0, -1]]);
    return rows.map((row) => {
      const d = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, d);
      return `${'  '.repeat(d)}${row.detail}`;
    });
  } catch (error) {
    return [`(EXPLAIN failed: ${error instanceof Error ? error.message : String(error)})`];
  } finally {
    db.close();
  }
}

/** Aggregate trace records by statement text, slowest first, with plans from `database`. */
export function summarize(records: readonly TraceRecord[], database: BenchDatabase): TracedStatement[] {
  const bySql = new Map<string, { calls: number; totalMs: number; rows: number; params: unknown[] }>();
  for (const r of records) {
    const entry = bySql.get(r.sql) ?? { calls: 0, totalMs: 0, rows: 0, params: r.params };
    entry.calls += 1;
    entry.totalMs += r.ms;
    entry.rows += r.rows;
    bySql.set(r.sql, entry);
  }
  return [...bySql.entries()]
    .sort((a, b) => b[1].totalMs - a[1].totalMs)
    .map(([sql, e]) => {
      // INSERT plans only list foreign-key and trigger lookups: noise here.
      const plan = /^\s*(select|with|update|delete)/i.test(sql) ? explain(database, sql, e.params) : [];
      return { sql, params: e.params, calls: e.calls, totalMs: Math.round(e.totalMs * 1000) / 1000, rows: e.rows, plan, warnings: planWarnings(plan) };
    });
}

/** A request's answer (status, wall time, body) and, when the server traces SQL, its statements. */
export type TracedRequest = {
  status: number;
  ms: number;
  bytes: number;
  text: string;
  headers: Headers;
  diagnosis: RouteDiagnosis | null;
};

/**
 * One request to `urlPath` on `server`, traced when the server was started with the SQL trace
 * (otherwise just timed). `diagnosis` is null without a trace.
 */
export async function tracedRequest({
  label,
  server,
  database,
  urlPath,
  init,
}: {
  label: string;
  server: BenchServer;
  database: 'large' | 'small';
  urlPath: string;
  init: RequestInit;
}): Promise<TracedRequest> {
  let answer: Omit<TracedRequest, 'diagnosis'> | null = null;
  const send = async () => {
    const started = performance.now();
    const response = await fetch(server.origin + urlPath, { ...init, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
    const text = await response.text();
    answer = { status: response.status, ms: performance.now() - started, bytes: Buffer.byteLength(text), text, headers: response.headers };
  };
  const records = server.tracePath ? await traceSql(server, send) : null;
  if (!records && (answer as unknown) === null) await send();
  const done = answer as Omit<TracedRequest, 'diagnosis'> | null;
  if (!done) throw new Error(`no answer from ${urlPath}`);
  if (!records) return { ...done, diagnosis: null };
  const statements = summarize(records, server.database);
  return {
    ...done,
    diagnosis: {
      label,
      method: init.method === 'POST' ? 'POST' : 'GET',
      path: urlPath,
      database,
      requestMs: Math.round(done.ms * 10) / 10,
      sqlMs: Math.round(statements.reduce((sum, st) => sum + st.totalMs, 0) * 10) / 10,
      statements,
    },
  };
}
