import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount } from '@/lib/testing/accounts';

let log: typeof import('./audit-log');
let sqlite: import('better-sqlite3').Database;
let admin: { id: number; role: 'admin' };
let other: { id: number; codeName: string };

beforeAll(async () => {
  log = await import('./audit-log');
  sqlite = (await import('@/db/client')).getSqlite();
  admin = { id: (await insertTestAccount({ role: 'admin' })).id, role: 'admin' };
  other = await insertTestAccount({ role: 'editor', codeName: 'night-heron' });
  const insert = sqlite.prepare('INSERT INTO audit_events (actor_id, kind, target_account_id, detail, created_at) VALUES (?, ?, ?, ?, ?)');
  const day = (d: number, h = 12) => Date.UTC(2026, 0, d, h);
  insert.run(null, 'sign_in_failed', other.id, JSON.stringify({ reason: 'wrong_password' }), day(1));
  insert.run(other.id, 'sign_in', other.id, null, day(2, 0));
  insert.run(other.id, 'report_published', null, JSON.stringify({ reportId: 3 }), day(2, 23));
  insert.run(admin.id, 'account_role_changed', other.id, JSON.stringify({ from: 'partner', to: 'editor' }), day(3));
  // Recent: sign-in rows older than a day may be deleted by the retention sweep (0006 migration), these may not.
  for (let i = 0; i < 7; i += 1) insert.run(admin.id, 'sign_in', admin.id, null, Date.now() - 60_000 + i);
});

describe('the audit table', () => {
  it('refuses UPDATE and DELETE in the database itself', () => {
    const before = sqlite.prepare('SELECT count(*) AS n, max(id) AS maxId FROM audit_events').get() as { n: number; maxId: number };
    expect(() => sqlite.prepare("UPDATE audit_events SET kind = 'nothing' WHERE id = ?").run(before.maxId)).toThrow(/append-only/);
    expect(() => sqlite.prepare('UPDATE audit_events SET detail = NULL').run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_events WHERE id = ?').run(before.maxId)).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(sqlite.prepare('SELECT count(*) AS n, max(id) AS maxId FROM audit_events').get()).toEqual(before);
  });
});

describe('reading the audit log', () => {
  it('lists newest first, in pages', () => {
    const first = log.listAuditEvents({ actor: admin, filters: {}, pageSize: 4 });
    if (!first.ok) throw new Error('refused');
    expect(first.events.map((e) => e.id)).toEqual([...first.events.map((e) => e.id)].sort((a, b) => b - a));
    expect(first.events).toHaveLength(4);
    expect(first.olderThan).toBe(first.events.at(-1)!.id);
    const second = log.listAuditEvents({ actor: admin, filters: { before: String(first.olderThan) }, pageSize: 4 });
    if (!second.ok) throw new Error('refused');
    expect(second.events[0]!.id).toBeLessThan(first.olderThan!);
    const all = log.listAuditEvents({ actor: admin, filters: {}, pageSize: 1000 });
    expect(all.ok && all.olderThan).toBeNull();
  });

  it('filters by actor (or anonymous), kind and inclusive UTC dates', () => {
    const byActor = log.listAuditEvents({ actor: admin, filters: { actor: String(other.id) } });
    expect(byActor.ok && byActor.events.map((e) => e.kind)).toEqual(['report_published', 'sign_in']);
    const anonymous = log.listAuditEvents({ actor: admin, filters: { actor: 'anonymous' } });
    expect(anonymous.ok && anonymous.events.map((e) => [e.kind, e.targetCodeName])).toEqual([['sign_in_failed', 'night-heron']]);
    const kind = log.listAuditEvents({ actor: admin, filters: { kind: 'account_role_changed' } });
    expect(kind.ok && kind.events.map((e) => e.detail)).toEqual([{ from: 'partner', to: 'editor' }]);
    const oneDay = log.listAuditEvents({ actor: admin, filters: { from: '2026-01-02', to: '2026-01-02' } });
    expect(oneDay.ok && oneDay.events.map((e) => e.kind)).toEqual(['report_published', 'sign_in']);
    const range = log.listAuditEvents({ actor: admin, filters: { from: '2026-01-01', to: '2026-01-03', kind: 'sign_in' } });
    expect(range.ok && range.events.map((e) => e.actorCodeName)).toEqual(['night-heron']);
  });

  it('ignores nonsense filters instead of failing, and refuses non-admins', () => {
    const result = log.listAuditEvents({ actor: admin, filters: { actor: "1' OR 1=1", kind: 'drop_table', from: '2026-13-45', to: 'yesterday', before: '-1' } });
    expect(result.ok && result.filters).toEqual({ actor: undefined, kind: undefined, from: undefined, to: undefined, before: undefined });
    expect(log.listAuditEvents({ actor: { id: other.id, role: 'editor' }, filters: {} })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
  });
});

describe("the audit log's CSV download", () => {
  it('holds every event the filters match (not one page), formula-safe, with dates beside instants, and records itself', async () => {
    const { auditLogCsv } = await import('./audit-log-csv');
    const { readCsvObjects } = await import('@/lib/testing/csv');
    sqlite.prepare('INSERT INTO audit_events (actor_id, kind, target_account_id, detail, created_at) VALUES (?, ?, ?, ?, ?)').run(admin.id, 'reference_list_changed', null, JSON.stringify({ name: '=cmd' }), Date.UTC(2026, 0, 4, 23, 59));
    const result = log.exportAuditEvents({ actor: admin, filters: { from: '2026-01-01', to: '2026-01-04', before: '1' } });
    if (!result.ok) throw new Error(result.messageKey);
    const csv = auditLogCsv(result.events);
    expect(csv.startsWith('\uFEFFevent_id,created_at,created_date_utc,kind,')).toBe(true);
    const rows = readCsvObjects(csv.slice(1));
    expect(rows.map((r) => r.kind)).toEqual(['reference_list_changed', 'account_role_changed', 'report_published', 'sign_in', 'sign_in_failed']);
    expect(rows[0]).toMatchObject({ created_at: '2026-01-04T23:59:00.000Z', created_date_utc: '2026-01-04', detail: '{"name":"=cmd"}' });
    expect(rows.find((r) => r.kind === 'account_role_changed')).toMatchObject({ actor_id: String(admin.id), target_code_name: 'night-heron' });
    const recorded = sqlite.prepare("SELECT actor_id AS actorId, detail FROM audit_events WHERE kind = 'audit_log_exported' ORDER BY id DESC LIMIT 1").get() as { actorId: number; detail: string };
    expect(recorded.actorId).toBe(admin.id);
    expect(JSON.parse(recorded.detail)).toEqual({ format: 'csv', filter: { from: '2026-01-01', to: '2026-01-04' }, count: 5 });
  });

  it('prefixes a cell that a spreadsheet would run as a formula', async () => {
    const { auditLogCsv } = await import('./audit-log-csv');
    const csv = auditLogCsv([{ id: 1, createdAt: new Date(0), kind: '@SUM(A1)', actorId: null, actorCodeName: '-2+3', targetAccountId: null, targetCodeName: '+x', detail: null, count: 1, lastAt: null }]);
    expect(csv).toContain(",'@SUM(A1),,'-2+3,,'+x,1,,,");
  });

  it('is refused to editors, and records nothing', async () => {
    const editor = { id: other.id, role: 'editor' as const };
    const before = (sqlite.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
    expect(log.exportAuditEvents({ actor: editor, filters: {} }).ok).toBe(false);
    expect((sqlite.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n).toBe(before);
  });
});
