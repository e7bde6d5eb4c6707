/**
 * What-if: would a proposed index (or other DDL) fix a slow route? Re-runs the SELECT statements a
 * benchmark run traced (bench/results/latest.json, "diagnosis"), with their recorded parameters,
 * on a database the run kept (--keep), before and after applying the DDL inside a transaction that
 * is rolled back — the database is left as it was.
 *
 *   npm run bench -- --keep                                   # prints the temp directory
 *   npx tsx bench/what-if.ts --db=/tmp/field-reports-bench-XXXX/large/field-reports.db \
 *       --key-file=/tmp/field-reports-bench-XXXX/keys/data.key \
 *       --sql=bench/proposals.sql [--labels=queue-first,queue-deep] [--results=bench/results/latest.json]
 *
 * The run's databases are encrypted: --key-file (or FIELD_REPORTS_KEY_FILE) names the run's key
 * file, kept with --keep beside the DATA_DIRs; a plain-text database (the encryption comparison's
 * twin) opens without one. Refuses a database that is not a benchmark database (no
 * bench-partner-001 account).
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { isPlaintextDatabase } from '@/db/client';
import { benchKeyFromFile, openBenchDatabase } from './at-rest';
import type { BenchResults } from './results';
import { median } from './stats';
import { planWarnings } from './trace';

function arg(name: string): string | undefined {
  const found = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return found?.slice(name.length + 3);
}

function time(db: Database.Database, sql: string, params: unknown[], runs: number): number {
  const statement = db.prepare(sql);
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    if (statement.reader) statement.all(...params);
    else statement.run(...params);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function main(): void {
  const dbFile = arg('db');
  const sqlFile = arg('sql');
  const resultsFile = arg('results') ?? path.join(__dirname, 'results', 'latest.json');
  const labels = arg('labels')?.split(',');
  if (!dbFile || !sqlFile) throw new Error('usage: tsx bench/what-if.ts --db=…/field-reports.db --key-file=…/data.key --sql=proposals.sql [--labels=a,b] [--results=…json]');
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as BenchResults;
  const ddl = fs.readFileSync(sqlFile, 'utf8');
  if (!fs.existsSync(dbFile)) throw new Error(`${dbFile} does not exist`);
  const keyFile = arg('key-file') ?? process.env.FIELD_REPORTS_KEY_FILE;
  let databaseKey: Buffer | null = null;
  if (!isPlaintextDatabase(dbFile)) {
    if (!keyFile) throw new Error(`${dbFile} is encrypted: pass the run's key file with --key-file=…/keys/data.key`);
    databaseKey = benchKeyFromFile(keyFile, path.dirname(dbFile)).databaseKey;
  }
  const db = openBenchDatabase(dbFile, databaseKey, { fileMustExist: true });
  try {
    const marker = db.prepare("SELECT 1 FROM accounts WHERE code_name = 'bench-partner-001'").get();
    if (!marker) throw new Error(`${dbFile} is not a benchmark database; refusing to touch it`);
    const statements = new Map<string, { label: string; params: unknown[] }>();
    for (const d of results.diagnosis) {
      if (d.database !== 'large' || (labels && !labels.includes(d.label))) continue;
      for (const s of d.statements) if (/^\s*(select|with)/i.test(s.sql) && !statements.has(s.sql)) statements.set(s.sql, { label: d.label, params: s.params });
    }
    const runs = 15;
    const before = new Map([...statements].map(([sql, s]) => [sql, time(db, sql, s.params, runs)]));
    db.exec('BEGIN');
    try {
      const started = performance.now();
      db.exec(ddl);
      process.stdout.write(`applied ${sqlFile} in ${((performance.now() - started) / 1000).toFixed(1)} s (rolled back afterwards)\n\n`);
      for (const [sql, s] of statements) {
        const after = time(db, sql, s.params, runs);
        const was = before.get(sql) ?? Number.NaN;
        if (was < 0.2 && after < 0.2) continue;
        process.stdout.write(`[${s.label}] ${was.toFixed(2)} ms → ${after.toFixed(2)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
        // The plan must come from this connection: another one would not see the uncommitted index.
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...s.params) as { detail: string }[]).map((r) => r.detail);
        const warnings = planWarnings(plan);
        process.stdout.write(`    plan: ${plan.join(' | ')}\n${warnings.length ? `    still: ${warnings.join(' | ')}\n` : ''}`);
      }
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
