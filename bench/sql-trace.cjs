/**
 * Preloaded into the benchmark's own `next start` (NODE_OPTIONS=--require) when BENCH_SQL_TRACE
 * names a file. It wraps better-sqlite3's Statement run/get/all/iterate so the benchmark can see
 * which SQL a route runs and how long each statement takes. Off until the benchmark sends
 * SIGUSR2; the next SIGUSR2 turns it off and writes the records to BENCH_SQL_TRACE as JSON.
 * Never loaded by the app itself; it changes no result, only times the calls.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file preloaded with node --require */
const fs = require('node:fs');

const file = process.env.BENCH_SQL_TRACE;
if (file) {
  let on = false;
  let records = [];
  const Database = require('better-sqlite3');
  const originalPrepare = Database.prototype.prepare;
  let patched = false;

  const safe = (value) => {
    if (typeof value === 'bigint') return value.toString();
    if (Buffer.isBuffer(value)) return null;
    if (typeof value === 'string' && value.length > 200) return value.slice(0, 200);
    return value;
  };
  const safeParams = (params) =>
    params.map((p) => (p && typeof p === 'object' && !Buffer.isBuffer(p) && !Array.isArray(p) ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, safe(v)])) : safe(p)));

  const patchStatement = (proto) => {
    for (const method of ['run', 'get', 'all', 'iterate']) {
      const original = proto[method];
      if (typeof original !== 'function') continue;
      proto[method] = function traced(...params) {
        if (!on) return original.apply(this, params);
        const started = process.hrtime.bigint();
        const result = original.apply(this, params);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const rows = Array.isArray(result) ? result.length : result === undefined ? 0 : 1;
        records.push({ sql: this.source, method, ms, rows, params: records.length < 5000 ? safeParams(params) : [] });
        return result;
      };
    }
  };

  Database.prototype.prepare = function prepare(...args) {
    const statement = originalPrepare.apply(this, args);
    if (!patched) {
      patchStatement(Object.getPrototypeOf(statement));
      patched = true;
    }
    return statement;
  };

  process.on('SIGUSR2', () => {
    on = !on;
    if (on) {
      records = [];
      fs.writeFileSync(`${file}.on`, String(process.pid));
    } else {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(records));
      fs.renameSync(`${file}.tmp`, file);
      records = [];
    }
  });
}
