import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccount } from '@/lib/testing/accounts';

let sqlite: import('better-sqlite3').Database;
let retention: typeof import('./retention');

beforeAll(async () => {
  sqlite = (await import('@/db/client')).getSqlite();
  retention = await import('./retention');
});

const DAY = 24 * 3600 * 1000;

describe('sign-in audit retention (issue 16 item 8)', () => {
  it('deletes sign-in rows past AUDIT_SIGN_IN_RETENTION_DAYS; account, role, publication and list rows stay', async () => {
    const account = await insertTestAccount({ role: 'editor' });
    const now = Date.now();
    const insert = sqlite.prepare('INSERT INTO audit_events (actor_id, kind, target_account_id, detail, created_at, last_at, count) VALUES (?, ?, ?, NULL, ?, ?, ?)');
    const kept = ['account_created', 'account_role_changed', 'account_deactivated', 'account_reset', 'report_published', 'report_retracted', 'reference_list_changed', 'two_factor_enrolled', 'backup_made'];
    for (const kind of kept) insert.run(account.id, kind, account.id, now - 400 * DAY, null, 1);
    for (const kind of retention.SIGN_IN_AUDIT_KINDS) {
      insert.run(account.id, kind, account.id, now - 91 * DAY, null, 1); // past 90 days: goes
      insert.run(account.id, kind, account.id, now - 89 * DAY, null, 1); // within: stays
    }
    insert.run(null, 'sign_in_failed', null, now - 200 * DAY, now - 200 * DAY + 600_000, 40); // collapsed, old: goes
    const kinds = () => sqlite.prepare('SELECT kind, created_at AS at FROM audit_events WHERE target_account_id IS ? OR target_account_id IS NULL ORDER BY id').all(account.id) as { kind: string; at: number }[];
    const before = kinds();

    expect(retention.deleteExpiredSignInEvents({ now })).toEqual({ deleted: 4 });
    const after = kinds();
    expect(after.filter((r) => kept.includes(r.kind)).map((r) => r.kind)).toEqual(kept);
    expect(after.filter((r) => !kept.includes(r.kind)).every((r) => r.at > now - 90 * DAY)).toBe(true);
    expect(before.length - after.length).toBe(4);
    // A second sweep finds nothing more; a shorter setting takes more.
    expect(retention.deleteExpiredSignInEvents({ now })).toEqual({ deleted: 0 });
    expect(retention.deleteExpiredSignInEvents({ now, retentionDays: 30 }).deleted).toBeGreaterThanOrEqual(3);
    expect(kinds().filter((r) => kept.includes(r.kind))).toHaveLength(kept.length);
  });

  it('refuses a retention under a day (the table would refuse it too)', () => {
    expect(() => retention.deleteExpiredSignInEvents({ retentionDays: 0 })).toThrow(RangeError);
  });

  it('the start-up sweep applies the configured retention', async () => {
    const now = Date.now();
    sqlite.prepare("INSERT INTO audit_events (actor_id, kind, created_at) VALUES (NULL, 'sign_in_failed', ?)").run(now - 120 * DAY);
    const { sweepAuditRetentionOnce } = await import('./maintenance');
    sweepAuditRetentionOnce();
    expect(sqlite.prepare("SELECT count(*) FROM audit_events WHERE kind IN ('sign_in', 'sign_in_failed', 'sign_out') AND created_at < ?").pluck().get(now - 90 * DAY)).toBe(0);
  });
});
