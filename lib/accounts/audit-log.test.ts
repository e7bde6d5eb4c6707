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
