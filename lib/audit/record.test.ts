import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount } from '@/lib/testing/accounts';

let sqlite: import('better-sqlite3').Database;
let record: typeof import('./record');
let client: typeof import('@/db/client');

beforeAll(async () => {
  client = await import('@/db/client');
  record = await import('./record');
  sqlite = client.getSqlite();
});

type Row = { id: number; kind: string; count: number; createdAt: number; lastAt: number | null; collapseKey: string | null; detail: string | null; targetAccountId: number | null };
const rowsOf = (accountId: number | null) =>
  sqlite
    .prepare('SELECT id, kind, count, created_at AS createdAt, last_at AS lastAt, collapse_key AS collapseKey, detail, target_account_id AS targetAccountId FROM audit_events WHERE kind = ? AND target_account_id IS ? ORDER BY id')
    .all('sign_in_failed', accountId) as Row[];

function fail(event: Parameters<typeof record.recordSignInFailureEvent>[1]) {
  client.writeTransaction((tx) => record.recordSignInFailureEvent(tx, event));
}

describe('collapsed failed sign-ins (issue 16 item 8)', () => {
  it('one row per account, reason, address and 15-minute window, with a count and first and last time', async () => {
    const account = await insertTestAccount({ role: 'partner' });
    const t0 = Date.UTC(2026, 6, 1, 20, 1, 0);
    for (let i = 0; i < 12; i += 1) fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '203.0.113.9', now: new Date(t0 + i * 40_000) });
    const [row] = rowsOf(account.id);
    expect(rowsOf(account.id)).toHaveLength(1);
    expect(row).toMatchObject({ count: 12, createdAt: t0, lastAt: t0 + 11 * 40_000, detail: JSON.stringify({ reason: 'wrong_password' }) });
    // The address is nowhere in the row, only in a keyed digest.
    expect(JSON.stringify(row)).not.toContain('203.0.113');

    // Another address, another reason, the next window, or a sign-in in between: a row of its own.
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '198.51.100.9', now: new Date(t0 + 500_000) });
    fail({ targetAccountId: account.id, reason: 'wrong_code', clientAddress: '203.0.113.9', now: new Date(t0 + 500_000) });
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '203.0.113.9', now: new Date(Date.UTC(2026, 6, 1, 20, 15, 0)) });
    sqlite.prepare('UPDATE accounts SET last_sign_in_at = ? WHERE id = ?').run(Date.UTC(2026, 6, 1, 20, 16, 0), account.id);
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '203.0.113.9', now: new Date(Date.UTC(2026, 6, 1, 20, 17, 0)) });
    expect(rowsOf(account.id).map((r) => r.count)).toEqual([12, 1, 1, 1, 1]);
  });

  it('unknown code names from one address share a row (their names are never stored)', () => {
    const t0 = Date.UTC(2026, 6, 2, 9, 0, 0);
    const before = rowsOf(null).length;
    for (let i = 0; i < 30; i += 1) fail({ targetAccountId: null, reason: 'unknown_code_name', clientAddress: '203.0.113.77', now: new Date(t0 + i) });
    const added = rowsOf(null).slice(before);
    expect(added.map((r) => r.count)).toEqual([30]);
  });

  it('200 failures from 200 addresses of one IPv6 /64 write one row that counts all 200 (the /64 is one client, as for the throttle)', async () => {
    const account = await insertTestAccount({ role: 'partner' });
    const t0 = Date.UTC(2026, 6, 4, 9, 0, 0);
    for (let i = 1; i <= 200; i += 1) fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: `2001:db8:1:2::${i.toString(16)}`, now: new Date(t0 + i) });
    expect(rowsOf(account.id).map((r) => r.count)).toEqual([200]);
    // Another /64 is another client; an IPv4-mapped address is its IPv4 address.
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '2001:db8:1:3::1', now: new Date(t0 + 500) });
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '203.0.113.5', now: new Date(t0 + 501) });
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '::ffff:203.0.113.5', now: new Date(t0 + 502) });
    expect(rowsOf(account.id).map((r) => r.count)).toEqual([200, 1, 2]);
  });

  it('a clock stepping back never moves the last time backwards', async () => {
    const account = await insertTestAccount({ role: 'partner' });
    const t0 = Date.UTC(2026, 6, 3, 9, 5, 0);
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: null, now: new Date(t0) });
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: null, now: new Date(t0 + 60_000) });
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: null, now: new Date(t0 + 30_000) });
    expect(rowsOf(account.id)).toMatchObject([{ count: 3, lastAt: t0 + 60_000 }]);
  });
});

