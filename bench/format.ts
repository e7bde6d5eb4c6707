/** Plain-text report of a benchmark run (pure). */
import { BARE_HANDLER_PATH } from './server';
import type { BenchResults, BudgetRow, RouteDiagnosis } from './results';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A fixed-width table: one row per budget with value, limit and PASS / FAIL / N/A. */
export function budgetTable(rows: readonly BudgetRow[]): string {
  const header = ['#', 'measurement', 'value', 'budget', 'result'];
  const body = rows.map((r) => [r.id, r.label, r.display, r.limit, r.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const [index, cells] of body.entries()) {
    out.push(line(cells));
    const note = rows[index]?.note;
    if (note) out.push(`${' '.repeat((widths[0] ?? 1) + 2)}↳ ${note}`);
  }
  return out.join('\n');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The figures behind the budgets, one line each. */
export function detailLines(results: BenchResults): string[] {
  const lines: string[] = [];
  const { large, small } = results.databases;
  lines.push(
    `databases: large ${large.reports.toLocaleString('en')} reports (${large.publications.toLocaleString('en')} published, ${(large.fileBytes / 1048576).toFixed(0)} MB, made in ${large.generateSeconds.toFixed(1)} s); ` +
      `small ${small.reports.toLocaleString('en')} reports (${small.publications.toLocaleString('en')} published); ` +
      (results.databases.plain
        ? `plain-text twin of the large one ${(results.databases.plain.fileBytes / 1048576).toFixed(0)} MB, made in ${results.databases.plain.generateSeconds.toFixed(1)} s`
        : 'no plain-text twin'),
  );
  const s = results.submission;
  if (s.available) {
    lines.push(
      `submission ${s.method} POST ${s.path}: ${s.submit.requestsPerSecond.toFixed(1)} req/s, p50 ${ms(s.submit.p50)}, p90 ${ms(s.submit.p90)}, p99 ${ms(s.submit.p99)}, ` +
        `${s.submit.responses} responses ${JSON.stringify(s.submit.statusCodes)}, ${(s.acceptedShare * 100).toFixed(1)} % created a report; probe ${s.probe.status} in ${ms(s.probe.ms)}`,
    );
    lines.push(`bare handler POST ${BARE_HANDLER_PATH}: ${s.health.requestsPerSecond.toFixed(1)} req/s, p50 ${ms(s.health.p50)}, p99 ${ms(s.health.p99)}`);
    lines.push(
      `  ↳ closed loop at ${s.submit.connections} connections: the bare handler alone averages ${ms(s.closedLoopFloorMs)} (connections ÷ its req/s), the floor under any post's latency on this machine`,
    );
    const o = s.offered;
    lines.push(
      `offered ${o.ratePerSecond} req/s from ${o.submit.connections} connections (open loop, budget 1b): submission p50 ${ms(o.submit.p50)}, p99 ${ms(o.submit.p99)} ` +
        `(${o.submit.responses} responses ${JSON.stringify(o.submit.statusCodes)}, ${(o.acceptedShare * 100).toFixed(1)} % created a report); bare handler p50 ${ms(o.health.p50)}, p99 ${ms(o.health.p99)}; ` +
        `the generator's longest pause ${ms(o.submit.clientLoopDelayMaxMs ?? Number.NaN)} (submissions), ${ms(o.health.clientLoopDelayMaxMs ?? Number.NaN)} (bare)`,
    );
  }
  const pair = (name: string, p: { large: { p50: number; p90: number; samples: number; firstMs: number; bytes: number }; small: { p50: number; p90: number; samples: number; firstMs: number; bytes: number } }) =>
    `${name}: N p50 ${ms(p.large.p50)} p90 ${ms(p.large.p90)} (${p.large.samples} samples, first ${ms(p.large.firstMs)}, ${kb(p.large.bytes)}) | ` +
    `1,000 p50 ${ms(p.small.p50)} p90 ${ms(p.small.p90)} (${p.small.samples} samples, first ${ms(p.small.firstMs)}, ${kb(p.small.bytes)})`;
  const withCold = (name: string, p: Parameters<typeof pair>[1]) => {
    lines.push(pair(name, p));
    const coldRatio = p.large.firstMs / p.small.firstMs;
    if (p.large.firstMs > 3 * p.large.p50 && coldRatio > 1.5) {
      lines.push(`  ↳ first request ${coldRatio.toFixed(1)}× slower at N than at 1,000: a cache or memo hides work that grows with N (see the "-cold" trace)`);
    }
  };
  const q = results.queue;
  if (q.available) {
    withCold(`queue ${q.firstPage.path}`, q.firstPage);
    if ('ratio' in q.deepPage) withCold(`queue deep ${q.deepPage.path}`, q.deepPage);
    if ('ratio' in q.search) withCold(`queue search ${q.search.path}`, q.search);
  }
  if (results.public.stats.available) withCold('/stats', results.public.stats);
  if (results.public.exportJson.available) withCold('/exports/reports.json', results.public.exportJson);
  const b = results.bundle;
  if (b.available) {
    lines.push(
      `first-load JS (gzip -9): ${b.formPage.path} ${kb(b.formPage.gzipTotal)} in ${b.formPage.scripts.length} files (+ inline ${kb(b.formPage.inlineGzipBytes)}, HTML ${kb(b.formPage.htmlGzipBytes)}); ` +
        b.candidates.map((c) => `${c.path} ${kb(c.gzipTotal)}`).join(', '),
    );
    const only = b.formPage.scripts.filter((f) => !b.smallestPage.scripts.some((g) => g.src === f.src));
    if (only.length) {
      lines.push(`  scripts only on the form page (${kb(only.reduce((n, f) => n + f.gzipBytes, 0))}):`);
      for (const f of only) lines.push(`    ${f.src} ${kb(f.gzipBytes)}${f.hints.length ? ` — likely ${f.hints.join(', ')}` : ''}`);
    }
    lines.push(
      b.serviceWorker
        ? `service worker ${b.serviceWorker.path}: ${kb(b.serviceWorker.bytes)} raw, ${kb(b.serviceWorker.gzipBytes)} gzip -9 (fetched after the page, not first-load JS)`
        : `service worker: n/a (${b.serviceWorkerNote})`,
    );
    lines.push(`other origins: HTML ${b.otherOriginInHtml.length}, browser ${b.otherOriginInBrowser?.length ?? 'n/a'} (${b.browserNote})`);
  }
  const w = results.wal;
  if (w.available) lines.push(`WAL: ${w.submissions} submissions (${w.accepted} created) in ${w.seconds.toFixed(0)} s; ${w.note}`);
  const e = results.encryption;
  if (e.available) {
    lines.push(
      `encrypted vs plain (${e.rounds} alternated rounds, ${e.loadSeconds} s of submissions and ${e.latencySeconds} s per page per server and round; ` +
        `load average ${e.loadAverage1m.start.toFixed(1)} → ${e.loadAverage1m.end.toFixed(1)}):`,
    );
    for (const [name, c] of [['submissions', e.submission], ['queue first page', e.queue], ['/stats', e.stats]] as const) {
      if ('available' in c) continue;
      const digits = c.unit === 'ms' ? 1 : 0;
      const perRound = c.encrypted.map((value, i) => `${value.toFixed(digits)}/${(c.plain[i] ?? Number.NaN).toFixed(digits)}`).join(', ');
      const accepted = 'acceptedShare' in c ? `; created a report: ${(c.acceptedShare.encrypted * 100).toFixed(1)} % / ${(c.acceptedShare.plain * 100).toFixed(1)} %` : '';
      lines.push(`  ${name} ${c.path}: encrypted/plain ${c.unit} per round ${perRound}; cost per round ${c.roundCostPercent.map((v) => (Number.isFinite(v) ? `${v.toFixed(1)} %` : 'n/a')).join(', ')}${accepted}`);
    }
  }
  const c = results.cache;
  if (c.available) {
    lines.push(`cache: ${c.nginx.version}${c.nginx.installed ? ' (installed by this run)' : ''} on port ${c.nginx.port}, deploy/nginx/field-reports.conf; ${c.connections} connections from ${c.loadTool}`);
    for (const page of c.pages) {
      lines.push(
        `  ${page.path}: direct ${page.direct.requestsPerSecond.toFixed(1)} req/s (p50 ${ms(page.direct.p50)}, ${JSON.stringify(page.direct.statusCodes)}); ` +
          `through nginx ${page.cached.requestsPerSecond.toFixed(0)} req/s (p50 ${ms(page.cached.p50)}, ${JSON.stringify(page.cached.statusCodes)}); ${page.cacheStatus}`,
      );
    }
    if (c.retraction.available) lines.push(`  retraction of ${c.retraction.path}: notice served by nginx ${c.retraction.seconds.toFixed(1)} s after the commit (${c.retraction.polls} polls; cache ${c.retraction.cacheStatusBefore} before)`);
    lines.push(`  public pages' scripts: ${c.publicJs.map((p) => `${p.path} ${p.status} ${p.scriptElements} elements ${kb(p.gzipBytes)}`).join('; ')}`);
    lines.push(`  border maps (largest per page, gzip): ${c.publicMaps.map((m) => `${m.path} ${m.status} ${m.maps} map${m.maps === 1 ? '' : 's'} ${kb(m.gzipBytes)} (${kb(m.bytes)} raw)`).join('; ')}`);
    const loaded = c.publicRequests.pages;
    lines.push(
      loaded
        ? `  Chromium, public pages anonymous: ${loaded.map((p) => `${p.path} ${p.status ?? '—'}: ${p.otherOrigin.length} other-origin, ${p.sameOrigin.length} same-origin${p.sameOrigin.length ? ` (${p.sameOrigin.slice(0, 3).join(' ')})` : ''}`).join('; ')}`
        : `  Chromium, public pages: ${c.publicRequests.note}`,
    );
  }
  return lines;
}

/**
 * Per traced route: SQL time at N and at 1,000 (warm, and cold first request), then the route's
 * slowest statements at N with the same statement's time at 1,000 and SQLite's plan warnings.
 */
export function diagnosisLines(diagnosis: readonly RouteDiagnosis[], limit = 4): string[] {
  const lines: string[] = [];
  const labels = [...new Set(diagnosis.map((d) => d.label.replace(/-cold$/, '')))];
  for (const label of labels) {
    const find = (database: 'large' | 'small', cold: boolean) => diagnosis.find((d) => d.database === database && d.label === (cold ? `${label}-cold` : label));
    const warmLarge = find('large', false);
    const warmSmall = find('small', false);
    const coldLarge = find('large', true);
    const coldSmall = find('small', true);
    const main = warmLarge ?? coldLarge;
    if (!main) continue;
    const fig = (d: RouteDiagnosis | undefined) => (d ? `${ms(d.sqlMs)} SQL of ${ms(d.requestMs)}` : 'n/a');
    lines.push(`${main.method} ${main.path} (${label}): N ${fig(warmLarge)}, 1,000 ${fig(warmSmall)}${coldLarge ? `; first request N ${fig(coldLarge)}, 1,000 ${fig(coldSmall)}` : ''}`);
    const worst = [...(coldLarge?.statements ?? []), ...(warmLarge?.statements ?? [])]
      .sort((a, b) => b.totalMs - a.totalMs)
      .filter((st, i, all) => all.findIndex((o) => o.sql === st.sql) === i)
      .slice(0, limit);
    for (const st of worst) {
      const other = [...(coldSmall?.statements ?? []), ...(warmSmall?.statements ?? [])].find((o) => o.sql === st.sql);
      lines.push(`  ${ms(st.totalMs)} at N${other ? ` (${ms(other.totalMs)} at 1,000)` : ''} ×${st.calls}, ${st.rows} rows: ${st.sql.replace(/\s+/g, ' ').slice(0, 200)}`);
      for (const w of st.warnings) lines.push(`      plan: ${w}`);
    }
  }
  return lines;
}