describe('the audit table stays append-only but for the bump and the retention', () => {
  it('refuses every update except count + 1 with a later last time on a collapsed failed-sign-in row', async () => {
    const account = await insertTestAccount({ role: 'partner' });
    const t0 = Date.now() - 5_000;
    fail({ targetAccountId: account.id, reason: 'wrong_password', clientAddress: '203.0.113.1', now: new Date(t0) });
    const [row] = rowsOf(account.id);
    const id = row!.id;
    const refused = [
      'UPDATE audit_events SET count = count + 2, last_at = created_at + 1 WHERE id = ?',
      'UPDATE audit_events SET count = count - 1 WHERE id = ?',
      'UPDATE audit_events SET count = count + 1 WHERE id = ?',
      'UPDATE audit_events SET count = count + 1, last_at = created_at - 1 WHERE id = ?',
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 900000 WHERE id = ?',
      "UPDATE audit_events SET count = count + 1, last_at = created_at + 1, detail = '{\"reason\":\"throttled\"}' WHERE id = ?",
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 1, detail = NULL WHERE id = ?',
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 1, collapse_key = NULL WHERE id = ?',
      "UPDATE audit_events SET count = count + 1, last_at = created_at + 1, collapse_key = 'other' WHERE id = ?",
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 1, created_at = created_at - 1 WHERE id = ?',
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 1, target_account_id = NULL WHERE id = ?',
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 1, actor_id = target_account_id WHERE id = ?',
      "UPDATE audit_events SET count = count + 1, last_at = created_at + 1, kind = 'sign_in' WHERE id = ?",
      'UPDATE audit_events SET count = count + 1, last_at = created_at + 1, id = id + 100000 WHERE id = ?',
    ];
    for (const statement of refused) expect(() => sqlite.prepare(statement).run(id), statement).toThrow(/append-only/);
    expect(rowsOf(account.id)).toEqual([row]);
    sqlite.prepare('UPDATE audit_events SET count = count + 1, last_at = created_at + 1 WHERE id = ?').run(id);
    expect(rowsOf(account.id)[0]).toMatchObject({ count: 2, lastAt: t0 + 1 });

    // Any other row, even a failed sign-in written before collapsing existed (no collapse key), is frozen.
    const insert = sqlite.prepare('INSERT INTO audit_events (actor_id, kind, target_account_id, detail, created_at) VALUES (NULL, ?, ?, ?, ?) RETURNING id');
    const old = (insert.get('sign_in_failed', account.id, JSON.stringify({ reason: 'wrong_password' }), t0) as { id: number }).id;
    const roleChange = (insert.get('account_role_changed', account.id, JSON.stringify({ from: 'partner', to: 'editor' }), t0) as { id: number }).id;
    for (const target of [old, roleChange]) {
      expect(() => sqlite.prepare('UPDATE audit_events SET count = count + 1, last_at = created_at + 1 WHERE id = ?').run(target)).toThrow(/append-only/);
    }
  });

  it('refuses deleting any row but sign-in rows more than a day old', async () => {
    const account = await insertTestAccount({ role: 'partner' });
    const day = 24 * 3600 * 1000;
    const insert = sqlite.prepare('INSERT INTO audit_events (actor_id, kind, target_account_id, detail, created_at, last_at) VALUES (?, ?, ?, NULL, ?, ?) RETURNING id');
    const add = (kind: string, createdAt: number, lastAt: number | null = null) => (insert.get(account.id, kind, account.id, createdAt, lastAt) as { id: number }).id;
    const now = Date.now();
    for (const kind of ['account_created', 'account_role_changed', 'account_deactivated', 'report_published', 'report_retracted', 'reference_list_changed', 'two_factor_reset', 'backup_made']) {
      const id = add(kind, now - 1000 * day);
      expect(() => sqlite.prepare('DELETE FROM audit_events WHERE id = ?').run(id), kind).toThrow(/append-only/);
    }
    for (const kind of ['sign_in', 'sign_in_failed', 'sign_out']) {
      const recent = add(kind, now - day + 60_000);
      expect(() => sqlite.prepare('DELETE FROM audit_events WHERE id = ?').run(recent), kind).toThrow(/append-only/);
      // A collapsed row counts from its last failure.
      const stillActive = add(kind, now - 2 * day, now - 60_000);
      expect(() => sqlite.prepare('DELETE FROM audit_events WHERE id = ?').run(stillActive), kind).toThrow(/append-only/);
      const old = add(kind, now - 2 * day);
      expect(sqlite.prepare('DELETE FROM audit_events WHERE id = ?').run(old).changes, kind).toBe(1);
    }
    // Report events keep their unconditional triggers.
    const triggers = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'report_events' ORDER BY name").all() as { name: string; sql: string }[];
    expect(triggers.map((t) => t.name)).toEqual(['report_events_no_delete', 'report_events_no_update']);
    for (const t of triggers) expect(t.sql).not.toMatch(/\bWHEN\b/);
  });
});
